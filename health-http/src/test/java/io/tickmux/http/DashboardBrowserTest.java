package io.tickmux.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickmux.routing.ConnectionView;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.routing.TickerView;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's chromium and chromium-driver, driven by
 * Selenium without Selenium Manager): three connections update live, a dropped connection shows its
 * state change, and the rebalance button moves tickers and shows the result.
 */
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

    private static WebDriverWait waitUpTo(int seconds) {
        WebDriverWait w =
                new WebDriverWait(driver, Duration.ofSeconds(seconds), Duration.ofMillis(50));
        return w;
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
        return waitUpTo(10)
                .withMessage("messages of " + id + " to change from " + previous)
                .until(
                        d -> {
                            String t = text(d, "#card-" + id + " .messages");
                            return t.matches("\\d+") && Long.parseLong(t) != previous
                                    ? Long.parseLong(t)
                                    : null;
                        });
    }

    @Test
    void showsThreeConnectionsLiveFollowsAFailoverAndRebalances() throws Exception {
        driver.get("http://127.0.0.1:" + server.port() + "/");
        waitUpTo(10)
                .withMessage("three connection cards")
                .until(d -> d.findElements(By.cssSelector(".card")).size() == 3);
        assertThat(text(driver, "#card-connection_1 h2")).contains("primary").contains("connected");
        for (String id : List.of("connection_1", "connection_2", "connection_3")) {
            long first = nextMessages(id, -1);
            long second = nextMessages(id, first);
            assertThat(second).isGreaterThan(first);
        }
        assertThat(text(driver, "#conn")).isEqualTo("live");
        assertThat(text(driver, "#card-connection_1 .tickers")).startsWith("6 ");

        fixture.mock.connection("connection_3").drop();
        waitUpTo(10)
                .withMessage("connection_3 shown as reconnecting")
                .until(d -> text(d, "#card-connection_3 .state").equals("reconnecting"));
        waitUpTo(10)
                .withMessage("the failover in recent events")
                .until(
                        d ->
                                text(d, "#events")
                                        .contains(
                                                "connection_3 connected → reconnecting: abort (1006)"));

        driver.findElement(By.id("rebalance")).click();
        String result =
                waitUpTo(10)
                        .withMessage("rebalance result")
                        .until(
                                d -> {
                                    String t = text(d, "#result");
                                    return t.startsWith("moved") ? t : null;
                                });
        assertThat(result).matches("moved [1-9]\\d* tickers");
        waitUpTo(10)
                .withMessage("moves in recent events")
                .until(d -> text(d, "#events").contains("(rebalance requested)"));
        waitUpTo(10)
                .withMessage(
                        "nothing moved onto the reconnecting connection_3, its ticker moved off")
                .until(d -> text(d, "#card-connection_3 .tickers").startsWith("0 "));
        Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, Path.of("target", "dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
