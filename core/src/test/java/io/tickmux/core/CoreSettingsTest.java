package io.tickmux.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickmux.spi.config.TickmuxConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CoreSettingsTest {

    @Test
    void defaultsArePinned() {
        CoreSettings s = CoreSettings.defaults();
        assertThat(s.maxConnections()).isEqualTo(3);
        assertThat(s.maxTickersPerConnection()).isEqualTo(50_000);
        assertThat(s.dispatchMode()).isEqualTo(DispatchMode.DIRECT);
        assertThat(s.queueCapacity()).isEqualTo(65_536);
        assertThat(s.overflowPolicy()).isEqualTo(OverflowPolicy.BLOCK);
        assertThat(s.reconnectInitialDelay()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.reconnectMaxDelay()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.reconnectMultiplier()).isEqualTo(2.0);
        assertThat(s.reconnectJitter()).isEqualTo(0.5);
        assertThat(s.stableAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.evictionCooldown()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.socketWaitDelay()).isEqualTo(Duration.ofMillis(50));
        assertThat(s.healthCheckInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.autoRebalance()).isTrue();
        assertThat(s.rebalanceThreshold()).isEqualTo(0.25);
        assertThat(s.rateSampleInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.rateHalfLife()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.listenerErrorLogInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.statusQueueCapacity()).isEqualTo(10_000);
    }

    @Test
    void overridesApply() {
        CoreSettings s =
                CoreSettings.parse(
                        "tickmux.core { max-connections = 5, dispatch { mode = queued, overflow ="
                                + " conflate } }");
        assertThat(s.maxConnections()).isEqualTo(5);
        assertThat(s.dispatchMode()).isEqualTo(DispatchMode.QUEUED);
        assertThat(s.overflowPolicy()).isEqualTo(OverflowPolicy.CONFLATE);
    }

    @Test
    void reportsAllProblemsTogether() {
        assertThatThrownBy(
                        () ->
                                CoreSettings.parse(
                                        "tickmux.core { max-connections = 0, dispatch.mode ="
                                                + " fast, reconnect { initial-delay = 10s,"
                                                + " max-delay = 1s }, max-conections = 3 }"))
                .isInstanceOfSatisfying(
                        TickmuxConfigException.class,
                        e ->
                                assertThat(e.problems())
                                        .hasSize(4)
                                        .anyMatch(
                                                p ->
                                                        p.startsWith(
                                                                "tickmux.core.max-connections = 0"))
                                        .anyMatch(
                                                p ->
                                                        p.contains(
                                                                "tickmux.core.dispatch.mode = 'fast'"))
                                        .anyMatch(
                                                p ->
                                                        p.contains(
                                                                "shorter than reconnect.initial-delay"))
                                        .anyMatch(
                                                p ->
                                                        p.equals(
                                                                "unknown key"
                                                                        + " tickmux.core.max-conections:"
                                                                        + " did you mean"
                                                                        + " tickmux.core.max-connections?")));
    }
}
