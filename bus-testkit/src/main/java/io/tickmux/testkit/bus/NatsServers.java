package io.tickmux.testkit.bus;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.time.Duration;
import org.testcontainers.containers.GenericContainer;

/**
 * The NATS server with JetStream that tests share: {@code TICKMUX_TEST_NATS_URL} when set; else a
 * throw-away container where a Docker engine is available; else the machine's server on {@code
 * nats://127.0.0.1:4222} ({@code .ci/run} starts it). Without one the tests fail and say how to
 * provide one: never a silent pass.
 */
public final class NatsServers {

    private static String url;

    private NatsServers() {}

    /**
     * @return the shared server's URL, checked to answer JetStream requests
     */
    public static synchronized String shared() {
        if (url != null) {
            return url;
        }
        String explicit = System.getenv("TICKMUX_TEST_NATS_URL");
        String where;
        if (explicit != null) {
            url = explicit;
            where = "TICKMUX_TEST_NATS_URL";
        } else if (Docker.available()) {
            @SuppressWarnings("resource") // lives as long as the JVM; Ryuk removes it
            GenericContainer<?> c =
                    new GenericContainer<>("nats:2.10-alpine")
                            .withCommand("-js")
                            .withExposedPorts(4222);
            c.start();
            url = "nats://" + c.getHost() + ":" + c.getMappedPort(4222);
            where = "Testcontainers";
        } else {
            url = "nats://127.0.0.1:4222";
            where = "no Docker engine: the machine's service";
        }
        check(url);
        System.out.println("tests use NATS at " + url + " (" + where + ")");
        return url;
    }

    /**
     * Connects and asks JetStream for the account's statistics.
     *
     * @param url the server
     * @throws IllegalStateException saying how to provide a server
     */
    public static void check(String url) {
        try (Connection c =
                Nats.connect(
                        new Options.Builder()
                                .server(url)
                                .connectionTimeout(Duration.ofSeconds(5))
                                .build())) {
            c.jetStreamManagement().getAccountStatistics();
        } catch (Exception e) {
            throw new IllegalStateException(
                    "no NATS server with JetStream at "
                            + url
                            + " ("
                            + e
                            + "): run a Docker engine for Testcontainers, start the machine's"
                            + " (start-stop-daemon --start --oknodo --background --exec"
                            + " /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd"
                            + " /var/lib/nats-server, as .ci/run does), or set"
                            + " TICKMUX_TEST_NATS_URL",
                    e);
        }
    }

    /**
     * @param url the server
     * @return a connection for a test to read with
     * @throws Exception when it cannot connect
     */
    public static Connection connect(String url) throws Exception {
        return Nats.connect(
                new Options.Builder()
                        .server(url)
                        .connectionTimeout(Duration.ofSeconds(5))
                        .maxReconnects(-1)
                        .build());
    }
}
