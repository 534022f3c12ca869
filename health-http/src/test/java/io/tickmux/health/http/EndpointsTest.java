package io.tickmux.health.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What an error may echo of a request: short, and no control characters. */
class EndpointsTest {

    @Test
    void anEchoEscapesControlCharactersAndIsCutAt64Characters() {
        assertThat(Endpoints.shorten("connection_1")).isEqualTo("connection_1");
        assertThat(Endpoints.shorten("a\r\nb\u0000")).isEqualTo("a\\u000d\\u000ab\\u0000");
        String exactly64 = "x".repeat(64);
        assertThat(Endpoints.shorten(exactly64)).isEqualTo(exactly64);
        assertThat(Endpoints.shorten("y".repeat(65) + "\n"))
                .isEqualTo("y".repeat(64) + "… (66 characters)");
    }
}
