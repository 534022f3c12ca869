package io.tickmux.health.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tickmux.health.http.Raw.Answer;
import io.tickmux.spi.config.Secret;
import io.tickmux.spi.config.TickmuxConfigException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The health server against hostile browsers and clients, over a real loopback socket: every
 * refusal is the expected status with a JSON body, never a 500, a stack trace or an HTML page, and
 * every response carries the security headers.
 */
class HealthServerHardeningTest {

    private static final String TOKEN = "t0ken-for-the-hardening-test-42";
    private static final String EVIL = "http://evil.example";

    /** A refusal as it must look: the status, JSON, a message, no trace of the server's insides. */
    static void assertJsonError(Answer a, int status, String contains) {
        assertThat(a.status()).as("status of %s", a).isEqualTo(status);
        assertThat(a.header("Content-Type")).as("content type").startsWith("application/json");
        assertThat(a.body())
                .as("body")
                .startsWith("{\"error\":\"")
                .contains("\"status\":" + status)
                .contains(contains)
                .doesNotContain("Exception")
                .doesNotContain("\tat ")
                .doesNotContain("<html")
                .doesNotContain(TOKEN);
        assertSecured(a);
    }

    static void assertSecured(Answer a) {
        assertThat(a.header("Content-Security-Policy"))
                .as("CSP of a %d", a.status())
                .contains("frame-ancestors 'none'")
                .contains("default-src 'none'")
                .contains("script-src 'self'");
        assertThat(a.header("X-Content-Type-Options")).as("nosniff").isEqualTo("nosniff");
    }

    private static String post(int port, String extraHeaders) {
        return "POST /api/websocket/rebalance HTTP/1.1\r\nHost: 127.0.0.1:"
                + port
                + "\r\n"
                + extraHeaders
                + "Content-Length: 0\r\n";
    }

    // ------------------------------------------------------------ cross-site

    @Test
    void crossSiteAndSimplePostsAreRefusedAndRebalanceNothing() throws Exception {
        TestRouter router = new TestRouter();
        try (HealthFixture f = new HealthFixture(router);
                HealthServer s =
                        HealthServer.start(
                                f.manager, HttpSettings.parse("tickmux.http.port = 0"))) {
            int port = s.port();
            String own = "http://127.0.0.1:" + port;
            // the curl: a cross-site simple POST
            assertJsonError(
                    Raw.send(
                            port,
                            post(port, "Origin: " + EVIL + "\r\nContent-Type: text/plain\r\n")),
                    403,
                    "cross-origin request refused");
            // the same with JSON: a preflighted request the browser would not send, refused anyway
            assertJsonError(
                    Raw.send(
                            port,
                            post(
                                    port,
                                    "Origin: " + EVIL + "\r\nContent-Type: application/json\r\n")),
                    403,
                    "cross-origin");
            // an HTML form, and a no-cors fetch, from a sandboxed or local page: Origin null
            assertJsonError(
                    Raw.send(
                            port,
                            post(
                                    port,
                                    "Origin: null\r\nContent-Type:"
                                            + " application/x-www-form-urlencoded\r\n")),
                    403,
                    "cross-origin");
            // a browser's cross-site request that carries no Origin
            assertJsonError(
                    Raw.send(
                            port,
                            post(
                                    port,
                                    "Sec-Fetch-Site: cross-site\r\nSec-Fetch-Mode: no-cors\r\n"
                                            + "Content-Type: application/json\r\n")),
                    403,
                    "cross-site request refused");
            // a simple request from anywhere, without a token: not enough on its own
            for (String type : List.of("text/plain", "application/x-www-form-urlencoded")) {
                assertJsonError(
                        Raw.send(port, post(port, "Content-Type: " + type + "\r\n")),
                        403,
                        "POST needs 'Content-Type: application/json' or an 'X-Requested-With'");
            }
            assertJsonError(Raw.send(port, post(port, "")), 403, "X-Requested-With");
            // reading across sites is refused too (a CORS GET names its origin)
            assertJsonError(
                    Raw.send(
                            port,
                            "GET /api/websocket/health HTTP/1.1\r\nHost: 127.0.0.1:"
                                    + port
                                    + "\r\nOrigin: "
                                    + EVIL
                                    + "\r\n"),
                    403,
                    "cross-origin");
            // same port, another name or scheme is another origin
            assertJsonError(
                    Raw.send(
                            port,
                            post(
                                    port,
                                    "Origin: http://127.0.0.1:"
                                            + (port + 1)
                                            + "\r\nContent-Type: application/json\r\n")),
                    403,
                    "cross-origin");
            assertThat(router.httpPlans.get()).as("rebalances run by the refused POSTs").isZero();

            // what the dashboard (same origin) and a script (custom header) send
            Answer dashboard =
                    Raw.send(
                            port,
                            post(
                                    port,
                                    "Origin: " + own + "\r\nContent-Type: application/json\r\n"));
            assertThat(dashboard.status()).isEqualTo(200);
            assertThat(dashboard.body()).contains("\"moved\":0");
            assertSecured(dashboard);
            assertThat(Raw.send(port, post(port, "X-Requested-With: curl\r\n")).status())
                    .isEqualTo(200);
            assertThat(router.httpPlans.get()).isEqualTo(2);
        }
    }

    @Test
    void dnsRebindingHostsAreRefusedOwnNamesAndAddressesAnswer() throws Exception {
        try (HealthFixture f = new HealthFixture();
                HealthServer s =
                        HealthServer.start(
                                f.manager,
                                HttpSettings.parse(
                                        "tickmux.http { port = 0, allowed-hosts ="
                                                + " [Dash.Internal] }"))) {
            int port = s.port();
            for (String host :
                    List.of(
                            "evil.example:" + port,
                            "evil.example",
                            "attacker.localhost:" + port,
                            "localhost.evil.example:" + port,
                            "127.0.0.1.nip.io:" + port,
                            ":" + port,
                            "a:b:c")) {
                Answer a =
                        Raw.send(
                                port,
                                "GET /api/websocket/health HTTP/1.1\r\nHost: " + host + "\r\n");
                assertThat(a.status()).as("Host %s", host).isIn(400, 403);
                assertJsonError(a, a.status(), a.status() == 403 ? "Host is not this server" : "");
            }
            for (String host :
                    List.of(
                            "localhost:" + port,
                            "LOCALHOST:" + port,
                            "127.0.0.1:" + port,
                            "127.0.0.1",
                            "[::1]:" + port,
                            "192.0.2.99:" + port,
                            "dash.internal",
                            "DASH.internal:443")) {
                Answer a =
                        Raw.send(
                                port,
                                "GET /api/websocket/health HTTP/1.1\r\nHost: " + host + "\r\n");
                assertThat(a.status()).as("Host %s", host).isEqualTo(200);
                assertThat(a.body()).contains("\"total_connections\":3");
                assertSecured(a);
            }
            // a trusted proxy's origin, by name
            assertThat(
                            Raw.send(
                                            port,
                                            post(
                                                    port,
                                                    "Origin: https://dash.internal\r\nContent-Type:"
                                                            + " application/json\r\n"))
                                    .status())
                    .isEqualTo(200);
        }
    }

    // ------------------------------------------------------------ sizes

    @Test
    void oversizedBodiesHeadersAndUrisAreRefusedWithJson() throws Exception {
        TestRouter router = new TestRouter();
        try (HealthFixture f = new HealthFixture(router);
                HealthServer s =
                        HealthServer.start(
                                f.manager, HttpSettings.parse("tickmux.http.port = 0"))) {
            int port = s.port();
            String head =
                    "POST /api/websocket/rebalance HTTP/1.1\r\nHost: 127.0.0.1:"
                            + port
                            + "\r\nContent-Type: application/json\r\n";
            // declared
            byte[] big = new byte[20_000];
            java.util.Arrays.fill(big, (byte) ' ');
            assertJsonError(
                    Raw.send("127.0.0.1", port, head + "Content-Length: 20000\r\n", big),
                    413,
                    "request body too large: at most tickmux.http.max-body-size = 16384 bytes");
            // declared far beyond what is sent: refused on the declaration, nothing read
            assertJsonError(
                    Raw.send(
                            "127.0.0.1",
                            port,
                            head + "Content-Length: 10000000000\r\n",
                            new byte[0]),
                    413,
                    "max-body-size");
            // chunked, 100 KB
            StringBuilder chunked = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                chunked.append("3e8\r\n").append(" ".repeat(1000)).append("\r\n");
            }
            chunked.append("0\r\n\r\n");
            assertJsonError(
                    Raw.send(
                            "127.0.0.1",
                            port,
                            head + "Transfer-Encoding: chunked\r\n",
                            chunked.toString().getBytes(StandardCharsets.US_ASCII)),
                    413,
                    "max-body-size");
            assertThat(router.httpPlans.get()).as("rebalances run by refused POSTs").isZero();
            // a small JSON body is fine
            assertThat(
                            Raw.send(
                                            "127.0.0.1",
                                            port,
                                            head + "Content-Length: 2\r\n",
                                            "{}".getBytes(StandardCharsets.US_ASCII))
                                    .status())
                    .isEqualTo(200);
            // headers over 8 KiB
            assertJsonError(
                    Raw.send(
                            port,
                            "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1:"
                                    + port
                                    + "\r\nX-Big: "
                                    + "x".repeat(10_000)
                                    + "\r\n"),
                    431,
                    "request headers too large: the request line and headers together may be at"
                            + " most tickmux.http.max-header-size = 8192 bytes");
            // many small headers adding up
            StringBuilder many = new StringBuilder();
            for (int i = 0; i < 500; i++) {
                many.append("X-H").append(i).append(": ").append("v".repeat(20)).append("\r\n");
            }
            assertJsonError(
                    Raw.send(
                            port,
                            "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + many),
                    431,
                    "max-header-size");
            // the server is fine afterwards
            assertThat(Raw.get(port, "/health/live").body()).isEqualTo("{\"status\":\"UP\"}");
        }
    }

    // ------------------------------------------------------------ concurrency

    @Test
    void aSecondRebalanceWhileOneRunsIsAnswered409() throws Exception {
        TestRouter router = new TestRouter();
        try (HealthFixture f = new HealthFixture(router);
                HealthServer s =
                        HealthServer.start(
                                f.manager, HttpSettings.parse("tickmux.http.port = 0"))) {
            int port = s.port();
            String json = "Content-Type: application/json\r\n";
            router.hold();
            CompletableFuture<Answer> first =
                    CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return Raw.send(port, post(port, json));
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            });
            assertThat(router.entered.await(HealthFixture.TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .as("the first rebalance is running")
                    .isTrue();
            List<Answer> during = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                during.add(Raw.send(port, post(port, json)));
            }
            for (Answer a : during) {
                assertJsonError(a, 409, "a rebalance is already running");
            }
            assertThat(router.httpPlans.get()).as("plans started").isEqualTo(1);
            router.release();
            Answer done = first.get(HealthFixture.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(done.status()).isEqualTo(200);
            assertThat(done.body()).contains("\"moved\":0");
            assertThat(Raw.send(port, post(port, json)).status()).as("after it").isEqualTo(200);
            assertThat(router.httpPlans.get()).isEqualTo(2);
        }
    }

    // ------------------------------------------------------------ odd ids

    @Test
    void oddIdsAreAnsweredWithJsonErrorsNeverA500() throws Exception {
        try (HealthFixture f = new HealthFixture();
                HealthServer s =
                        HealthServer.start(
                                f.manager, HttpSettings.parse("tickmux.http.port = 0"))) {
            int port = s.port();
            List<String> ids =
                    List.of(
                            "..%2f..",
                            "..%2F..%2Fhealth",
                            "..%2f..%2f..%2fetc%2fpasswd",
                            "%2e%2e",
                            "%00",
                            "a%00b",
                            "%ZZ",
                            "%",
                            "a%0d%0aSet-Cookie:%20x=1",
                            "%E2%80%AE",
                            "%C0%AE%C0%AE",
                            "..;",
                            "x".repeat(129),
                            "x".repeat(2_000),
                            "x".repeat(10_000));
            for (String id : ids) {
                for (String suffix : List.of("", "/tickers")) {
                    String path = "/api/websocket/connections/" + id + suffix;
                    Answer a = Raw.get(port, path);
                    String what = path.length() > 80 ? path.substring(0, 80) + "…" : path;
                    System.out.printf("GET %s -> %d%n", what, a.status());
                    assertThat(a.status()).as(what).isIn(400, 404, 414);
                    assertJsonError(a, a.status(), "");
                    assertThat(a.headers()).as(what).doesNotContainKey("set-cookie");
                    assertThat(a.body().length()).as("%s: body length", what).isLessThan(600);
                }
            }
            // a 10 KB id is over the request-line limit; a 2,000-character one is a 400 naming it
            assertThat(Raw.get(port, "/api/websocket/connections/" + "x".repeat(10_000)).status())
                    .isEqualTo(414);
            assertThat(Raw.get(port, "/api/websocket/connections/" + "x".repeat(2_000)).body())
                    .contains("is malformed: use 1 to 128 letters")
                    .contains("(2000 characters)");
            // and the real ids still answer
            assertThat(Raw.get(port, "/api/websocket/connections/connection_1").status())
                    .isEqualTo(200);
        }
    }

    // ------------------------------------------------------------ headers everywhere

    @Test
    void everyResponseCarriesTheSecurityHeaders() throws Exception {
        try (HealthFixture f = new HealthFixture();
                HealthServer s =
                        HealthServer.start(
                                f.manager, HttpSettings.parse("tickmux.http.port = 0"))) {
            int port = s.port();
            for (String path :
                    List.of(
                            "/",
                            "/dashboard.js",
                            "/dashboard.css",
                            "/api/websocket/connections",
                            "/api/websocket/connections/connection_1",
                            "/api/websocket/connections/nope",
                            "/api/websocket/health",
                            "/health/live",
                            "/health/ready",
                            "/metrics",
                            "/nothing/here")) {
                Answer a = Raw.get(port, path);
                assertSecured(a);
                assertThat(a.status()).as(path).isIn(200, 404);
            }
            Answer page = Raw.get(port, "/");
            assertThat(page.body())
                    .contains("<script src=\"/dashboard.js\"></script>")
                    .doesNotContain("<script>")
                    .doesNotContain("<style>")
                    .doesNotContain("style=");
            assertThat(Raw.get(port, "/dashboard.js").header("Content-Type"))
                    .startsWith("text/javascript");
            assertSecured(Raw.send(port, "PUT /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
            // the stream takes only GET: no slot for anything else
            for (String method : List.of("HEAD", "POST", "PUT", "DELETE")) {
                Answer a =
                        Raw.send(
                                port,
                                method
                                        + " /api/websocket/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                        + "X-Requested-With: x\r\nContent-Length: 0\r\n");
                assertThat(a.status()).as(method).isEqualTo(405);
                assertSecured(a);
                if (!method.equals("HEAD")) {
                    assertJsonError(a, 405, "");
                }
            }
            assertThat(s.streamStats().opened()).isZero();
            assertSecured(Raw.send(port, "GARBAGE\r\n"));
            assertThat(Raw.send(port, "GARBAGE\r\n").status()).isEqualTo(400);
            // the stream's headers
            try (SseReader reader = new SseReader(port)) {
                org.awaitility.Awaitility.await()
                        .atMost(HealthFixture.TIMEOUT)
                        .untilAsserted(() -> assertThat(reader.ids).isNotEmpty());
            }
        }
    }

    // ------------------------------------------------------------ tokens

    @Test
    void protectReadsNeedsTheTokenForDataButNotForProbesOrThePage() throws Exception {
        try (HealthFixture f = new HealthFixture();
                HealthServer s =
                        HealthServer.start(
                                f.manager,
                                HttpSettings.parse(
                                        "tickmux.http { port = 0, protect-reads = true, token = \""
                                                + TOKEN
                                                + "\" }"))) {
            int port = s.port();
            String auth = "Authorization: Bearer " + TOKEN + "\r\n";
            for (String path :
                    List.of(
                            "/api/websocket/connections",
                            "/api/websocket/connections/connection_1",
                            "/api/websocket/connections/connection_1/tickers",
                            "/api/websocket/health",
                            "/api/websocket/stream",
                            "/metrics",
                            "/health/live/../../api/websocket/health",
                            "/health/live%2f..%2f..%2fapi/websocket/health",
                            "/nothing")) {
                Answer a = Raw.get(port, path);
                assertJsonError(a, 401, "reads need the header 'Authorization: Bearer");
                assertThat(a.header("WWW-Authenticate")).isEqualTo("Bearer");
                Answer wrong =
                        Raw.send(
                                port,
                                "GET "
                                        + path
                                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer"
                                        + " nope\r\n");
                assertThat(wrong.status()).as(path).isEqualTo(401);
            }
            for (String path :
                    List.of("/api/websocket/health", "/metrics", "/api/websocket/connections")) {
                Answer a =
                        Raw.send(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth);
                assertThat(a.status()).as(path).isEqualTo(200);
                assertThat(a.body()).doesNotContain(TOKEN);
            }
            for (String path :
                    List.of(
                            "/",
                            "/dashboard.js",
                            "/dashboard.css",
                            "/health/live",
                            "/health/ready")) {
                assertThat(Raw.get(port, path).status()).as(path).isEqualTo(200);
            }
            // POST with the token needs nothing else; without it 401
            assertJsonError(Raw.send(port, post(port, "")), 401, "POST needs the header");
            assertThat(Raw.send(port, post(port, auth)).status()).isEqualTo(200);
        }
    }

    @Test
    void theLimitsHaveTheirDefaultsAndBounds() {
        HttpSettings d = HttpSettings.parse("");
        assertThat(d.allowedHosts()).isEmpty();
        assertThat(d.protectReads()).isFalse();
        assertThat(d.maxStreams()).isEqualTo(32);
        assertThat(d.streamBuffer()).isEqualTo(8);
        assertThat(d.maxBodySize()).isEqualTo(16 * 1024);
        assertThat(d.maxHeaderSize()).isEqualTo(8 * 1024);
        HttpSettings set =
                HttpSettings.parse(
                        "tickmux.http { allowed-hosts = [\" Box.LAN \"], max-body-size = 1KiB,"
                                + " max-header-size = 64KiB, max-streams = 4, stream-buffer = 2 }");
        assertThat(set.allowedHosts()).containsExactly("box.lan");
        assertThat(set.maxBodySize()).isEqualTo(1024);
        assertThat(set.maxHeaderSize()).isEqualTo(65536);
        assertThatThrownBy(
                        () ->
                                HttpSettings.parse(
                                        "tickmux.http { max-body-size = banana, max-header-size ="
                                                + " 100, max-streams = 0 }"))
                .isInstanceOfSatisfying(
                        TickmuxConfigException.class,
                        e ->
                                assertThat(e.problems())
                                        .hasSize(3)
                                        .anyMatch(
                                                p ->
                                                        p.contains(
                                                                "max-body-size = 'banana' is not a size"))
                                        .anyMatch(
                                                p ->
                                                        p.contains(
                                                                "max-header-size = 100 is out of range"))
                                        .anyMatch(
                                                p ->
                                                        p.contains(
                                                                "max-streams = 0 is out of range")));
    }

    @Test
    void protectReadsWithoutATokenIsRefusedHoweverTheSettingsAreMade() {
        assertThatThrownBy(() -> HttpSettings.parse("tickmux.http.protect-reads = true"))
                .isInstanceOf(TickmuxConfigException.class)
                .hasMessageContaining("tickmux.http.protect-reads = true needs tickmux.http.token");
        assertThatThrownBy(
                        () ->
                                new HttpSettings(
                                        true,
                                        "127.0.0.1",
                                        0,
                                        Secret.of(""),
                                        Duration.ofSeconds(1),
                                        50,
                                        List.of(),
                                        true,
                                        32,
                                        8,
                                        16_384,
                                        8_192))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("protect-reads = true needs tickmux.http.token");
    }

    @Test
    void offLoopbackWithoutATokenIsRefusedHoweverTheServerIsBuilt() throws Exception {
        // settings built in code are held to the rule, not only the config reader
        assertThatThrownBy(
                        () ->
                                HttpSettings.of(
                                        true,
                                        "0.0.0.0",
                                        0,
                                        Secret.of(""),
                                        Duration.ofSeconds(1),
                                        50))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "tickmux.http.host = '0.0.0.0' is not a loopback address, so"
                                + " tickmux.http.token must be set");
        assertThat(
                        HttpSettings.of(
                                        true,
                                        "0.0.0.0",
                                        0,
                                        Secret.of(TOKEN),
                                        Duration.ofSeconds(1),
                                        50)
                                .toString())
                .doesNotContain(TOKEN);

        // a server made for loopback and then started on every interface answers only loopback
        InetAddress lan = nonLoopbackAddress();
        assumeTrue(lan != null, "this machine has no non-loopback IPv4 address to try");
        try (HealthFixture f = new HealthFixture();
                HealthServer s = HealthServer.create(f.manager, HttpSettings.parse(""))) {
            s.app().start("0.0.0.0", 0);
            int port = s.port();
            Answer far =
                    Raw.send(
                            lan.getHostAddress(),
                            port,
                            "GET /api/websocket/health HTTP/1.1\r\nHost: "
                                    + lan.getHostAddress()
                                    + ":"
                                    + port
                                    + "\r\n",
                            new byte[0]);
            assertJsonError(far, 403, "serves loopback only");
            Answer farPost =
                    Raw.send(
                            lan.getHostAddress(),
                            port,
                            "POST /api/websocket/rebalance HTTP/1.1\r\nHost: "
                                    + lan.getHostAddress()
                                    + "\r\nX-Requested-With: x\r\nContent-Length: 0\r\n",
                            new byte[0]);
            assertJsonError(farPost, 403, "serves loopback only");
            assertThat(Raw.get(port, "/api/websocket/health").status()).isEqualTo(200);
        }
        // with a token the same server serves every interface
        try (HealthFixture f = new HealthFixture();
                HealthServer s =
                        HealthServer.create(
                                f.manager,
                                HttpSettings.parse("tickmux.http.token = \"" + TOKEN + "\""))) {
            s.app().start("0.0.0.0", 0);
            int port = s.port();
            Answer far =
                    Raw.send(
                            lan.getHostAddress(),
                            port,
                            "GET /health/live HTTP/1.1\r\nHost: "
                                    + lan.getHostAddress()
                                    + ":"
                                    + port
                                    + "\r\n",
                            new byte[0]);
            assertThat(far.status()).isEqualTo(200);
        }
    }

    private static InetAddress nonLoopbackAddress() throws Exception {
        for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!n.isUp() || n.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(n.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                    return a;
                }
            }
        }
        return null;
    }
}
