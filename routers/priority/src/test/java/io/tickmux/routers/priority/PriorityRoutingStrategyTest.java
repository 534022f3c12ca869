package io.tickmux.routers.priority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.tickmux.routing.ConnectionState;
import io.tickmux.routing.ConnectionView;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.routing.TickerView;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PriorityRoutingStrategyTest {

    private static RoutingStrategy router(String extra) {
        return new PriorityRoutingStrategyFactory()
                .create(
                        ConfigFactory.parseString(extra)
                                .withFallback(
                                        ConfigFactory.parseResources("reference.conf")
                                                .getConfig("tickmux.routing.priority")),
                        null);
    }

    private static ConnectionView c(String id, ConnectionState s, int count, int cap) {
        return new ConnectionView(id, id, s, count, cap, Map.of(), Set.of());
    }

    private static TickerView tier(String symbol, String tier) {
        return new TickerView(symbol, tier, "", Set.of());
    }

    private static final List<ConnectionView> UP =
            List.of(
                    c("connection_1", ConnectionState.CONNECTED, 0, 2),
                    c("connection_2", ConnectionState.CONNECTED, 0, 99),
                    c("connection_3", ConnectionState.CONNECTED, 0, 99));

    @Test
    void tiersGoToTheirConnections() {
        RoutingStrategy r = router("");
        assertThat(r.select(tier("AAPL", "premium"), UP)).contains("connection_1");
        assertThat(r.select(tier("JPM", "standard"), UP)).contains("connection_2");
        assertThat(r.select(tier("GME", "free"), UP)).contains("connection_3");
        assertThat(r.select(TickerView.of("NOTIER"), UP)).contains("connection_3");
        assertThat(r.select(tier("X", "unknown-tier"), UP)).contains("connection_3");
        assertThat(router("tickers { NOTIER = premium }").select(TickerView.of("NOTIER"), UP))
                .contains("connection_1");
        assertThat(r.imbalance(UP)).isZero();
    }

    @Test
    void numberedTiersWork() {
        // Objects merge in HOCON, so numbered tiers are configured without the reference tiers.
        RoutingStrategy r =
                new PriorityRoutingStrategyFactory()
                        .create(
                                ConfigFactory.parseString(
                                                "tiers { \"1\" = connection_1, \"2\" ="
                                                        + " connection_2 }, order = [\"1\", \"2\"]")
                                        .withFallback(
                                                ConfigFactory.parseResources("reference.conf")
                                                        .getConfig("tickmux.routing.priority")
                                                        .withoutPath("tiers")),
                                null);
        assertThat(r.select(tier("A", "2"), UP)).contains("connection_2");
        assertThat(r.select(tier("A", "1"), UP)).contains("connection_1");
    }

    @Test
    void aFullOrDeadTierSpillsToTheNextTier() {
        RoutingStrategy r = router("");
        List<ConnectionView> premiumFull =
                List.of(
                        c("connection_1", ConnectionState.CONNECTED, 2, 2),
                        c("connection_2", ConnectionState.CONNECTED, 0, 99),
                        c("connection_3", ConnectionState.CONNECTED, 0, 99));
        assertThat(r.select(tier("AAPL", "premium"), premiumFull)).contains("connection_2");
        List<ConnectionView> freeDead =
                List.of(
                        c("connection_1", ConnectionState.CONNECTED, 0, 2),
                        c("connection_2", ConnectionState.CONNECTED, 0, 99),
                        c("connection_3", ConnectionState.FAILED, 0, 99));
        assertThat(r.select(tier("GME", "free"), freeDead)).contains("connection_1");
    }

    @Test
    void refuseModeRefusesWithAClearReason() {
        RoutingStrategy r = router("when-unavailable = refuse");
        List<ConnectionView> premiumDown =
                List.of(
                        c("connection_1", ConnectionState.COOLDOWN, 0, 2),
                        c("connection_2", ConnectionState.CONNECTED, 0, 99));
        assertThat(r.select(tier("AAPL", "premium"), premiumDown)).isEmpty();
        assertThat(r.explainRefusal(tier("AAPL", "premium"), premiumDown))
                .contains("tier 'premium' connections [connection_1] are full or down")
                .contains("when-unavailable = refuse");
    }

    @Test
    void aRebalanceBringsSpilledTickersHomeAndFillsScarceRoomHighestTierFirst() {
        RoutingStrategy r = router("");
        Map<String, List<TickerView>> current =
                Map.of(
                        "connection_2",
                                List.of(
                                        tier("AAPL", "premium"),
                                        tier("MSFT", "premium"),
                                        tier("JPM", "standard")),
                        "connection_3", List.of(tier("NVDA", "premium")));
        Map<String, Set<String>> plan = r.plan(current, UP);
        assertThat(plan.get("connection_1")).containsExactly("AAPL", "MSFT");
        assertThat(plan.get("connection_2")).containsExactlyInAnyOrder("NVDA", "JPM");
        assertThat(plan.get("connection_3")).isEmpty();
    }

    @Test
    void badSettingsAreReportedTogether() {
        assertThatThrownBy(
                        () ->
                                router(
                                        "order = [premium, gold], when-unavailable = maybe, bogus = 1"))
                .hasMessageContaining("unknown key tickmux.routing.priority.bogus")
                .hasMessageContaining("order names tier 'gold'")
                .hasMessageContaining("tiers maps 'standard', which order does not list")
                .hasMessageContaining("when-unavailable = 'maybe' is not valid");
        assertThatThrownBy(() -> router("default-tier = gold"))
                .hasMessageContaining("default-tier = 'gold' is not one of");
        assertThatThrownBy(
                        () ->
                                new PriorityRoutingStrategyFactory()
                                        .create(ConfigFactory.parseString("tiers {}"), null))
                .hasMessageContaining("tiers is empty");
    }
}
