package io.tickmux.fake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Control messages as the official clients send them, and what the server refuses to read. */
class ControlMessageTest {

    @Test
    void readsTheActionAndParamsWhateverTheSpacingAndOtherFields() {
        assertThat(ControlMessage.parse("{\"action\":\"auth\",\"params\":\"KEY\"}"))
                .contains(new ControlMessage("auth", "KEY"));
        // The Python and JVM clients put a space after each colon and comma.
        assertThat(ControlMessage.parse("{\"action\": \"subscribe\", \"params\": \"T.A,Q.B\"}"))
                .contains(new ControlMessage("subscribe", "T.A,Q.B"));
        assertThat(
                        ControlMessage.parse(
                                "{\"extra\":{\"nested\":[1,{\"params\":\"no\"}]},"
                                        + "\"params\":\"T.A\",\"action\":\"unsubscribe\"}"))
                .as("a nested object is skipped, not read for its fields")
                .contains(new ControlMessage("unsubscribe", "T.A"));
    }

    @Test
    void refusesWhatIsNotAnObjectWithBothFields() {
        assertThat(ControlMessage.parse("[{\"action\":\"auth\",\"params\":\"k\"}]")).isEmpty();
        assertThat(ControlMessage.parse("{\"action\":\"auth\"}")).isEmpty();
        assertThat(ControlMessage.parse("{\"params\":\"k\"}")).isEmpty();
        assertThat(ControlMessage.parse("{\"action\":\"auth\",\"params\":")).isEmpty();
        assertThat(ControlMessage.parse("not json")).isEmpty();
        assertThat(ControlMessage.parse("")).isEmpty();
    }
}
