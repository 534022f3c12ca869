package io.tickmux.sink.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickmux.testkit.bus.RedisServers;
import java.io.File;
import java.io.IOException;
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
 * A redis-server of the test's own, on a free loopback port, with an append-only file fsynced at
 * every write in its own directory, that the test may kill and start again (the same port and data:
 * streams survive as they would on a persistent production server). The shared server is never
 * touched. Needs the {@code redis-server} binary ({@code TICKMUX_REDIS_SERVER}, else {@code
 * /usr/bin/redis-server}, else the PATH); without it the test fails and says how to install it.
 */
final class PrivateRedisServer implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String binary;
    private final int port;
    private final Path dir;
    private final Path log;
    private Process process;

    private PrivateRedisServer(String binary, int port, Path dir) {
        this.binary = binary;
        this.port = port;
        this.dir = dir;
        this.log = dir.resolveSibling(dir.getFileName() + ".log");
    }

    static PrivateRedisServer start() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        PrivateRedisServer p =
                new PrivateRedisServer(binary(), port, Files.createTempDirectory("tickmux-redis-"));
        p.startAgain();
        return p;
    }

    private static String binary() {
        String env = System.getenv("TICKMUX_REDIS_SERVER");
        if (env != null) {
            return env;
        }
        if (new File("/usr/bin/redis-server").canExecute()) {
            return "/usr/bin/redis-server";
        }
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(d, "redis-server");
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        throw new IllegalStateException(
                "no redis-server binary: install it (apt-get install redis-server, as .ci/run"
                        + " does) or set TICKMUX_REDIS_SERVER to its path");
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** Starts the server again after {@link #kill()} or {@link #stop()}: same port, same data. */
    synchronized void startAgain() throws IOException {
        if (process != null && process.isAlive()) {
            return;
        }
        process =
                new ProcessBuilder(
                                List.of(
                                        binary,
                                        "--bind",
                                        "127.0.0.1",
                                        "--port",
                                        Integer.toString(port),
                                        "--dir",
                                        dir.toString(),
                                        "--save",
                                        "",
                                        "--appendonly",
                                        "yes",
                                        "--appendfsync",
                                        "always",
                                        "--daemonize",
                                        "no"))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
        await().atMost(TIMEOUT)
                .ignoreExceptions()
                .untilAsserted(
                        () -> {
                            assertThat(process.isAlive())
                                    .as("redis-server is running (log: %s)", log)
                                    .isTrue();
                            RedisServers.check(url());
                        });
    }

    /** Stops the server the hard way (SIGKILL): what a crash looks like to its clients. */
    synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        awaitPortClosed();
    }

    /**
     * Freezes the server (SIGSTOP): connections stay open and accept bytes, nothing is answered;
     * what a hung server looks like to its clients.
     */
    synchronized void pause() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** Lets a {@link #pause() paused} server run again (SIGCONT). */
    synchronized void resume() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String sig) throws IOException, InterruptedException {
        Process k =
                new ProcessBuilder("kill", sig, Long.toString(process.pid()))
                        .redirectErrorStream(true)
                        .start();
        assertThat(k.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(k.exitValue()).as("kill %s %s", sig, process.pid()).isZero();
    }

    /** Stops the server cleanly (SIGTERM) and waits until its port is closed. */
    synchronized void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
        awaitPortClosed();
    }

    private void awaitPortClosed() {
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
            if (process.isAlive()) {
                resume(); // SIGKILL ends a stopped process too; this keeps its sockets from
                // lingering
            }
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        Files.deleteIfExists(log);
    }
}
