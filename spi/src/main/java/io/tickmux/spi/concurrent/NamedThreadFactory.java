package io.tickmux.spi.concurrent;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads with a stable name, so a thread dump says who owns each thread. */
final class NamedThreadFactory implements ThreadFactory {

    private final String prefix;
    private final AtomicInteger next = new AtomicInteger();

    /**
     * @param prefix thread name, or prefix when more than one thread is made ({@code -2}, ...)
     */
    NamedThreadFactory(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable r) {
        int n = next.incrementAndGet();
        Thread t = new Thread(r, n == 1 ? prefix : prefix + "-" + n);
        t.setDaemon(true);
        return t;
    }
}
