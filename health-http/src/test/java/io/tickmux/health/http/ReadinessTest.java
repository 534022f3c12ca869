package io.tickmux.health.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickmux.app.GatewayRole;
import io.tickmux.core.ConnectionHealth;
import io.tickmux.core.HealthStatus;
import io.tickmux.routing.ConnectionState;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What readiness answers for a given health, without a server. */
class ReadinessTest {

    private static ConnectionHealth connection(String id, ConnectionState state, int pending) {
        return new ConnectionHealth(
                id, id, state, 2, 2 - pending, pending, 0, 0, 0.0, -1, 0, 0, "cause of " + id);
    }

    private static HealthStatus health(
            int uncovered, Map<String, String> refused, ConnectionHealth... cs) {
        int connected =
                (int) Arrays.stream(cs).filter(c -> c.state() == ConnectionState.CONNECTED).count();
        return new HealthStatus(
                List.of(),
                cs.length,
                connected,
                2 * cs.length,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                List.of(cs),
                uncovered,
                refused);
    }

    private static GatewayRole role(boolean active, boolean healthy) {
        return new GatewayRole() {
            @Override
            public boolean active() {
                return active;
            }

            @Override
            public boolean healthy() {
                return healthy;
            }

            @Override
            public Map<String, Object> toMap() {
                return Map.of("role", active ? "active" : "standby");
            }
        };
    }

    @Test
    void readyWhenEveryConnectionIsConnectedAndSettled() {
        Readiness.Answer a =
                Readiness.of(
                        health(
                                0,
                                Map.of(),
                                connection("c1", ConnectionState.CONNECTED, 0),
                                connection("c2", ConnectionState.CONNECTED, 0)),
                        null);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body())
                .containsEntry("status", "READY")
                .containsEntry("connections", 2)
                .containsEntry("connected", 2)
                .containsEntry("uncovered_tickers", 0)
                .containsEntry("not_ready", List.of())
                .doesNotContainKey("ha");
    }

    @Test
    void degradedButReadyWhileEverythingWantedIsStillCovered() {
        Readiness.Answer down =
                Readiness.of(
                        health(
                                0,
                                Map.of(),
                                connection("c1", ConnectionState.CONNECTED, 0),
                                connection("c2", ConnectionState.RECONNECTING, 0)),
                        null);
        assertThat(down.status()).isEqualTo(200);
        assertThat(down.body()).containsEntry("status", "DEGRADED");
        assertThat(down.body().get("not_ready"))
                .isEqualTo(
                        List.of(
                                Map.of(
                                        "id", "c2",
                                        "state", "reconnecting",
                                        "pending_acks", 0,
                                        "cause", "cause of c2")));

        Readiness.Answer pending =
                Readiness.of(
                        health(0, Map.of(), connection("c1", ConnectionState.CONNECTED, 1)), null);
        assertThat(pending.status()).isEqualTo(200);
        assertThat(pending.body()).containsEntry("status", "DEGRADED");

        Readiness.Answer refused =
                Readiness.of(
                        health(
                                0,
                                Map.of("ZZZ", "c1: not authorized", "AAA", "c1: unknown"),
                                connection("c1", ConnectionState.CONNECTED, 0)),
                        null);
        assertThat(refused.status()).isEqualTo(200);
        assertThat(refused.body()).containsEntry("status", "DEGRADED");
        assertThat(refused.body().get("refused"))
                .as("refused tickers, sorted")
                .hasToString("{AAA=c1: unknown, ZZZ=c1: not authorized}");
    }

    @Test
    void notReadyWhileAWantedTickerIsUncoveredOrNothingIsConnected() {
        Readiness.Answer uncovered =
                Readiness.of(
                        health(
                                3,
                                Map.of(),
                                connection("c1", ConnectionState.CONNECTED, 0),
                                connection("c2", ConnectionState.FAILED, 0)),
                        null);
        assertThat(uncovered.status()).isEqualTo(503);
        assertThat(uncovered.body())
                .containsEntry("status", "UNCOVERED")
                .containsEntry("uncovered_tickers", 3);

        Readiness.Answer failed =
                Readiness.of(
                        health(
                                0,
                                Map.of(),
                                connection("c1", ConnectionState.RECONNECTING, 0),
                                connection("c2", ConnectionState.COOLDOWN, 0)),
                        null);
        assertThat(failed.status()).isEqualTo(503);
        assertThat(failed.body()).containsEntry("status", "FAILED");

        Readiness.Answer closed =
                Readiness.of(
                        health(0, Map.of(), connection("c1", ConnectionState.CLOSED, 0)), null);
        assertThat(closed.status()).isEqualTo(503);
        assertThat(closed.body())
                .as("a closed connection is not counted")
                .containsEntry("status", "NO_CONNECTIONS")
                .containsEntry("connections", 0);
        assertThat(Readiness.of(health(0, Map.of()), null).body())
                .containsEntry("status", "NO_CONNECTIONS");
    }

    @Test
    void aStandbyIsReadyForItsRoleWhileItCouldTakeOver() {
        Readiness.Answer healthy = Readiness.standby(role(false, true));
        assertThat(healthy.status()).isEqualTo(200);
        assertThat(healthy.body())
                .containsEntry("status", "STANDBY")
                .containsEntry("ha", Map.of("role", "standby"));

        Readiness.Answer unhealthy = Readiness.standby(role(false, false));
        assertThat(unhealthy.status()).isEqualTo(503);
        assertThat(unhealthy.body()).containsEntry("status", "STANDBY_UNHEALTHY");

        Readiness.Answer active =
                Readiness.of(
                        health(0, Map.of(), connection("c1", ConnectionState.CONNECTED, 0)),
                        role(true, true));
        assertThat(active.status()).isEqualTo(200);
        assertThat(active.body())
                .containsEntry("status", "READY")
                .containsEntry("ha", Map.of("role", "active"));
    }
}
