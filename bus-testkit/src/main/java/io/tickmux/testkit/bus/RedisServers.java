package io.tickmux.testkit.bus;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * The Redis server tests share, as {@link NatsServers} gives NATS: {@code TICKMUX_TEST_REDIS_URL}
 * when set; else a throw-away container where a Docker engine is available; else the machine's
 * server on {@code redis://127.0.0.1:6379} ({@code .ci/run} starts it). Without one the tests fail
 * and say how to provide one: never a silent pass.
 */
public final class RedisServers {

    private static String url;

    private RedisServers() {}

    /**
     * @return the URL of the Redis server the tests share, found once per JVM
     * @throws IllegalStateException saying how to provide one when there is none
     */
    public static synchronized String shared() {
        if (url != null) {
            return url;
        }
        String explicit = System.getenv("TICKMUX_TEST_REDIS_URL");
        String where;
        if (explicit != null) {
            url = explicit;
            where = "TICKMUX_TEST_REDIS_URL";
        } else if (docker()) {
            @SuppressWarnings("resource") // lives as long as the JVM; Ryuk removes it
            GenericContainer<?> c = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
            c.start();
            url = "redis://" + c.getHost() + ":" + c.getMappedPort(6379);
            where = "Testcontainers";
        } else {
            url = "redis://127.0.0.1:6379";
            where = "no Docker engine: the machine's service";
        }
        check(url);
        System.out.println("tests use Redis at " + url + " (" + where + ")");
        return url;
    }

    private static boolean docker() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /**
     * Connects and pings; fails saying how to provide a server.
     *
     * @param url the server
     */
    public static void check(String url) {
        RedisClient client = RedisClient.create();
        try (StatefulRedisConnection<String, String> c = client.connect(uri(url))) {
            c.sync().ping();
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "no Redis server at "
                            + url
                            + " ("
                            + e
                            + "): run a Docker engine for Testcontainers, start the machine's"
                            + " (redis-server --daemonize yes --bind 127.0.0.1 --port 6379, as"
                            + " .ci/run does), or set TICKMUX_TEST_REDIS_URL",
                    e);
        } finally {
            client.shutdown();
        }
    }

    /**
     * @param url a {@code redis://} URL
     * @return it as Lettuce's URI, with the tests' timeouts
     */
    public static RedisURI uri(String url) {
        RedisURI u = RedisURI.create(url);
        u.setTimeout(Duration.ofSeconds(10));
        return u;
    }
}
