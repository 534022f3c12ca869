package io.tickmux.transport.massive;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.tickmux.core.ConnectionDefinition;
import io.tickmux.core.ConnectionHealth;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.tck.RecordingStatusListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The integration checks against the real Massive feed. Runs only with {@code -Dtickmux.live=true}
 * and {@code MASSIVE_API_KEY} set; otherwise reported as skipped with the reason. Uses one
 * connection (the default account limit per asset class) and the real-time URL unless {@code
 * MASSIVE_WS_URL} says otherwise.
 */
class MassiveLiveTest {

    @BeforeEach
    void onlyWhenAskedFor() {
        Assumptions.assumeTrue(
                Boolean.getBoolean("tickmux.live"),
                "live suite not requested: run with -Dtickmux.live=true and MASSIVE_API_KEY set");
        String key = System.getenv("MASSIVE_API_KEY");
        Assumptions.assumeTrue(
                key != null && !key.isBlank(),
                "MASSIVE_API_KEY is not set: the live suite needs a real key");
    }

    @Test
    void authenticatesSubscribesAndIsAcknowledgedByTheRealFeed() throws Exception {
        AtomicLong events = new AtomicLong();
        RecordingStatusListener status = new RecordingStatusListener(Duration.ofSeconds(30));
        try (MultiConnectionManager m =
                MultiConnectionManager.builder()
                        .transport(new MassiveTransportFactory())
                        .config(ConfigFactory.load())
                        .tickListener(e -> events.incrementAndGet())
                        .statusListener(status)
                        .connection(ConnectionDefinition.of("live_1"))
                        .build()) {
            List<String> tickers =
                    List.of(
                            "AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META", "TSLA", "BRK.B", "SPY",
                            "QQQ");
            assertThat(m.connectAll(Map.of("live_1", tickers), Duration.ofSeconds(30)))
                    .as("connected and every topic acknowledged; status: %s", status.all())
                    .isTrue();
            ConnectionHealth h = m.healthStatus().connections().get(0);
            assertThat(h.subscribedTickers()).isEqualTo(tickers.size());
            // Outside market hours there may be no trades; report what arrived.
            System.out.printf("live: %d events in the first seconds%n", events.get());
        }
    }
}
