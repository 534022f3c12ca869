package io.tickmux.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tickmux.core.MultiConnectionManager;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Extensions start in order, stop in reverse order, and are never left half-started. */
class ExtensionsTest {

    private static final Config ROOT = ConfigFactory.empty();

    private final List<String> calls = new CopyOnWriteArrayList<>();

    /** An extension that writes down its starts and closes. */
    private final class Ext implements TickmuxExtension {
        final String name;
        final AtomicInteger failuresLeft = new AtomicInteger();
        boolean disabled;
        boolean closeFails;
        MeterRegistry registry;

        Ext(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void registerMeters(CompositeMeterRegistry composite, Config root) {
            if (registry != null) {
                composite.add(registry);
            }
        }

        @Override
        public AutoCloseable start(MultiConnectionManager manager, Config root) {
            throw new AssertionError("the application's start is used");
        }

        @Override
        public AutoCloseable start(Tickmux app, Config root) {
            calls.add("start " + name);
            if (failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException(name + " cannot start");
            }
            if (disabled) {
                return null;
            }
            return () -> {
                calls.add("close " + name);
                if (closeFails) {
                    throw new IOException(name + " cannot close");
                }
            };
        }
    }

    @Test
    void startsInOrderOnceAndStopsInReverseOrder() throws Exception {
        Extensions e = new Extensions(List.of(new Ext("a"), new Ext("b"), new Ext("c")));

        e.start(null, ROOT);
        e.start(null, ROOT);
        assertThat(calls).containsExactly("start a", "start b", "start c");
        assertThat(e.handles()).hasSize(3);

        e.close();
        e.close();
        assertThat(calls).endsWith("close c", "close b", "close a").hasSize(6);
        assertThat(e.handles()).isEmpty();
    }

    @Test
    void aFailedStartStopsTheOnesStartedAndMayBeTriedAgain() throws Exception {
        Ext b = new Ext("b");
        b.failuresLeft.set(1);
        Extensions e = new Extensions(List.of(new Ext("a"), b, new Ext("c")));

        assertThatThrownBy(() -> e.start(null, ROOT)).hasMessage("b cannot start");
        assertThat(calls).containsExactly("start a", "start b", "close a");
        assertThat(e.handles()).isEmpty();

        calls.clear();
        e.start(null, ROOT);
        assertThat(calls).containsExactly("start a", "start b", "start c");
        assertThat(e.handles()).hasSize(3);
    }

    @Test
    void aDisabledExtensionHasNoHandleAndAFailedCloseDoesNotStopTheOthers() throws Exception {
        Ext a = new Ext("a");
        a.closeFails = true;
        Ext b = new Ext("b");
        b.disabled = true;
        Extensions e = new Extensions(List.of(a, b, new Ext("c")));

        e.start(null, ROOT);
        assertThat(e.handles()).hasSize(2);
        e.close();

        assertThat(calls).endsWith("close c", "close a");
        assertThat(e.handles()).isEmpty();
    }

    @Test
    void theMeterRegistryHoldsTheGivenOneAndEachExtensionsOrElseAnInMemoryOne() {
        Ext prometheus = new Ext("prometheus");
        prometheus.registry = new SimpleMeterRegistry();
        MeterRegistry given = new SimpleMeterRegistry();

        CompositeMeterRegistry both =
                new Extensions(List.of(prometheus, new Ext("other"))).meterRegistry(given, ROOT);
        assertThat(both.getRegistries()).containsExactlyInAnyOrder(given, prometheus.registry);

        CompositeMeterRegistry none =
                new Extensions(List.of(new Ext("other"))).meterRegistry(null, ROOT);
        assertThat(none.getRegistries()).singleElement().isInstanceOf(SimpleMeterRegistry.class);
    }
}
