package io.tickmux.health.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickmux.app.GatewayRole;
import io.tickmux.core.ConnectionHealth;
import io.tickmux.core.HealthStatus;
import io.tickmux.routing.ConnectionState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The JSON shapes shared by the endpoints and the dashboard feed. */
class HealthJsonTest {

    private static final ConnectionHealth C1 =
            new ConnectionHealth(
                    "c1", "primary", ConnectionState.CONNECTED, 3, 3, 0, 10, 0, 1.5, 20, 0, 0, "");

    @Test
    void lagNeverShowsAPercentileAboveTheRecordedMax() {
        Map<String, Object> lag = HealthJson.lag(Optional.of(new double[] {12.34, 80.0, 50.25}));
        assertThat(lag)
                .containsExactly(
                        Map.entry("p50", 12.3), Map.entry("p99", 50.3), Map.entry("max", 50.3));
    }

    @Test
    void lagIsNullBeforeTheFirstSampleAndForWhatIsNotANumber() {
        Map<String, Object> none = HealthJson.lag(Optional.empty());
        assertThat(none).containsOnlyKeys("p50", "p99", "max");
        assertThat(none.values()).containsOnlyNulls();
        Map<String, Object> nan =
                HealthJson.lag(Optional.of(new double[] {Double.NaN, Double.NaN, 4.0}));
        assertThat(nan.get("p50")).isNull();
        assertThat(nan.get("p99")).isNull();
        assertThat(nan.get("max")).isEqualTo(4.0);
    }

    @Test
    void aConnectionSummaryStartsWithItsId() {
        Map<String, Object> m = HealthJson.summary(C1);
        assertThat(m.keySet()).first().isEqualTo("id");
        assertThat(m).containsEntry("id", "c1").containsAllEntriesOf(C1.toMap());
    }

    @Test
    void theHealthCarriesTheRoleOnlyWhenThereIsOne() {
        HealthStatus h =
                new HealthStatus(
                        List.of(),
                        1,
                        1,
                        3,
                        12,
                        9,
                        2,
                        1,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        List.of(C1),
                        0,
                        Map.of());
        assertThat(HealthJson.health(h, null)).isEqualTo(h.toMap()).doesNotContainKey("ha");
        GatewayRole role =
                new GatewayRole() {
                    @Override
                    public boolean active() {
                        return true;
                    }

                    @Override
                    public boolean healthy() {
                        return true;
                    }

                    @Override
                    public Map<String, Object> toMap() {
                        return Map.of("role", "active");
                    }
                };
        Map<String, Object> expected = new HashMap<>(h.toMap());
        expected.put("ha", Map.of("role", "active"));
        assertThat(HealthJson.health(h, role)).isEqualTo(expected);
    }
}
