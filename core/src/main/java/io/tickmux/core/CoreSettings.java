package io.tickmux.core;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.spi.config.SettingsReader;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The settings of {@code tickmux.core}, read eagerly from configuration. The defaults live only in
 * core's {@code reference.conf}, which documents each key.
 *
 * @param maxConnections most connections (and sockets) the manager holds at once
 * @param maxTickersPerConnection default capacity of a connection
 * @param dispatchMode how events reach the tick listener
 * @param queueCapacity bound of the dispatch queue in queued mode
 * @param overflowPolicy what a full dispatch queue does
 * @param reconnectInitialDelay first reconnect delay
 * @param reconnectMaxDelay longest reconnect delay
 * @param reconnectMultiplier growth factor of the delay per attempt
 * @param reconnectJitter random spread of each delay, 0..1 (0.5 = plus or minus 50%)
 * @param stableAfter how long a connection must stay up, delivering data, before its backoff resets
 * @param evictionCooldown how long to wait after a {@code max_connections} eviction
 * @param socketWaitDelay retry delay when the socket budget is full
 * @param healthCheckInterval how often health is evaluated (and auto-rebalance considered)
 * @param autoRebalance whether the health check rebalances by itself
 * @param rebalanceThreshold the router's imbalance above which the health check rebalances
 * @param rateSampleInterval how often message rates are sampled
 * @param rateHalfLife half-life of the decaying message-rate average
 * @param listenerErrorLogInterval at most one log line per this interval for listener exceptions
 * @param statusQueueCapacity bound of the status event queue
 * @param failoverEnabled re-home a dead connection's tickers on the connections that are up
 * @param failBack when re-homed tickers return
 * @param makeBeforeBreak moves of live tickers subscribe first and unsubscribe after the ack
 * @param dedupWindow how long the dedup filter stays after the old unsubscribe
 * @param dedupCapacity most event keys the dedup filter remembers per ticker
 * @param criticalTickers tickers held on two connections at once
 * @param evictionsToShrink evictions within the window after which the evicted connection is
 *     parked; 0 for never
 * @param evictionWindow the window evictions are counted in
 * @param stalenessEnabled whether silent tickers are reported
 * @param stalenessFactor how many expected intervals of silence make a ticker stale
 * @param stalenessMinSilence the least silence that makes a ticker stale
 * @param marketHours when staleness is checked
 * @param ackTimeoutRetries how many times a subscription whose ack timed out is sent again before
 *     it is reported refused
 * @param ackRetryDelay the wait before the first such retry; doubled for each further one
 * @param unsubscribeAckTimeout how long an unsubscribe may wait for its ack before it is given up
 */
public record CoreSettings(
        int maxConnections,
        int maxTickersPerConnection,
        DispatchMode dispatchMode,
        int queueCapacity,
        OverflowPolicy overflowPolicy,
        Duration reconnectInitialDelay,
        Duration reconnectMaxDelay,
        double reconnectMultiplier,
        double reconnectJitter,
        Duration stableAfter,
        Duration evictionCooldown,
        Duration socketWaitDelay,
        Duration healthCheckInterval,
        boolean autoRebalance,
        double rebalanceThreshold,
        Duration rateSampleInterval,
        Duration rateHalfLife,
        Duration listenerErrorLogInterval,
        int statusQueueCapacity,
        boolean failoverEnabled,
        FailBack failBack,
        boolean makeBeforeBreak,
        Duration dedupWindow,
        int dedupCapacity,
        Set<String> criticalTickers,
        int evictionsToShrink,
        Duration evictionWindow,
        boolean stalenessEnabled,
        double stalenessFactor,
        Duration stalenessMinSilence,
        MarketHours marketHours,
        int ackTimeoutRetries,
        Duration ackRetryDelay,
        Duration unsubscribeAckTimeout) {

    /**
     * When the market is open, for staleness checks.
     *
     * @param zone time zone
     * @param open opening time
     * @param close closing time
     * @param days trading days
     */
    public record MarketHours(ZoneId zone, LocalTime open, LocalTime close, Set<DayOfWeek> days) {
        public MarketHours {
            days = Set.copyOf(days);
        }

        /**
         * @param at an instant
         * @return whether the market is open then
         */
        public boolean isOpen(Instant at) {
            ZonedDateTime t = at.atZone(zone);
            LocalTime time = t.toLocalTime();
            return days.contains(t.getDayOfWeek()) && !time.isBefore(open) && time.isBefore(close);
        }
    }

    public CoreSettings {
        criticalTickers = Set.copyOf(criticalTickers);
    }

    /** When a failed-over connection's tickers return to it. */
    public enum FailBack {
        /** As soon as it is connected again. */
        IMMEDIATE,
        /** At the next rebalance. */
        REBALANCE
    }

    /** The configuration path these settings are read from. */
    public static final String PATH = "tickmux.core";

    /**
     * Reads {@code tickmux.core} from a resolved configuration.
     *
     * @param root the whole configuration, with core's reference.conf as fallback
     * @return the settings
     * @throws io.tickmux.spi.config.TickmuxConfigException listing every problem
     */
    public static CoreSettings from(Config root) {
        SettingsReader r = new SettingsReader(root, PATH);
        Duration ms = Duration.ofMillis(1);
        CoreSettings s =
                new CoreSettings(
                        r.intIn("max-connections", 1, 1000),
                        r.intIn("max-tickers-per-connection", 1, Integer.MAX_VALUE),
                        r.enumValue("dispatch.mode", DispatchMode.class),
                        r.intIn("dispatch.queue-capacity", 1, 1 << 24),
                        r.enumValue("dispatch.overflow", OverflowPolicy.class),
                        r.duration("reconnect.initial-delay", ms),
                        r.duration("reconnect.max-delay", ms),
                        r.doubleIn("reconnect.multiplier", 1.0, 100.0),
                        r.doubleIn("reconnect.jitter", 0.0, 1.0),
                        r.duration("reconnect.stable-after", Duration.ZERO),
                        r.duration("reconnect.eviction-cooldown", ms),
                        r.duration("reconnect.socket-wait", ms),
                        r.durationOrSeconds("health-check-interval", ms),
                        r.bool("auto-rebalance"),
                        r.doubleIn("rebalance-threshold", 0.0, 1000.0),
                        r.duration("rate.sample-interval", ms),
                        r.duration("rate.half-life", ms),
                        r.duration("listener-error-log-interval", Duration.ZERO),
                        r.intIn("status-queue-capacity", 1, 1 << 24),
                        r.bool("failover.enabled"),
                        r.enumValue("failover.fail-back", FailBack.class),
                        r.bool("moves.make-before-break"),
                        r.duration("moves.dedup-window", Duration.ZERO),
                        r.intIn("moves.dedup-capacity", 16, 1 << 20),
                        Set.copyOf(r.stringList("redundancy.critical")),
                        r.intIn("account-limit.evictions-to-shrink", 0, 1000),
                        r.duration("account-limit.window", Duration.ofSeconds(1)),
                        r.bool("staleness.enabled"),
                        r.doubleIn("staleness.factor", 1.0, 1e6),
                        r.duration("staleness.min-silence", Duration.ofMillis(1)),
                        marketHours(r),
                        r.intIn("subscriptions.ack-timeout-retries", 0, 100),
                        r.duration("subscriptions.retry-delay", ms),
                        r.duration("subscriptions.unsubscribe-ack-timeout", ms));
        if (s.reconnectMaxDelay.compareTo(s.reconnectInitialDelay) < 0) {
            r.problem(
                    "reconnect.max-delay",
                    "= "
                            + s.reconnectMaxDelay
                            + " is shorter than reconnect.initial-delay = "
                            + s.reconnectInitialDelay
                            + ": raise it");
        }
        r.finish();
        return s;
    }

    private static MarketHours marketHours(SettingsReader r) {
        ZoneId zone = ZoneOffset.UTC;
        String z = r.string("staleness.market-hours.zone");
        try {
            zone = ZoneId.of(z);
        } catch (DateTimeException e) {
            r.problem(
                    "staleness.market-hours.zone",
                    "= '" + z + "' is not a time zone: use e.g. America/New_York");
        }
        LocalTime open = time(r, "staleness.market-hours.open");
        LocalTime close = time(r, "staleness.market-hours.close");
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String d : r.stringList("staleness.market-hours.days")) {
            try {
                days.add(DayOfWeek.valueOf(d.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                r.problem(
                        "staleness.market-hours.days",
                        "has '" + d + "', not a day: use MONDAY..SUNDAY");
            }
        }
        return new MarketHours(zone, open, close, days);
    }

    private static LocalTime time(SettingsReader r, String key) {
        String v = r.string(key);
        try {
            return LocalTime.parse(v);
        } catch (DateTimeParseException e) {
            r.problem(key, "= '" + v + "' is not a time of day: use HH:mm, e.g. 09:30");
            return LocalTime.MIDNIGHT;
        }
    }

    /**
     * The defaults of core's {@code reference.conf}, with environment overrides applied.
     *
     * @return the settings
     */
    public static CoreSettings defaults() {
        return from(ConfigFactory.load());
    }

    /**
     * Reads settings from HOCON text layered over the defaults; convenient in tests.
     *
     * @param hocon overrides, e.g. {@code "tickmux.core.dispatch.mode = queued"}
     * @return the settings
     */
    public static CoreSettings parse(String hocon) {
        return from(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.load()).resolve());
    }
}
