package io.tickmux.health.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickmux.app.GatewayRole;
import io.tickmux.core.ConnectionHealth;
import io.tickmux.core.HealthStatus;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.spi.concurrent.Threads;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data the dashboard streams: a snapshot (the health, the gateway's role, each connection with
 * its lag, the {@link RecentEvents}, whether the page needs the token), sent to every open stream
 * at once and then every {@code push-interval} by its own thread, {@code tickmux-http-push}. The
 * streams themselves, their limits and their buffers are {@link SnapshotStreams}'.
 */
final class DashboardFeed {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardFeed.class);

    private final MultiConnectionManager manager;
    private final GatewayRole role;
    private final HttpSettings settings;
    private final ObjectMapper json;
    private final RecentEvents recent;
    private final SnapshotStreams streams;
    private final ScheduledExecutorService pusher;

    /**
     * @param manager the manager to show
     * @param settings the push interval, the recent events kept, the token rules, the stream limits
     * @param role the gateway's role; null when not part of an active/standby pair
     * @param json how the snapshot is written
     */
    DashboardFeed(
            MultiConnectionManager manager,
            HttpSettings settings,
            GatewayRole role,
            ObjectMapper json) {
        this.manager = manager;
        this.role = role;
        this.settings = settings;
        this.json = json;
        this.recent = new RecentEvents(settings.recentEvents());
        this.streams = new SnapshotStreams(settings, this::snapshot);
        this.pusher =
                Executors.newSingleThreadScheduledExecutor(Threads.named("tickmux-http-push"));
    }

    /**
     * @return the servlet that serves the streams
     */
    SnapshotStreams streams() {
        return streams;
    }

    /** Starts recording status events and pushing snapshots. */
    void start() {
        manager.addStatusListener(recent);
        long every = settings.pushInterval().toMillis();
        pusher.scheduleAtFixedRate(this::push, every, every, TimeUnit.MILLISECONDS);
    }

    /** Stops pushing and closes every stream (the server is stopping). */
    void stopStreams() {
        pusher.shutdownNow();
        streams.closeAll();
    }

    /** Stops recording status events, pushing and streaming. */
    void close() {
        manager.removeStatusListener(recent);
        stopStreams();
    }

    /**
     * @return the current snapshot as one line of JSON
     */
    String snapshot() {
        HealthStatus h = manager.healthStatus();
        Map<String, Object> m = HealthJson.health(h, role);
        List<Map<String, Object>> cs = new ArrayList<>();
        for (ConnectionHealth c : h.connections()) {
            Map<String, Object> one = HealthJson.summary(c);
            one.put("lag_ms", HealthJson.lag(manager.lagMillis(c.id())));
            cs.add(one);
        }
        m.put("connections", cs);
        m.put("recent", recent.snapshot());
        m.put("post_needs_token", !settings.token().isEmpty());
        m.put("reads_need_token", settings.protectReads());
        try {
            return json.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void push() {
        try {
            streams.push();
        } catch (RuntimeException e) {
            LOG.warn("dashboard push failed; retrying at the next interval", e);
        }
    }
}
