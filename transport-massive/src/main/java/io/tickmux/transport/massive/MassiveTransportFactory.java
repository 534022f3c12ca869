package io.tickmux.transport.massive;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.spi.concurrent.Threads;
import io.tickmux.spi.transport.ConnectionSpec;
import io.tickmux.spi.transport.TransportConnection;
import io.tickmux.spi.transport.TransportFactory;
import io.tickmux.spi.transport.TransportListener;
import io.tickmux.transport.massive.internal.MassiveConnection;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The Massive.com stocks WebSocket transport, named {@code massive}. Thread-safe.
 *
 * <pre>{@code
 * TransportFactory massive = new MassiveTransportFactory();   // reads application.conf + env
 * }</pre>
 */
public final class MassiveTransportFactory implements TransportFactory {

    /** The name configuration selects this transport by. */
    public static final String NAME = "massive";

    private final Config root;
    private final MassiveSettings defaults;

    /**
     * Real frames nest three deep (array, object, condition array); a frame nested deeper than this
     * is malformed, and is rejected before the parser builds a context per level.
     */
    static final int MAX_NESTING = 32;

    private final JsonFactory json =
            JsonFactory.builder()
                    .streamReadConstraints(
                            StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
                    // prices: correctly rounded like Double.parseDouble, a fraction of its time
                    .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                    .build();
    private final ScheduledExecutorService timer;

    /**
     * Reads {@code tickmux.transport.massive} from {@code ConfigFactory.load()} (application.conf,
     * reference.conf, {@code MASSIVE_API_KEY} and {@code MASSIVE_WS_URL}). Used by ServiceLoader.
     */
    public MassiveTransportFactory() {
        this(ConfigFactory.load());
    }

    /**
     * @param root the whole configuration
     * @throws io.tickmux.spi.config.TickmuxConfigException when the settings are invalid
     */
    public MassiveTransportFactory(Config root) {
        this.root = requireNonNull(root, "root is null");
        this.defaults = MassiveSettings.from(root);
        ScheduledThreadPoolExecutor t =
                new ScheduledThreadPoolExecutor(1, Threads.named("tickmux-massive-timer"));
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public TransportFactory configure(Config config) {
        return new MassiveTransportFactory(config);
    }

    /**
     * The global settings, before per-connection overrides.
     *
     * @return the settings
     */
    public MassiveSettings settings() {
        return defaults;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException when no API key is configured for the connection, or its URL is
     *     cleartext to a host other than loopback without {@code allow-cleartext}
     */
    @Override
    public TransportConnection create(ConnectionSpec spec, TransportListener listener) {
        MassiveSettings s =
                spec.settings().isEmpty()
                        ? defaults
                        : MassiveSettings.forConnection(root, spec.settings(), spec.id());
        if (s.apiKey().isEmpty()) {
            throw new IllegalStateException(
                    "connection "
                            + spec.id()
                            + " has no Massive API key: set MASSIVE_API_KEY, or"
                            + " tickmux.transport.massive.api-key, or the connection's api-key");
        }
        return new MassiveConnection(spec, s, listener, timer, json);
    }
}
