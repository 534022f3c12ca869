package io.tickmux.spi.concurrent;

import java.util.concurrent.ThreadFactory;

/**
 * Threads as tickmux makes them, for extensions (transports, sinks, HTTP servers) that start their
 * own: daemon threads with a stable name, so a thread dump says who owns each thread.
 */
public final class Threads {

    private Threads() {}

    /**
     * A factory of daemon threads named after their owner.
     *
     * @param prefix the thread's name, or the prefix when the factory makes more than one thread
     *     (the second is {@code prefix-2}, and so on); e.g. {@code tickmux-recorder}
     * @return a new factory with its own numbering
     */
    public static ThreadFactory named(String prefix) {
        return new NamedThreadFactory(prefix);
    }
}
