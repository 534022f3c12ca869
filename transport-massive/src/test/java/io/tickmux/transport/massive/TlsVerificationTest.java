package io.tickmux.transport.massive;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.tickmux.fake.FakeMassiveServer;
import io.tickmux.spi.transport.ConnectionSpec;
import io.tickmux.spi.transport.DisconnectReason;
import io.tickmux.spi.transport.TransportConnection;
import io.tickmux.tck.RecordingTransportListener;
import io.tickmux.tck.TransportHost;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * wss:// keeps certificate verification on: a server whose certificate no trusted authority signed
 * (a self-signed one, made here with the JDK's keytool) is refused, and the API key is never sent
 * to it.
 */
class TlsVerificationTest {

    @Test
    void aServerWithAnUntrustedCertificateIsRefused(@TempDir Path dir) throws Exception {
        Path ks = dir.resolve("fake.p12");
        Process p =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "keytool")
                                        .toString(),
                                "-genkeypair",
                                "-alias",
                                "fake",
                                "-keyalg",
                                "RSA",
                                "-keysize",
                                "2048",
                                "-keystore",
                                ks.toString(),
                                "-storetype",
                                "PKCS12",
                                "-storepass",
                                "changeit",
                                "-keypass",
                                "changeit",
                                "-dname",
                                "CN=127.0.0.1",
                                "-validity",
                                "2",
                                "-ext",
                                "SAN=ip:127.0.0.1,dns:localhost")
                        .redirectErrorStream(true)
                        .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf =
                KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);

        FakeMassiveServer server = FakeMassiveServer.builder().tls(tls).build().start();
        TransportHost transport = null;
        try {
            assertThat(server.url()).startsWith("wss://127.0.0.1:");
            transport =
                    TransportHost.start(
                            new MassiveTransportFactory(),
                            ConfigFactory.parseString(
                                            "tickmux.transport.massive { url = \""
                                                    + server.url()
                                                    + "\", api-key = TLSSECRETKEY }")
                                    .withFallback(ConfigFactory.load()));
            RecordingTransportListener rec = new RecordingTransportListener(MassiveFixture.TIMEOUT);
            TransportConnection c = transport.create(ConnectionSpec.of("tls-1"), rec);
            c.connect();
            RecordingTransportListener.Disconnected d =
                    rec.next(RecordingTransportListener.Disconnected.class);
            assertThat(d.reason()).isEqualTo(DisconnectReason.CONNECT_FAILED);
            assertThat(d.detail())
                    .containsAnyOf(
                            "PKIX",
                            "certificate",
                            "SSL",
                            "unable to find valid certification path");
            assertThat(d.detail()).doesNotContain("TLSSECRETKEY");
            assertThat(server.sessions()).allMatch(s -> s.key() == null);
            c.close();
        } finally {
            if (transport != null) {
                transport.close();
            }
            server.close();
        }
    }
}
