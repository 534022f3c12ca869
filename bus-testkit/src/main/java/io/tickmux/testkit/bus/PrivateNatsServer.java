package io.tickmux.testkit.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A nats-server of the test's own, on a free loopback port with its own JetStream store, that the
 * test may stop and start again (the same port, the same store: streams survive as they would in
 * production). The shared server is never touched. Needs the {@code nats-server} binary ({@code
 * TICKMUX_NATS_SERVER}, else {@code /usr/sbin/nats-server}, else the PATH); without it the test
 * fails and says how to install it.
 */
public final class PrivateNatsServer implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String binary;
    private final int port;
    private final Path store;
    private final Path log;
    private Process process;

    private PrivateNatsServer(String binary, int port, Path store) {
        this.binary = binary;
        this.port = port;
        this.store = store;
        this.log = store.resolveSibling(store.getFileName() + ".log");
    }

    /**
     * Starts one.
     *
     * @return the running server
     * @throws IOException when it cannot be started
     */
    public static PrivateNatsServer start() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        PrivateNatsServer p =
                new PrivateNatsServer(binary(), port, Files.createTempDirectory("tickmux-nats-"));
        p.startAgain();
        return p;
    }

    private static String binary() {
        String env = System.getenv("TICKMUX_NATS_SERVER");
        if (env != null) {
            return env;
        }
        if (new File("/usr/sbin/nats-server").canExecute()) {
            return "/usr/sbin/nats-server";
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, "nats-server");
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        throw new IllegalStateException(
                "no nats-server binary: install it (apt-get install nats-server, as .ci/run does)"
                        + " or set TICKMUX_NATS_SERVER to its path");
    }

    /**
     * @return {@code nats://127.0.0.1:<port>}
     */
    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    /** Starts the server again after {@link #stop()}, on the same port and store. */
    public synchronized void startAgain() throws IOException {
        if (process != null && process.isAlive()) {
            return;
        }
        process =
                new ProcessBuilder(
                                List.of(
                                        binary,
                                        "-a",
                                        "127.0.0.1",
                                        "-p",
                                        Integer.toString(port),
                                        "-js",
                                        "-sd",
                                        store.toString()))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
        await().atMost(TIMEOUT)
                .ignoreExceptions()
                .untilAsserted(
                        () -> {
                            assertThat(process.isAlive())
                                    .as("nats-server is running (log: %s)", log)
                                    .isTrue();
                            NatsServers.check(url());
                        });
    }

    /** Stops the server the hard way (SIGKILL): what a crash looks like to its clients. */
    public synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Stops the server cleanly (SIGTERM) and waits until its port is closed. */
    public synchronized void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
        await().atMost(TIMEOUT)
                .untilAsserted(
                        () -> {
                            try (Socket s = new Socket()) {
                                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                                throw new AssertionError("port " + port + " still accepts");
                            } catch (IOException expected) {
                                // closed: what we wait for
                            }
                        });
    }

    @Override
    public synchronized void close() throws Exception {
        if (process != null) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(store)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        Files.deleteIfExists(log);
    }
}
