package io.tickmux.health.http;

import io.tickmux.routing.ConnectionView;
import io.tickmux.routing.RoutingStrategy;
import io.tickmux.routing.TickerView;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A router that keeps every ticker where it is and counts the rebalances asked over HTTP (plans
 * made on the server's {@code tickmux-http} threads); while {@link #hold()} is armed, such a plan
 * waits until {@link #release()}, so a test can have a rebalance in progress for as long as it
 * needs.
 */
final class TestRouter implements RoutingStrategy {

    final AtomicInteger httpPlans = new AtomicInteger();
    final CountDownLatch entered = new CountDownLatch(1);
    private volatile CountDownLatch gate = new CountDownLatch(0);

    void hold() {
        gate = new CountDownLatch(1);
    }

    void release() {
        gate.countDown();
    }

    @Override
    public Optional<String> select(TickerView ticker, List<ConnectionView> connections) {
        return connections.stream()
                .filter(ConnectionView::canAccept)
                .map(ConnectionView::id)
                .findFirst();
    }

    @Override
    public Map<String, Set<String>> plan(
            Map<String, ? extends Collection<TickerView>> current,
            List<ConnectionView> connections) {
        if (Thread.currentThread().getName().startsWith("tickmux-http")) {
            httpPlans.incrementAndGet();
            entered.countDown();
            try {
                if (!gate.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never released the plan");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Map<String, Set<String>> same = new LinkedHashMap<>();
        for (ConnectionView c : connections) {
            Set<String> s = new LinkedHashSet<>();
            Collection<TickerView> ts = current.get(c.id());
            if (ts != null) {
                ts.forEach(t -> s.add(t.symbol()));
            }
            same.put(c.id(), s);
        }
        return same;
    }
}
