package io.tickmux.transport.massive.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tickmux.spi.event.EventKind;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The auth, subscribe and unsubscribe messages, and how tickers are grouped into messages. */
class ControlMessagesTest {

    private final ControlMessages tradesAndQuotes =
            new ControlMessages(List.of(EventKind.TRADE, EventKind.QUOTE), 5);

    @Test
    void theAuthMessageCarriesTheKeyAsAJsonString() throws IOException {
        String key = "k\"ey\\with\nodd";

        assertThat(fields(ControlMessages.auth(key)))
                .containsExactly(Map.entry("action", "auth"), Map.entry("params", key));
    }

    @Test
    void aSubscribeNamesEveryChannelOfEachTickerInOrder() throws IOException {
        assertThat(fields(tradesAndQuotes.topics(true, List.of("AAPL", "BRK.A"))))
                .containsExactly(
                        Map.entry("action", "subscribe"),
                        Map.entry("params", "T.AAPL,Q.AAPL,T.BRK.A,Q.BRK.A"));
        assertThat(fields(tradesAndQuotes.topics(false, List.of("AAPL"))))
                .containsExactly(
                        Map.entry("action", "unsubscribe"), Map.entry("params", "T.AAPL,Q.AAPL"));
    }

    @Test
    void aTickerThatIsNotPlainTextStaysInsideTheParams() throws IOException {
        assertThat(fields(tradesAndQuotes.topics(true, List.of("A\",\"action\":\"auth"))))
                .containsEntry("action", "subscribe")
                .containsEntry("params", "T.A\",\"action\":\"auth,Q.A\",\"action\":\"auth");
    }

    @Test
    void tickersAreGroupedSoNoMessageHasMoreTopicsThanAllowed() {
        assertThat(tradesAndQuotes.groups(List.of("A", "B", "C", "D", "E")))
                .as("5 topics a message, 2 channels a ticker: 2 tickers a message")
                .containsExactly(List.of("A", "B"), List.of("C", "D"), List.of("E"));
        assertThat(tradesAndQuotes.groups(List.of("A", "B"))).containsExactly(List.of("A", "B"));
        assertThat(tradesAndQuotes.groups(List.of())).isEmpty();
    }

    @Test
    void aMessageCarriesAtLeastOneTickerWhateverTheLimit() {
        ControlMessages three =
                new ControlMessages(
                        List.of(EventKind.TRADE, EventKind.QUOTE, EventKind.SECOND_AGGREGATE), 2);

        assertThat(three.topicsPerTicker()).isEqualTo(3);
        assertThat(three.groups(List.of("A", "B"))).containsExactly(List.of("A"), List.of("B"));
    }

    /** The message's string fields, in order; fails unless it is one flat JSON object. */
    private static Map<String, String> fields(String json) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_STRING);
                out.put(name, p.getText());
            }
            assertThat(p.currentToken()).isEqualTo(JsonToken.END_OBJECT);
            assertThat(p.nextToken()).as("nothing after the object").isNull();
        }
        return out;
    }
}
