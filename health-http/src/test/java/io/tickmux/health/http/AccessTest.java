package io.tickmux.health.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The bearer token rules on plain request values, without a server. */
class AccessTest {

    private static final String TOKEN = "access-test-token-91b2";

    private static final Access OPEN = new Access(HttpSettings.parse(""));
    private static final Access TOKEN_FOR_POST =
            new Access(HttpSettings.parse("tickmux.http.token = \"" + TOKEN + "\""));
    private static final Access TOKEN_FOR_ALL =
            new Access(
                    HttpSettings.parse(
                            "tickmux.http { token = \"" + TOKEN + "\", protect-reads = true }"));

    private static Optional<Access.Refusal> post(
            Access a, String authorization, String contentType, String requestedWith) {
        return a.check(
                "POST", "/api/websocket/rebalance", authorization, contentType, requestedWith);
    }

    private static Optional<Access.Refusal> get(Access a, String path, String authorization) {
        return a.check("GET", path, authorization, null, null);
    }

    @Test
    void withoutATokenOnlyLoopbackIsServed() {
        assertThat(OPEN.reach(true)).isEmpty();
        Access.Refusal far = OPEN.reach(false).orElseThrow();
        assertThat(far.status()).isEqualTo(403);
        assertThat(far.challenge()).isFalse();
        assertThat(far.message()).contains("serves loopback only").contains("tickmux.http.token");

        assertThat(TOKEN_FOR_POST.reach(false)).isEmpty();
        assertThat(TOKEN_FOR_POST.reach(true)).isEmpty();
    }

    @Test
    void withATokenAPostNeedsExactlyThatBearerToken() {
        assertThat(post(TOKEN_FOR_POST, "Bearer " + TOKEN, null, null)).isEmpty();
        for (String wrong :
                new String[] {
                    null, "", TOKEN, "Bearer " + TOKEN + " ", "bearer " + TOKEN, "Bearer nope"
                }) {
            Access.Refusal r = post(TOKEN_FOR_POST, wrong, "application/json", "x").orElseThrow();
            assertThat(r.status()).as("Authorization: %s", wrong).isEqualTo(401);
            assertThat(r.challenge()).isTrue();
            assertThat(r.message()).contains("Authorization: Bearer").doesNotContain(TOKEN);
        }
    }

    @Test
    void withoutATokenAPostMustBeOneAWebPageCannotSendCrossSite() {
        assertThat(post(OPEN, null, "application/json", null)).isEmpty();
        assertThat(post(OPEN, null, " Application/JSON; charset=utf-8", null)).isEmpty();
        assertThat(post(OPEN, null, null, "XMLHttpRequest")).isEmpty();
        for (String[] simple :
                new String[][] {
                    {null, null},
                    {"application/x-www-form-urlencoded", null},
                    {"text/plain", " "},
                    {"multipart/form-data", ""}
                }) {
            Access.Refusal r = post(OPEN, null, simple[0], simple[1]).orElseThrow();
            assertThat(r.status()).as("Content-Type %s", simple[0]).isEqualTo(403);
            assertThat(r.challenge()).isFalse();
            assertThat(r.message()).contains("Content-Type: application/json");
        }
    }

    @Test
    void readsAreOpenUnlessProtectedAndThenProbesAndThePageStayOpen() {
        assertThat(get(OPEN, "/api/websocket/health", null)).isEmpty();
        assertThat(get(TOKEN_FOR_POST, "/api/websocket/stream", null)).isEmpty();

        Access.Refusal r = get(TOKEN_FOR_ALL, "/api/websocket/health", null).orElseThrow();
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.challenge()).isTrue();
        assertThat(r.message()).contains("protect-reads").doesNotContain(TOKEN);
        assertThat(get(TOKEN_FOR_ALL, "/api/websocket/health", "Bearer nope")).isPresent();
        assertThat(get(TOKEN_FOR_ALL, "/api/websocket/health", "Bearer " + TOKEN)).isEmpty();
        assertThat(TOKEN_FOR_ALL.check("HEAD", "/metrics", null, null, null)).isPresent();
        for (String open : Access.OPEN_READS) {
            assertThat(get(TOKEN_FOR_ALL, open, null)).as(open).isEmpty();
        }
        assertThat(get(TOKEN_FOR_ALL, "/health/ready/", null))
                .as("only the exact open paths")
                .isPresent();
    }
}
