package io.tickmux.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.sink.Fence;
import io.tickmux.spi.sink.Sink;
import io.tickmux.spi.sink.SinkHealth;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A standby gateway's application: extensions (the health server) started and given the role,
 * nothing connected until {@link Tickmux#start()}; and the sink defaults a pair relies on.
 */
class TickmuxStandbyTest {

    /** A role the test reads back. */
    private static final GatewayRole ROLE =
            new GatewayRole() {
                @Override
                public boolean active() {
                    return false;
                }

                @Override
                public boolean healthy() {
                    return true;
                }

                @Override
                public Map<String, Object> toMap() {
                    return Map.of("role", "standby");
                }
            };

    /** Records how it was started. */
    private static final class Recording implements TickmuxExtension {
        final List<GatewayRole> roles = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public AutoCloseable start(MultiConnectionManager manager, Config root) {
            throw new AssertionError("the application's start(Tickmux, Config) is called");
        }

        @Override
        public AutoCloseable start(Tickmux app, Config root) {
            roles.add(app.role());
            return () -> {};
        }
    }

    @Test
    void standbyStartsTheExtensionsWithTheRoleAndConnectsNothingUntilStart() throws Exception {
        Config root =
                Tickmux.load(
                        ConfigFactory.parseString(TickmuxAssemblyTest.UNIVERSES),
                        Map.of("SYMBOL_UNIVERSE_KEY", "stock_etf_test:combo_test"));
        Recording ext = new Recording();
        try (Tickmux app = Tickmux.builder(root).extensions(List.of(ext)).role(ROLE).build()) {
            assertThat(app.role()).isSameAs(ROLE);
            app.startStandby();
            app.startStandby();
            assertThat(ext.roles).containsExactly(ROLE);
            assertThat(app.extensionHandles()).hasSize(1);
            assertThat(app.manager().healthStatus().connected()).isZero();
            app.start();
            assertThat(app.awaitSubscribed(Duration.ofSeconds(30))).isTrue();
            assertThat(ext.roles).as("not started twice").hasSize(1);
        }
        try (Tickmux plain = Tickmux.builder(root).extensions(List.of()).build()) {
            assertThat(plain.role()).as("not part of a pair").isNull();
        }
    }

    @Test
    void aSinkIsUnfencedByDefaultAndCannotTellWhatItPublished() {
        assertThat(Fence.NONE.valid()).isTrue();
        assertThat(Fence.NONE.epoch()).isZero();
        Sink plain =
                new Sink() {
                    @Override
                    public String name() {
                        return "plain";
                    }

                    @Override
                    public void start() {}

                    @Override
                    public void onEvents(String connectionId, List<MarketEvent> events) {}

                    @Override
                    public void onStatus(StatusEvent event) {}

                    @Override
                    public SinkHealth health() {
                        return null;
                    }

                    @Override
                    public void close() {}
                };
        plain.fence(Fence.NONE);
        assertThat(plain.publishedThroughNanos()).isEqualTo(-1);
    }
}
