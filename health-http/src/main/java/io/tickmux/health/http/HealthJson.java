package io.tickmux.health.http;

import io.tickmux.app.GatewayRole;
import io.tickmux.core.ConnectionHealth;
import io.tickmux.core.HealthStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON shapes the endpoints and the dashboard feed share: the health with the gateway's role,
 * one connection, and a connection's lag.
 */
final class HealthJson {

    private HealthJson() {}

    /**
     * @param h the health
     * @param role the gateway's role; null when not part of an active/standby pair
     * @return the seed's health shape, with {@code ha} when there is a role
     */
    static Map<String, Object> health(HealthStatus h, GatewayRole role) {
        Map<String, Object> m = new LinkedHashMap<>(h.toMap());
        if (role != null) {
            m.put("ha", role.toMap());
        }
        return m;
    }

    /**
     * @param c a connection's health
     * @return its {@code id} followed by its own fields
     */
    static Map<String, Object> summary(ConnectionHealth c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.putAll(c.toMap());
        return m;
    }

    /**
     * Client-side percentiles are approximations: none is shown above the recorded max.
     *
     * @param lag p50, p99 and max in milliseconds, as {@code MultiConnectionManager.lagMillis}
     *     gives them; empty before the first sample
     * @return {@code p50}, {@code p99} and {@code max} rounded to a tenth; null for each when empty
     *     or not a number
     */
    static Map<String, Object> lag(Optional<double[]> lag) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50", lag.map(l -> round(Math.min(l[0], l[2]))).orElse(null));
        m.put("p99", lag.map(l -> round(Math.min(l[1], l[2]))).orElse(null));
        m.put("max", lag.map(l -> round(l[2])).orElse(null));
        return m;
    }

    private static Double round(double v) {
        return Double.isNaN(v) ? null : Math.round(v * 10.0) / 10.0;
    }
}
