package io.tickmux.transport.massive.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import io.tickmux.spi.event.Aggregate;
import io.tickmux.spi.event.FairMarketValue;
import io.tickmux.spi.event.Imbalance;
import io.tickmux.spi.event.LimitUpLimitDown;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.event.Quote;
import io.tickmux.spi.event.Trade;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parses the real frames quoted in the protocol reference (section 8). */
class FrameParserTest {

    private final List<MarketEvent> events = new ArrayList<>();
    private final List<String> statuses = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();
    private final FrameParser parser = new FrameParser(new JsonFactory());
    private final FrameParser.Sink sink =
            new FrameParser.Sink() {
                @Override
                public void event(MarketEvent event) {
                    events.add(event);
                }

                @Override
                public void status(String status, String message) {
                    statuses.add(status + "|" + message);
                }

                @Override
                public void skipped(String kind, String detail) {
                    skipped.add(kind + "|" + detail);
                }
            };

    private void parse(String frame) throws IOException {
        parser.parse(frame, sink);
    }

    @Test
    void officialTradeFixturesIncludingAnOmittedConditionArray() throws IOException {
        parse(
                "[{\"ev\": \"T\", \"sym\": \"AMZN\", \"i\": \"72815\", \"x\": 12, \"p\": 161.87,"
                        + " \"s\": 1, \"c\": [14, 37, 41], \"t\": 1651684192536, \"q\": 4009408,"
                        + " \"z\": 3},\n"
                        + " {\"ev\": \"T\", \"sym\": \"AMZN\", \"i\": \"799\", \"x\": 4, \"p\":"
                        + " 161.87, \"s\": 100, \"t\": 1651684192717, \"q\": 4009434, \"z\": 3}]");
        assertThat(events).hasSize(2);
        Trade a = (Trade) events.get(0);
        assertThat(a)
                .isEqualTo(
                        new Trade(
                                "AMZN",
                                12,
                                "72815",
                                3,
                                161.87,
                                1,
                                null,
                                new int[] {14, 37, 41},
                                1651684192536L,
                                -1,
                                4009408,
                                -1,
                                -1));
        Trade b = (Trade) events.get(1);
        assertThat(b.conditions()).isEmpty();
        assertThat(b.tradeId()).isEqualTo("799");
    }

    @Test
    void tradeWithParticipantTimestampFractionalSizeAndTrf() throws IOException {
        parse(
                "[{\"ev\":\"T\",\"sym\":\"MSFT\",\"x\":4,\"i\":\"12345\",\"z\":3,\"p\":114.125,"
                        + "\"s\":100,\"ds\":\"100.5\",\"c\":[0,12],\"t\":1536036818784,"
                        + "\"pt\":1536036818763,\"q\":3681328,\"trfi\":202,\"trft\":1536036818790}]");
        Trade t = (Trade) events.get(0);
        assertThat(t.participantTimestamp()).isEqualTo(1536036818763L);
        assertThat(t.decimalSize()).isEqualTo("100.5");
        assertThat(t.trfId()).isEqualTo(202);
        assertThat(t.trfTimestamp()).isEqualTo(1536036818790L);
        assertThat(t.conditions()).containsExactly(0, 12);
    }

    @Test
    void specQuote() throws IOException {
        parse(
                "[{\"ev\":\"Q\",\"sym\":\"MSFT\",\"bx\":4,\"bp\":114.125,\"bs\":100,\"ax\":7,"
                        + "\"ap\":114.128,\"as\":160,\"c\":0,\"i\":[604],\"t\":1536036818784,"
                        + "\"q\":50385480,\"z\":3}]");
        assertThat(events)
                .containsExactly(
                        new Quote(
                                "MSFT",
                                4,
                                114.125,
                                100,
                                7,
                                114.128,
                                160,
                                0,
                                new int[] {604},
                                1536036818784L,
                                50385480,
                                3));
    }

    @Test
    void liveSecondAggregateWithDecimalVolumesAsStrings() throws IOException {
        parse(
                "[{\"ev\":\"A\",\"sym\":\"FCX\",\"v\":4989,\"av\":4332125,\"op\":75.98,"
                        + "\"vw\":78.0894,\"o\":78.1,\"c\":78.08,\"h\":78.125,\"l\":78.07,"
                        + "\"a\":76.8404,\"z\":62,\"s\":1788877043000,\"e\":1788877044000,"
                        + "\"dv\":\"4989.0\",\"dav\":\"4332125.038360\"}]");
        Aggregate a = (Aggregate) events.get(0);
        assertThat(a)
                .isEqualTo(
                        new Aggregate(
                                "FCX",
                                false,
                                4989,
                                4332125,
                                75.98,
                                78.0894,
                                78.1,
                                78.125,
                                78.07,
                                78.08,
                                76.8404,
                                62,
                                1788877043000L,
                                1788877044000L,
                                false,
                                "4989.0",
                                "4332125.038360"));
    }

    @Test
    void specMinuteAggregateAndOtcFlag() throws IOException {
        parse(
                "[{\"ev\":\"AM\",\"sym\":\"GTE\",\"v\":4110,\"av\":9470157,\"op\":0.4372,"
                        + "\"vw\":0.4488,\"o\":0.4488,\"c\":0.4486,\"h\":0.4489,\"l\":0.4486,"
                        + "\"a\":0.4352,\"z\":685,\"s\":1610144640000,\"e\":1610144700000,"
                        + "\"otc\":true}]");
        Aggregate a = (Aggregate) events.get(0);
        assertThat(a.minute()).isTrue();
        assertThat(a.otc()).isTrue();
        assertThat(a.close()).isEqualTo(0.4486);
        assertThat(a.dayVwap()).isEqualTo(0.4352);
        assertThat(a.end() - a.start()).isEqualTo(60_000);
    }

    @Test
    void liveLuldWithTickerKeyAfterOtherFieldsAndNanoseconds() throws IOException {
        parse(
                "[{\"ev\":\"LULD\",\"h\":3.63,\"l\":2.97,\"i\":[15],\"z\":3,\"T\":\"ATHR\","
                        + "\"t\":1788877046310003385,\"q\":3209681}]");
        assertThat(events)
                .containsExactly(
                        new LimitUpLimitDown(
                                "ATHR",
                                3.63,
                                2.97,
                                new int[] {15},
                                3,
                                1788877046310003385L,
                                3209681));
    }

    @Test
    void specImbalanceWithDottedTicker() throws IOException {
        parse(
                "[{\"ev\":\"NOI\",\"T\":\"NTEST.Q\",\"t\":1601318039223013600,\"at\":930,"
                        + "\"a\":\"M\",\"i\":44,\"x\":10,\"o\":480,\"p\":440,\"b\":25.03}]");
        assertThat(events)
                .containsExactly(
                        new Imbalance(
                                "NTEST.Q",
                                1601318039223013600L,
                                930,
                                "M",
                                44,
                                10,
                                480,
                                440,
                                25.03));
    }

    @Test
    void fairMarketValue() throws IOException {
        parse("[{\"ev\":\"FMV\",\"fmv\":189.22,\"sym\":\"AAPL\",\"t\":1678220098130}]");
        assertThat(events).containsExactly(new FairMarketValue("AAPL", 189.22, 1678220098130L));
    }

    @Test
    void statusesBatchedInOneFrameAndABareObject() throws IOException {
        parse(
                "[{\"ev\":\"status\",\"status\":\"success\",\"message\":\"subscribed to:"
                        + " T.AAPL\"},{\"ev\":\"status\",\"status\":\"success\",\"message\":"
                        + "\"subscribed to: A.AAPL\"}]");
        parse("{\"ev\":\"status\",\"status\":\"error\",\"message\":\"not authorized\"}");
        parse(
                "[{\"ev\":\"status\",\"status\":\"max_connections\",\"message\":\"Maximum"
                        + " number of websocket connections exceeded. \"}]");
        assertThat(statuses)
                .containsExactly(
                        "success|subscribed to: T.AAPL",
                        "success|subscribed to: A.AAPL",
                        "error|not authorized",
                        "max_connections|Maximum number of websocket connections exceeded. ");
    }

    @Test
    void mixedFrameKeepsOrderAndSkipsUnknownEvents() throws IOException {
        parse(
                "[{\"ev\":\"T\",\"sym\":\"A\",\"t\":1,\"x\":1,\"p\":1,\"s\":1,\"extra\":{\"nested\":[1,2]}},"
                        + "{\"ev\":\"XQ\",\"pair\":\"BTC-USD\"},"
                        + "{\"ev\":\"Q\",\"sym\":\"B\",\"t\":2},"
                        + "{\"sym\":\"NOEV\"},"
                        + "{\"ev\":\"T\",\"t\":3}]");
        assertThat(events).extracting(MarketEvent::symbol).containsExactly("A", "B");
        assertThat(skipped)
                .containsExactly(
                        "unknown-event|unknown event type \"XQ\"",
                        "invalid-event|object without \"ev\"",
                        "invalid-event|trade without a ticker");
    }

    @Test
    void malformedFramesAreRejected() {
        assertThatThrownBy(() -> parse("[{\"ev\":\"T\",\"sym\":\"AAPL\",\"p\":1"))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> parse("42"))
                .hasMessageContaining("must be a JSON array or object");
        assertThatThrownBy(() -> parse("[1]")).hasMessageContaining("expected an object");
        assertThatThrownBy(() -> parse("[] []")).hasMessageContaining("trailing content");
    }

    @Test
    void framesReadFromTheirUtf8BytesGiveTheSameEventsAsFromAString() throws IOException {
        String frame =
                "[{\"ev\":\"T\",\"sym\":\"AAPL\",\"i\":\"72815\",\"x\":12,\"p\":161.87,\"s\":1,"
                        + "\"c\":[14,37,41],\"t\":1651684192536,\"q\":4009408,\"z\":3},"
                        + "{\"ev\":\"Q\",\"sym\":\"MSFT\",\"bx\":4,\"bp\":114.125,\"bs\":100,\"ax\":7,"
                        + "\"ap\":114.128,\"as\":160,\"c\":0,\"i\":[604],\"t\":1536036818784,"
                        + "\"q\":50385480,\"z\":3},{\"ev\":\"status\",\"status\":\"x\",\"message\":\"é€\"}]";
        parse(frame);
        List<MarketEvent> fromString = new ArrayList<>(events);
        List<String> statusesFromString = new ArrayList<>(statuses);
        events.clear();
        statuses.clear();
        byte[] utf8 = ("  " + frame).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        parser.parse(utf8, 2, utf8.length - 2, sink);
        assertThat(events).isEqualTo(fromString).hasSize(2);
        assertThat(statuses).isEqualTo(statusesFromString).containsExactly("x|é€");
        byte[] broken = "[{\"ev\":\"T\",".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThatThrownBy(() -> parser.parse(broken, 0, broken.length, sink))
                .isInstanceOf(IOException.class);
    }

    @Test
    void aTickerSeenAgainIsTheSameString() throws IOException {
        parse("[{\"ev\":\"T\",\"sym\":\"NVDA\",\"t\":1},{\"ev\":\"T\",\"sym\":\"AMD\",\"t\":1}]");
        byte[] next =
                "[{\"ev\":\"Q\",\"sym\":\"NVDA\",\"t\":2},{\"ev\":\"T\",\"sym\":\"NVDAX\",\"t\":2}]"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        parser.parse(next, 0, next.length, sink);
        assertThat(events)
                .extracting(MarketEvent::symbol)
                .containsExactly("NVDA", "AMD", "NVDA", "NVDAX");
        assertThat(events.get(2).symbol()).isSameAs(events.get(0).symbol());
        // a table of bounded size: many distinct tickers still come out right
        for (int i = 0; i < 10_000; i++) {
            parse("{\"ev\":\"T\",\"sym\":\"S" + i + "\",\"t\":1}");
        }
        assertThat(events.get(events.size() - 1).symbol()).isEqualTo("S9999");
        assertThat(events.subList(4, events.size()))
                .extracting(MarketEvent::symbol)
                .doesNotHaveDuplicates()
                .hasSize(10_000);
    }
}
