package io.tickmux.app;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.spi.config.TickmuxConfigException;
import io.tickmux.spi.event.StatusEvent;
import io.tickmux.spi.event.StatusListener;
import io.tickmux.spi.sink.Sink;
import io.tickmux.spi.sink.SinkContext;
import io.tickmux.spi.sink.SinkFactory;
import io.tickmux.spi.sink.SinkHealth;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured sinks of an application: selected by name from {@code tickmux.sinks}, made by the
 * {@link SinkFactory} of that name found with {@link ServiceLoader}, each with its settings from
 * {@code tickmux.sink.<name>}. Wiring, in three calls:
 *
 * <pre>{@code
 * Sinks sinks = Sinks.load(root, registry);         // fails at once on an unknown name
 * MultiConnectionManager manager = sinks.attach(MultiConnectionManager.builder()...).build();
 * sinks.start(manager);                             // status listeners, then each sink's start()
 * ...
 * sinks.close();                                    // before manager.close()
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} is idempotent.
 */
public final class Sinks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Sinks.class);
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    /** The configuration key that lists the sinks by name. */
    public static final String SELECTION = "tickmux.sinks";

    /** The parent of every sink's settings: {@code tickmux.sink.<name>}. */
    public static final String SETTINGS = "tickmux.sink";

    private final List<Sink> sinks;
    private final List<StatusListener> gapListeners;
    private MultiConnectionManager attachedTo;
    private boolean closed;

    private Sinks(List<Sink> sinks, List<StatusListener> gapListeners) {
        this.sinks = List.copyOf(sinks);
        this.gapListeners = gapListeners;
    }

    /**
     * Exactly the given sinks, not loaded from configuration; for tests and hand-wired
     * applications.
     *
     * @param sinks the sinks, in start order
     * @return the set
     */
    public static Sinks of(List<Sink> sinks) {
        return new Sinks(sinks, new CopyOnWriteArrayList<>());
    }

    /**
     * The sinks {@code tickmux.sinks} names (none when the key is absent or empty), from the
     * factories the context class loader sees.
     *
     * @param root the whole configuration
     * @param registry where the sinks register their meters
     * @return the sinks, not started
     * @throws TickmuxConfigException listing every problem: an unknown name (with the known ones),
     *     a name given twice, a sink's invalid settings
     */
    public static Sinks load(Config root, MeterRegistry registry) {
        return load(
                root,
                registry,
                Clock.systemUTC(),
                factories(Thread.currentThread().getContextClassLoader()));
    }

    /**
     * As {@link #load(Config, MeterRegistry)}, from the given factories.
     *
     * @param root the whole configuration
     * @param registry meters
     * @param clock the clock the sinks stamp their gaps with
     * @param factories the available factories
     * @return the sinks, not started
     */
    public static Sinks load(
            Config root, MeterRegistry registry, Clock clock, List<SinkFactory> factories) {
        requireNonNull(root, "root is null");
        requireNonNull(registry, "registry is null");
        List<String> problems = new ArrayList<>();
        Map<String, SinkFactory> known = new TreeMap<>();
        for (SinkFactory f : factories) {
            String n = f.name();
            if (n == null || !NAME.matcher(n).matches()) {
                problems.add(
                        "sink factory "
                                + f.getClass().getName()
                                + " has an invalid name '"
                                + n
                                + "' (must match [a-z][a-z0-9-]*)");
            } else if (known.putIfAbsent(n, f) != null) {
                problems.add(
                        "two sink factories are named '"
                                + n
                                + "': "
                                + known.get(n).getClass().getName()
                                + " and "
                                + f.getClass().getName());
            }
        }
        List<String> names = selected(root, problems);
        Map<String, SinkFactory> chosen = new LinkedHashMap<>();
        for (String n : names) {
            SinkFactory f = known.get(n);
            if (f == null) {
                problems.add(
                        SELECTION
                                + " names an unknown sink '"
                                + n
                                + "': known are "
                                + known.keySet()
                                + " (add the sink's module to the classpath)");
            } else if (chosen.putIfAbsent(n, f) != null) {
                problems.add(SELECTION + " names '" + n + "' twice");
            }
        }
        if (!problems.isEmpty()) {
            throw new TickmuxConfigException(problems);
        }
        List<StatusListener> relay = new CopyOnWriteArrayList<>();
        List<Sink> made = new ArrayList<>();
        for (Map.Entry<String, SinkFactory> e : chosen.entrySet()) {
            String path = SETTINGS + "." + e.getKey();
            Config settings;
            try {
                settings = root.hasPath(path) ? root.getConfig(path) : ConfigFactory.empty();
            } catch (ConfigException.WrongType ex) {
                problems.add(path + " must be an object: " + ex.getMessage());
                continue;
            }
            SinkContext ctx = SinkContext.of(registry, clock, path, gap -> gapReported(gap, relay));
            try {
                made.add(e.getValue().create(settings, ctx));
            } catch (TickmuxConfigException ex) {
                problems.addAll(ex.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new TickmuxConfigException(problems);
        }
        return new Sinks(made, relay);
    }

    private static List<String> selected(Config root, List<String> problems) {
        if (!root.hasPath(SELECTION)) {
            return List.of();
        }
        try {
            return root.getStringList(SELECTION);
        } catch (ConfigException ex) {
            problems.add(SELECTION + " must be a list of sink names: " + ex.getMessage());
            return List.of();
        }
    }

    private static List<SinkFactory> factories(ClassLoader cl) {
        List<SinkFactory> out = new ArrayList<>();
        Iterator<SinkFactory> it = ServiceLoader.load(SinkFactory.class, cl).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    return out;
                }
                out.add(it.next());
            } catch (ServiceConfigurationError e) {
                LOG.error("a sink factory failed to load; the others still load", e);
            }
        }
    }

    /**
     * @return the sinks, in configuration order
     */
    public List<Sink> sinks() {
        return sinks;
    }

    /**
     * @return whether no sink is configured
     */
    public boolean isEmpty() {
        return sinks.isEmpty();
    }

    /**
     * Adds every sink to a manager being built ({@link MultiConnectionManager.Builder#sink}).
     *
     * @param builder the builder
     * @return the same builder
     */
    public MultiConnectionManager.Builder attach(MultiConnectionManager.Builder builder) {
        for (Sink s : sinks) {
            builder.sink(s);
        }
        return builder;
    }

    /**
     * Registers every sink as a status listener of the manager and starts it, in order. Call it
     * before the manager connects so that nothing is missed. If a sink cannot start, the ones
     * already started are closed and the exception is thrown.
     *
     * @param manager the manager the sinks were {@link #attach attached} to
     * @throws Exception the first sink's failure to start
     */
    public synchronized void start(MultiConnectionManager manager) throws Exception {
        requireNonNull(manager, "manager is null");
        attachedTo = manager;
        List<Sink> started = new ArrayList<>();
        for (Sink s : sinks) {
            manager.addStatusListener(s);
            try {
                s.start();
                started.add(s);
                LOG.info("sink {} started", s.name());
            } catch (Exception e) {
                for (int i = started.size() - 1; i >= 0; i--) {
                    started.get(i).close();
                }
                for (Sink x : sinks) {
                    manager.removeStatusListener(x);
                }
                throw e;
            }
        }
    }

    /**
     * Receives every gap a sink reports for events it lost (besides publishing it on its own bus):
     * for a health page or an alert. Called on the sink's thread; must not block.
     *
     * @param listener the listener
     */
    public void addGapListener(StatusListener listener) {
        gapListeners.add(requireNonNull(listener, "listener is null"));
    }

    private static void gapReported(StatusEvent.Gap gap, List<StatusListener> gapListeners) {
        LOG.warn(
                "sink lost events of {} on {} from {} to {}: {}",
                gap.symbol(),
                gap.connectionId(),
                gap.from(),
                gap.to(),
                gap.cause());
        for (StatusListener l : gapListeners) {
            try {
                l.onStatus(gap);
            } catch (RuntimeException e) {
                LOG.warn("a sink gap listener threw; continuing", e);
            }
        }
    }

    /**
     * @return each sink's health, in configuration order
     */
    public List<SinkHealth> health() {
        List<SinkHealth> out = new ArrayList<>(sinks.size());
        for (Sink s : sinks) {
            out.add(s.health());
        }
        return out;
    }

    /** Closes every sink in reverse order (each publishes what it can first). Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = sinks.size() - 1; i >= 0; i--) {
            Sink s = sinks.get(i);
            if (attachedTo != null) {
                attachedTo.removeStatusListener(s);
            }
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.warn("closing sink {} failed; continuing", s.name(), e);
            }
        }
    }
}
