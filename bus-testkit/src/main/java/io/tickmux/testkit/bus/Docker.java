package io.tickmux.testkit.bus;

import org.testcontainers.DockerClientFactory;

/** Whether a Docker engine answers, asked once. */
final class Docker {

    private static Boolean available;

    private Docker() {}

    static synchronized boolean available() {
        if (available == null) {
            boolean a;
            try {
                a = DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException | LinkageError e) {
                a = false;
            }
            available = a;
        }
        return available;
    }
}
