package io.tickmux.consumer;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;

/**
 * The Redis server the consumer's Redis tests use: {@code TICKMUX_TEST_REDIS_URL} when set; else a
 * throw-away container where a Docker engine is available; else the machine's server on {@code
 * redis://127.0.0.1:6379} ({@code .ci/run} starts it). Without one the tests fail and say how to
 * provide one: never a silent pass.
 */
final class RedisTestServer {

    private static String url;

    private RedisTestServer() {}

    static synchronized String shared() {
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
            org.testcontainers.containers.GenericContainer<?> c =
                    new org.testcontainers.containers.GenericContainer<>("redis:7-alpine")
                            .withExposedPorts(6379);
            c.start();
            url = "redis://" + c.getHost() + ":" + c.getMappedPort(6379);
            where = "Testcontainers";
        } else {
            url = "redis://127.0.0.1:6379";
            where = "no Docker engine: the machine's service";
        }
        RedisClient client = RedisClient.create();
        try (StatefulRedisConnection<String, String> c =
                client.connect(io.lettuce.core.RedisURI.create(url))) {
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
        System.out.println("tests use Redis at " + url + " (" + where + ")");
        return url;
    }

    private static boolean docker() {
        try {
            return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
