package io.tickmux.transport.massive;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.tickmux.spi.transport.Transport;
import io.tickmux.spi.transport.TransportContext;
import io.tickmux.spi.transport.TransportFactory;
import io.tickmux.transport.massive.internal.MassiveTransport;

/**
 * The Massive.com stocks WebSocket transport, named {@code massive}. Stateless and thread-safe: the
 * constructor does nothing; each {@link #create} reads {@code tickmux.transport.massive} from the
 * host's configuration (application.conf, reference.conf, {@code MASSIVE_API_KEY} and {@code
 * MASSIVE_WS_URL}) and sets its pings, read deadlines and timeouts on the host's scheduler.
 *
 * <pre>{@code
 * MultiConnectionManager.builder()
 *         .transport(new MassiveTransportFactory())
 *         .config(ConfigFactory.load())
 * }</pre>
 */
public final class MassiveTransportFactory implements TransportFactory {

    /** The name configuration selects this transport by. */
    public static final String NAME = "massive";

    /**
     * Real frames nest three deep (array, object, condition array); a frame nested deeper than this
     * is malformed, and is rejected before the parser builds a context per level.
     */
    static final int MAX_NESTING = 32;

    /** Used by ServiceLoader; does no work and starts nothing. */
    public MassiveTransportFactory() {}

    @Override
    public String name() {
        return NAME;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The transport's {@link Transport#create} throws {@link IllegalStateException} when no API
     * key is configured for the connection, or its URL is cleartext to a host other than loopback
     * without {@code allow-cleartext}, and {@link io.tickmux.spi.config.TickmuxConfigException}
     * when the connection's own settings are invalid.
     */
    @Override
    public Transport create(TransportContext context) {
        MassiveSettings defaults = MassiveSettings.from(context.config());
        JsonFactory json =
                JsonFactory.builder()
                        .streamReadConstraints(
                                StreamReadConstraints.builder()
                                        .maxNestingDepth(MAX_NESTING)
                                        .build())
                        // prices: correctly rounded like Double.parseDouble, a fraction of its time
                        .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                        .build();
        return new MassiveTransport(context.config(), defaults, context.scheduler(), json);
    }
}
