package io.tickmux.health.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickmux.core.HealthStatus;
import io.tickmux.routing.ConnectionView;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.routing.TickerView;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.transport.mock.MockEvents;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The dashboard in a real headless Chromium (Debian's chromium and chromium-driver, driven by
 * Selenium without Selenium Manager): three connections update live, a dropped connection shows its
 * state change, the rebalance button moves tickers and shows the result, and the totals account for
 * every event received (delivered, duplicates dropped, unwanted dropped).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

    static final String BROWSER = System.getenv().getOrDefault("CHROMIUM_BIN", "/usr/bin/chromium");
    static final String DRIVER =
            System.getenv().getOrDefault("CHROMEDRIVER_BIN", "/usr/bin/chromedriver");

    @TempDir static Path profile;
    static HealthFixture fixture;
    static HealthServer server;
    static ChromeDriver driver;

    /** Splits tickers evenly, in symbol order, over the routable connections. */
    static final RoutingStrategy EVEN =
            new RoutingStrategy() {
                @Override
                public Optional<String> select(TickerView t, List<ConnectionView> cs) {
                    return cs.stream()
                            .filter(ConnectionView::canAccept)
                            .map(ConnectionView::id)
                            .findFirst();
                }

                @Override
                public Map<String, Set<String>> plan(
                        Map<String, ? extends Collection<TickerView>> current,
                        List<ConnectionView> cs) {
                    List<String> all = new ArrayList<>();
                    current.values().forEach(l -> l.forEach(t -> all.add(t.symbol())));
                    Collections.sort(all);
                    List<String> live =
                            cs.stream()
                                    .filter(c -> c.state().isRoutable())
                                    .map(ConnectionView::id)
                                    .toList();
                    Map<String, Set<String>> m = new LinkedHashMap<>();
                    live.forEach(id -> m.put(id, new LinkedHashSet<>()));
                    for (int i = 0; i < all.size(); i++) {
                        m.get(live.get(i % live.size())).add(all.get(i));
                    }
                    return m;
                }
            };

    @BeforeAll
    static void start() throws Exception {
        for (String bin : new String[] {BROWSER, DRIVER}) {
            if (!Files.isExecutable(Path.of(bin))) {
                throw new IllegalStateException(
                        bin
                                + " is missing: apt-get install chromium chromium-driver"
                                + " (.ci/run does this), or set CHROMIUM_BIN / CHROMEDRIVER_BIN");
            }
        }
        fixture = new HealthFixture(EVEN).streaming();
        server =
                HealthServer.start(
                        fixture.manager,
                        HttpSettings.parse("tickmux.http { port = 0, push-interval = 200ms }"));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1280,900",
                "--user-data-dir=" + profile.toAbsolutePath());
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(new File(DRIVER))
                        .usingAnyFreePort()
                        .build();
        driver = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    /**
     * Waits for the page: generous (it costs nothing when the test passes), polling every 50 ms on
     * the test's own thread (one WebDriver, one thread), and on a timeout the assertion says what
     * the page showed.
     */
    private static ConditionFactory waitForPage() {
        return await().atMost(HealthFixture.TIMEOUT)
                .pollInSameThread()
                .pollInterval(Duration.ofMillis(50));
    }

    /**
     * Reads an element's text in one script call: the page re-renders the cards on every push, so a
     * WebElement found in one call can be stale by the next.
     */
    private static String text(WebDriver d, String css) {
        Object t =
                ((JavascriptExecutor) d)
                        .executeScript(
                                "const e = document.querySelector(arguments[0]);"
                                        + " return e ? e.innerText : '';",
                                css);
        return t == null ? "" : t.toString().trim();
    }

    private static long nextMessages(String id, long previous) {
        AtomicLong seen = new AtomicLong();
        waitForPage()
                .untilAsserted(
                        () -> {
                            String t = text(driver, "#card-" + id + " .messages");
                            assertThat(t).as("messages of %s", id).matches("\\d+");
                            assertThat(Long.parseLong(t))
                                    .as("messages of %s, to change", id)
                                    .isNotEqualTo(previous);
                            seen.set(Long.parseLong(t));
                        });
        return seen.get();
    }

    @Test
    @Order(1)
    void showsThreeConnectionsLiveFollowsAFailoverAndRebalances() throws Exception {
        driver.get("http://127.0.0.1:" + server.port() + "/");
        waitForPage()
                .untilAsserted(
                        () ->
                                assertThat(driver.findElements(By.cssSelector(".card")))
                                        .as("connection cards")
                                        .hasSize(3));
        assertThat(text(driver, "#card-connection_1 h2")).contains("primary").contains("connected");
        for (String id : List.of("connection_1", "connection_2", "connection_3")) {
            long first = nextMessages(id, -1);
            long second = nextMessages(id, first);
            assertThat(second).isGreaterThan(first);
        }
        assertThat(text(driver, "#conn")).isEqualTo("live");
        assertThat(text(driver, "#card-connection_1 .tickers")).startsWith("6 ");

        fixture.mock.connection("connection_3").drop();
        waitForPage()
                .untilAsserted(
                        () ->
                                assertThat(text(driver, "#card-connection_3 .state"))
                                        .as("connection_3's state")
                                        .isEqualTo("reconnecting"));
        waitForPage()
                .untilAsserted(
                        () ->
                                assertThat(text(driver, "#events"))
                                        .as("recent events")
                                        .contains(
                                                "connection_3 connected → reconnecting: abort (1006)"));

        driver.findElement(By.id("rebalance")).click();
        AtomicReference<String> result = new AtomicReference<>();
        waitForPage()
                .untilAsserted(
                        () -> {
                            result.set(text(driver, "#result"));
                            assertThat(result.get()).as("rebalance result").startsWith("moved");
                        });
        assertThat(result.get()).matches("moved [1-9]\\d* tickers");
        waitForPage()
                .untilAsserted(
                        () ->
                                assertThat(text(driver, "#events"))
                                        .as("moves in recent events")
                                        .contains("(rebalance requested)"));
        waitForPage()
                .untilAsserted(
                        () ->
                                assertThat(text(driver, "#card-connection_3 .tickers"))
                                        .as(
                                                "connection_3's tickers: nothing moved onto it while"
                                                        + " reconnecting, its ticker moved off")
                                        .startsWith("0 "));
        Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, Path.of("target", "dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
        assertNoPolicyViolations();
    }

    /** Runs second: its rebalance would change what the first test expects to see. */
    @Test
    @Order(2)
    void withProtectedReadsThePageAsksForTheTokenThenGoesLive() throws Exception {
        String token = "browser-test-token-7c1f";
        try (HealthServer locked =
                HealthServer.start(
                        fixture.manager,
                        HttpSettings.parse(
                                "tickmux.http { port = 0, push-interval = 200ms, protect-reads ="
                                        + " true, token = \""
                                        + token
                                        + "\" }"))) {
            driver.get("http://127.0.0.1:" + locked.port() + "/");
            waitForPage()
                    .untilAsserted(
                            () ->
                                    assertThat(text(driver, "#conn"))
                                            .as("the page without the token")
                                            .isEqualTo("token needed"));
            assertThat(driver.findElements(By.cssSelector(".card"))).isEmpty();
            assertThat(driver.findElement(By.id("token")).isDisplayed()).isTrue();
            driver.findElement(By.id("token")).sendKeys(token, Keys.TAB);
            waitForPage()
                    .untilAsserted(
                            () ->
                                    assertThat(driver.findElements(By.cssSelector(".card")))
                                            .as("connection cards with the token")
                                            .hasSize(3));
            waitForPage().untilAsserted(() -> assertThat(text(driver, "#conn")).isEqualTo("live"));
            long first = nextMessages("connection_1", -1);
            assertThat(nextMessages("connection_1", first)).isGreaterThan(first);
            driver.findElement(By.id("rebalance")).click();
            waitForPage()
                    .untilAsserted(
                            () ->
                                    assertThat(text(driver, "#result"))
                                            .as("rebalance result")
                                            .startsWith("moved"));
            assertNoPolicyViolations();
        }
    }

    /**
     * On a quiet manager (no feed), so every count is exact: 4 trades delivered, 2 repeats the
     * repeat filter dropped, and 3 events for a ticker the manager let go; the page shows each in
     * the totals, and the 9 events received.
     */
    @Test
    @Order(3)
    void theTotalsShowWhatWasDeliveredAndWhatTheFiltersDropped() throws Exception {
        try (HealthFixture quiet = new HealthFixture(EVEN);
                HealthServer s =
                        HealthServer.start(
                                quiet.manager,
                                HttpSettings.parse(
                                        "tickmux.http { port = 0, push-interval = 200ms }"))) {
            long t = 1_700_000_000_000L;
            quiet.mock
                    .connection("connection_1")
                    .emit(
                            MockEvents.trade("T0", 1, t),
                            MockEvents.trade("T1", 1, t),
                            MockEvents.trade("T2", 1, t),
                            MockEvents.trade("T0", 1, t),
                            MockEvents.trade("T3", 1, t),
                            MockEvents.trade("T1", 1, t));
            assertThat(quiet.manager.unsubscribeTicker("JPM")).isTrue();
            quiet.mock.connection("connection_2").flush(HealthFixture.TIMEOUT);
            List<MarketEvent> late = new ArrayList<>();
            for (int q = 1; q <= 3; q++) {
                late.add(MockEvents.trade("JPM", q, t));
            }
            quiet.deliverUnfiltered("connection_2", late);
            waitForPage()
                    .untilAsserted(
                            () -> {
                                HealthStatus h = quiet.manager.healthStatus();
                                assertThat(h.deliveredTicks()).as("delivered").isEqualTo(4);
                                assertThat(h.duplicatesDropped()).as("duplicates").isEqualTo(2);
                                assertThat(h.unwantedDropped()).as("unwanted").isEqualTo(3);
                            });

            driver.get("http://127.0.0.1:" + s.port() + "/");
            waitForPage()
                    .untilAsserted(
                            () ->
                                    assertThat(
                                                    Map.of(
                                                            "events",
                                                            text(driver, "#ticks"),
                                                            "delivered",
                                                            text(driver, "#delivered"),
                                                            "duplicates dropped",
                                                            text(driver, "#duplicates"),
                                                            "unwanted dropped",
                                                            text(driver, "#unwanted")))
                                            .as("the totals")
                                            .isEqualTo(
                                                    Map.of(
                                                            "events",
                                                            "9",
                                                            "delivered",
                                                            "4",
                                                            "duplicates dropped",
                                                            "2",
                                                            "unwanted dropped",
                                                            "3")));
            assertThat(text(driver, ".totals"))
                    .contains("events 9 · delivered 4 · duplicates dropped 2 · unwanted dropped 3");
            assertNoPolicyViolations();
        }
    }

    /** The page runs under its Content-Security-Policy without the browser refusing anything. */
    private static void assertNoPolicyViolations() {
        List<String> refused = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getMessage().contains("Content Security Policy")
                    || e.getMessage().contains("Refused to")) {
                refused.add(e.getMessage());
            }
        }
        assertThat(refused).as("what the browser refused").isEmpty();
    }
}
