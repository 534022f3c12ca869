package io.tickmux.backfill.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.tickmux.core.Catalogue;
import io.tickmux.spi.backfill.BackfillHook;
import io.tickmux.spi.config.TickmuxConfigException;
import io.tickmux.spi.event.EventKind;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RestBackfillSettingsTest {

    @Test
    void theDefaultsPointAtMassiveWithABudget() {
        RestBackfillSettings s =
                RestBackfillSettings.from(ConfigFactory.parseString("api-key = k-123456"));
        assertThat(s.url()).isEqualTo(URI.create("https://api.massive.com"));
        assertThat(s.auth()).isEqualTo(RestBackfillSettings.Auth.HEADER);
        assertThat(s.channels()).isEqualTo(Set.of(EventKind.TRADE, EventKind.QUOTE));
        assertThat(s.pageLimit()).isEqualTo(50_000);
        assertThat(s.delay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.requestsPerMinute()).isEqualTo(100);
        assertThat(s.maxPagesPerGap()).isEqualTo(20);
        assertThat(s.maxGapAge()).isEqualTo(Duration.ofHours(1));
        assertThat(s.maxGapSpan()).isEqualTo(Duration.ofMinutes(15));
        assertThat(s.maxAttempts()).isEqualTo(5);
        assertThat(s.initialBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.maxBackoff()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.toString()).doesNotContain("k-123456");
        assertThat(s.apiKey().toString()).doesNotContain("k-123456");
    }

    @Test
    void everyProblemIsListedAtOnce() {
        assertThatThrownBy(
                        () ->
                                RestBackfillSettings.from(
                                        ConfigFactory.parseString(
                                                "url = \"http://api.example.com\", api-key = \"\","
                                                        + " channels = [T, AM], page-limit = 0,"
                                                        + " auth = cookie,"
                                                        + " retry.initial-backoff = 2m,"
                                                        + " budget.requests-per-minut = 5")))
                .isInstanceOf(TickmuxConfigException.class)
                .satisfies(
                        e ->
                                assertThat(((TickmuxConfigException) e).problems())
                                        .anySatisfy(
                                                p ->
                                                        assertThat(p)
                                                                .contains(
                                                                        "tickmux.backfill.rest.url")
                                                                .contains("unencrypted"))
                                        .anySatisfy(p -> assertThat(p).contains("MASSIVE_API_KEY"))
                                        .anySatisfy(p -> assertThat(p).contains("'AM'"))
                                        .anySatisfy(p -> assertThat(p).contains("page-limit"))
                                        .anySatisfy(p -> assertThat(p).contains("cookie"))
                                        .anySatisfy(
                                                p ->
                                                        assertThat(p)
                                                                .contains("initial-backoff")
                                                                .contains("max-backoff"))
                                        .anySatisfy(
                                                p ->
                                                        assertThat(p)
                                                                .contains("requests-per-minut")
                                                                .contains("did you mean")));
    }

    @Test
    void aLoopbackHttpUrlNeedsNothingAndAPathIsRefused() {
        assertThat(
                        RestBackfillSettings.from(
                                        ConfigFactory.parseString(
                                                "url = \"http://127.0.0.1:9999/\", api-key = k"))
                                .url())
                .isEqualTo(URI.create("http://127.0.0.1:9999"));
        assertThatThrownBy(
                        () ->
                                RestBackfillSettings.from(
                                        ConfigFactory.parseString(
                                                "url = \"https://api.massive.com/v3\", api-key = k")))
                .hasMessageContaining("has a path");
    }

    @Test
    void configurationChoosesItByName() {
        Catalogue catalogue = Catalogue.load();
        BackfillHook hook =
                catalogue
                        .backfill("rest")
                        .create(ConfigFactory.parseString("api-key = k, channels = [T]"));
        assertThat(hook).isInstanceOf(RestBackfill.class);
        assertThat(new RestBackfillFactory().name()).isEqualTo("rest");
    }
}
