package io.tickmux.health.http;

import io.tickmux.app.GatewayRole;
import io.tickmux.core.ConnectionHealth;
import io.tickmux.core.HealthStatus;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.routing.ConnectionState;
import io.tickmux.routing.config.StrictConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code GET /health/ready} answers. Readiness follows coverage: 503 only while some wanted
 * ticker is uncovered ({@code UNCOVERED}), nothing is connected ({@code FAILED}) or nothing is
 * defined ({@code NO_CONNECTIONS}); a connection down whose tickers were re-homed, pending acks or
 * a refused ticker is {@code DEGRADED} with 200. A standby of an active/standby pair has nothing
 * connected by design: it is ready for its role while it could take over ({@code STANDBY}, 200;
 * else {@code STANDBY_UNHEALTHY}, 503).
 */
final class Readiness {

    /**
     * @param status the HTTP status: 200 when ready, else 503
     * @param body the JSON body
     */
    record Answer(int status, Map<String, Object> body) {}

    private final MultiConnectionManager manager;
    private final GatewayRole role;

    /**
     * @param manager the manager whose health decides
     * @param role the gateway's role; null when not part of an active/standby pair
     */
    Readiness(MultiConnectionManager manager, GatewayRole role) {
        this.manager = manager;
        this.role = role;
    }

    /**
     * @return the answer now
     */
    Answer answer() {
        if (role != null && !role.active()) {
            return standby(role);
        }
        return of(manager.healthStatus(), role);
    }

    /**
     * @param role the role of a gateway in standby
     * @return 200 {@code STANDBY} while it could take over, else 503 {@code STANDBY_UNHEALTHY}
     */
    static Answer standby(GatewayRole role) {
        Map<String, Object> body = new LinkedHashMap<>();
        boolean healthy = role.healthy();
        body.put("status", healthy ? "STANDBY" : "STANDBY_UNHEALTHY");
        body.put("ha", role.toMap());
        return new Answer(healthy ? 200 : 503, body);
    }

    /**
     * @param h the health of a gateway that streams (not a standby)
     * @param role its role; null when not part of an active/standby pair
     * @return the status, the counts behind it and each connection that is not ready
     */
    static Answer of(HealthStatus h, GatewayRole role) {
        List<Map<String, Object>> notReady = new ArrayList<>();
        int enabled = 0;
        for (ConnectionHealth c : h.connections()) {
            if (c.state() == ConnectionState.CLOSED) {
                continue;
            }
            enabled++;
            if (c.state() != ConnectionState.CONNECTED || c.pendingAcks() > 0) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", c.id());
                m.put("state", StrictConfig.kebab(c.state()));
                m.put("pending_acks", c.pendingAcks());
                m.put("cause", c.lastCause());
                notReady.add(m);
            }
        }
        String status =
                enabled == 0
                        ? "NO_CONNECTIONS"
                        : h.connected() == 0
                                ? "FAILED"
                                : h.uncoveredTickers() > 0
                                        ? "UNCOVERED"
                                        : notReady.isEmpty() && h.refusedTickers().isEmpty()
                                                ? "READY"
                                                : "DEGRADED";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("connections", enabled);
        body.put("connected", h.connected());
        body.put("uncovered_tickers", h.uncoveredTickers());
        body.put("refused", new TreeMap<>(h.refusedTickers()));
        body.put("not_ready", notReady);
        if (role != null) {
            body.put("ha", role.toMap());
        }
        boolean ok = status.equals("READY") || status.equals("DEGRADED");
        return new Answer(ok ? 200 : 503, body);
    }
}
