package io.tickmux.routers.sector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.tickmux.routing.ConnectionState;
import io.tickmux.routing.ConnectionView;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.routing.TickerView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SectorRoutingStrategyTest {

    private static RoutingStrategy router(String extra) {
        return new SectorRoutingStrategyFactory()
                .create(
                        ConfigFactory.parseString(extra)
                                .withFallback(
                                        ConfigFactory.parseResources("reference.conf")
                                                .getConfig("tickmux.routing.sector")),
                        null);
    }

    private static ConnectionView c(String id, ConnectionState s, int count, int cap) {
        return new ConnectionView(id, id, s, count, cap, Map.of(), Set.of());
    }

    private static TickerView sector(String symbol, String sector) {
        return new TickerView(symbol, "", sector, Set.of());
    }

    private static final List<ConnectionView> UP =
            List.of(
                    c("connection_1", ConnectionState.CONNECTED, 0, 99),
                    c("connection_2", ConnectionState.CONNECTED, 0, 99),
                    c("connection_3", ConnectionState.CONNECTED, 0, 99));

    @Test
    void sectorsGoToTheirConnectionsAndUnknownToTheDefault() {
        RoutingStrategy r = router("tickers { JPM = finance }");
        assertThat(r.select(sector("AAPL", "Technology"), UP)).contains("connection_1");
        assertThat(r.select(TickerView.of("JPM"), UP)).contains("connection_2");
        assertThat(r.select(sector("XOM", "energy"), UP)).contains("connection_3");
        assertThat(r.select(sector("ZZZ", "crypto"), UP)).contains("connection_3");
        assertThat(r.select(TickerView.of("NOSECTOR"), UP)).contains("connection_3");
        assertThat(r.imbalance(UP)).isZero();
    }

    @Test
    void readsSectorsFromACsvFile(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("symbols.csv");
        Files.writeString(
                csv,
                "symbol,sector,tier\nAAPL,technology,premium\n# comment\nBRK.A,finance,standard\n");
        RoutingStrategy r = router("metadata-file = \"" + csv.toString().replace("\\", "/") + "\"");
        assertThat(r.select(TickerView.of("BRK.A"), UP)).contains("connection_2");
        assertThat(r.select(TickerView.of("AAPL"), UP)).contains("connection_1");
        Files.writeString(csv, "AAPL\n");
        assertThatThrownBy(
                        () ->
                                router(
                                        "metadata-file = \""
                                                + csv.toString().replace("\\", "/")
                                                + "\""))
                .hasMessageContaining("line 1 is not symbol,sector[,tier]");
        assertThatThrownBy(() -> router("metadata-file = \"/no/such/file.csv\""))
                .hasMessageContaining("metadata-file = '/no/such/file.csv' cannot be read");
    }

    @Test
    void aFullSectorSpillsOrRefuses() {
        List<ConnectionView> techDown =
                List.of(
                        c("connection_1", ConnectionState.FAILED, 0, 99),
                        c("connection_2", ConnectionState.CONNECTED, 5, 99),
                        c("connection_3", ConnectionState.CONNECTED, 2, 99));
        assertThat(router("").select(sector("AAPL", "technology"), techDown))
                .contains("connection_3");
        RoutingStrategy refuse = router("when-unavailable = refuse");
        assertThat(refuse.select(sector("AAPL", "technology"), techDown)).isEmpty();
        assertThat(refuse.explainRefusal(sector("AAPL", "technology"), techDown))
                .contains("sector 'technology' connections [connection_1] are full or down")
                .contains("when-unavailable = refuse");
    }

    @Test
    void aRebalanceSendsTickersToTheirSectors() {
        Map<String, List<TickerView>> current =
                Map.of(
                        "connection_3",
                        List.of(
                                sector("AAPL", "technology"),
                                sector("JPM", "finance"),
                                sector("UNH", "healthcare")));
        Map<String, Set<String>> plan = router("").plan(current, UP);
        assertThat(plan.get("connection_1")).containsExactly("AAPL");
        assertThat(plan.get("connection_2")).containsExactly("JPM");
        assertThat(plan.get("connection_3")).containsExactly("UNH");
    }

    @Test
    void badSettingsAreReportedTogether() {
        assertThatThrownBy(
                        () ->
                                router(
                                        "when-unavailable = later, default-connection = \"\", sektors = {}"))
                .hasMessageContaining("unknown key tickmux.routing.sector.sektors")
                .hasMessageContaining("default-connection is missing")
                .hasMessageContaining("when-unavailable = 'later'");
    }
}
