package io.tickmux.spi.transport;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * What a transport needs to open one connection.
 *
 * @param id the connection's id, unique within the manager; used in thread names and logs
 * @param name a human name for the connection
 * @param settings per-connection transport settings (e.g. an own API key or URL), layered over the
 *     transport's defaults by the host; never {@code null}, empty when there are none
 */
public record ConnectionSpec(String id, String name, Config settings) {

    public ConnectionSpec {
        requireNonNull(id, "id is null");
        name = name == null ? id : name;
        settings = settings == null ? ConfigFactory.empty() : settings;
    }

    /**
     * A spec with no per-connection settings.
     *
     * @param id the connection's id
     * @return a new spec named like its id
     */
    public static ConnectionSpec of(String id) {
        return new ConnectionSpec(id, id, ConfigFactory.empty());
    }

    @Override
    public String toString() {
        // settings may hold an API key: never print them.
        return "ConnectionSpec[id=" + id + ", name=" + name + "]";
    }
}
