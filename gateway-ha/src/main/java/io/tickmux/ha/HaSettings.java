package io.tickmux.ha;

import com.typesafe.config.Config;
import io.tickmux.routing.config.StrictConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code tickmux.ha}, read eagerly: every problem is reported at once with its full path
 * (reference.conf of this module documents each key).
 *
 * @param mode off or active-standby
 * @param gatewayId this gateway's name in the lease
 * @param urls the NATS servers holding the lease
 * @param token a token; empty for none; never logged ({@link #toString()} masks it)
 * @param bucket the key-value bucket
 * @param key the lease's key
 * @param fileStorage file (true) or memory storage of the bucket
 * @param replicas the bucket's replicas
 * @param ttl the lease's time to live (the bucket's max-age)
 * @param renewInterval how often the holder renews
 * @param safetyMargin how much earlier than the ttl the holder gives the lease up by its own clock
 * @param acquireInterval how often a standby tries to acquire
 * @param requestTimeout the most time one key-value request may take
 * @param gapLead how much earlier than the previous holder's published-through time a switchover
 *     gap starts
 */
public record HaSettings(
        Mode mode,
        String gatewayId,
        List<String> urls,
        String token,
        String bucket,
        String key,
        boolean fileStorage,
        int replicas,
        Duration ttl,
        Duration renewInterval,
        Duration safetyMargin,
        Duration acquireInterval,
        Duration requestTimeout,
        Duration gapLead) {

    /** The path of these settings. */
    public static final String PATH = "tickmux.ha";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_=.-]{1,128}");

    /** How gateways share the account. */
    public enum Mode {
        /** One gateway; no lease. */
        OFF,
        /** One active gateway under the lease, the others standing by. */
        ACTIVE_STANDBY
    }

    /**
     * @param root the whole configuration (this module's reference.conf as fallback)
     * @return the settings
     * @throws io.tickmux.routing.config.ConfigProblems listing every problem
     */
    public static HaSettings from(Config root) {
        StrictConfig r = new StrictConfig(root, PATH);
        Mode mode = Mode.OFF;
        String m = r.string("mode").trim().toLowerCase(Locale.ROOT);
        switch (m) {
            case "off" -> mode = Mode.OFF;
            case "active-standby" -> mode = Mode.ACTIVE_STANDBY;
            case "hot-hot" ->
                    r.problem(
                            "mode",
                            "hot-hot (both gateways streaming) is not available yet: use"
                                    + " active-standby (docs/scale-out.md says what hot-hot needs)");
            default ->
                    r.problem(
                            "mode",
                            "must be off or active-standby, not '"
                                    + m
                                    + "'"
                                    + didYouMean(m, List.of("off", "active-standby")));
        }
        String id = r.string("gateway-id").trim();
        if (id.isEmpty()) {
            id = defaultId();
        } else if (!ID.matcher(id).matches()) {
            r.problem(
                    "gateway-id",
                    "'"
                            + id
                            + "' is not a valid name: use 1 to 64 letters, digits, '.', '_' or '-'");
        }
        List<String> urls =
                Arrays.stream(r.string("url").split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList();
        if (urls.isEmpty()) {
            r.problem("url", "names no server: give nats://host:4222 (comma-separated for more)");
        }
        String token = r.string("token");
        String bucket = r.string("bucket").trim();
        if (!BUCKET.matcher(bucket).matches()) {
            r.problem(
                    "bucket",
                    "'" + bucket + "' is not a valid bucket name: letters, digits, '_' or '-'");
        }
        String key = r.string("key").trim();
        if (!KEY.matcher(key).matches()) {
            r.problem(
                    "key", "'" + key + "' is not a valid key: letters, digits, '_', '-', '=', '.'");
        }
        String storage = r.string("storage").trim().toLowerCase(Locale.ROOT);
        if (!storage.equals("file") && !storage.equals("memory")) {
            r.problem("storage", "must be file or memory, not '" + storage + "'");
        }
        int replicas = r.intIn("replicas", 1, 5);
        Duration ttl = r.duration("ttl", Duration.ofMillis(500));
        Duration renew = r.duration("renew-interval", Duration.ofMillis(50));
        Duration margin = r.duration("safety-margin", Duration.ofMillis(50));
        Duration acquire = r.duration("acquire-interval", Duration.ofMillis(10));
        Duration request = r.duration("request-timeout", Duration.ofMillis(50));
        Duration lead = r.duration("gap-lead", Duration.ZERO);
        if (margin.multipliedBy(2).compareTo(ttl) > 0) {
            r.problem(
                    "safety-margin",
                    margin
                            + " is more than half the ttl ("
                            + ttl
                            + "): lower it or raise "
                            + PATH
                            + ".ttl");
        }
        if (renew.plus(request).compareTo(ttl.minus(margin)) >= 0) {
            r.problem(
                    "renew-interval",
                    renew
                            + " plus request-timeout "
                            + request
                            + " leaves no time to renew before the lease's local deadline (ttl"
                            + " minus safety-margin, "
                            + ttl.minus(margin)
                            + "): renew at most every ttl/3");
        }
        r.finish();
        return new HaSettings(
                mode,
                id,
                urls,
                token,
                bucket,
                key,
                storage.equals("file"),
                replicas,
                ttl,
                renew,
                margin,
                acquire,
                request,
                lead);
    }

    private static String didYouMean(String name, List<String> candidates) {
        String s = StrictConfig.didYouMean(name, candidates);
        return s == null || s.isEmpty() ? "" : s;
    }

    private static String defaultId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "gateway";
        }
        String clean = host.replaceAll("[^A-Za-z0-9._-]", "_");
        if (clean.length() > 40) {
            clean = clean.substring(0, 40);
        }
        String pid = ManagementFactory.getRuntimeMXBean().getName();
        int at = pid.indexOf('@');
        return clean
                + "-"
                + (at > 0 ? pid.substring(0, at) : Long.toString(ProcessHandle.current().pid()));
    }

    @Override
    public String toString() {
        return "HaSettings[mode="
                + mode
                + ", gatewayId="
                + gatewayId
                + ", urls="
                + urls
                + ", token="
                + (token.isEmpty() ? "" : "****")
                + ", bucket="
                + bucket
                + ", key="
                + key
                + ", ttl="
                + ttl
                + ", renewInterval="
                + renewInterval
                + ", safetyMargin="
                + safetyMargin
                + "]";
    }
}
