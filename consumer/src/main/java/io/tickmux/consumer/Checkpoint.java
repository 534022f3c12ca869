package io.tickmux.consumer;

/**
 * Where a consumer resumes: the stream position (JetStream's stream sequence) of the last message
 * the application has fully handled. JetStream's durable consumer already resumes after the last
 * <em>acknowledged</em> message; a checkpoint closes the remaining window (a message handled but
 * not yet acknowledged when the process died would otherwise be delivered again).
 *
 * <p>For exactly-once, store the position together with the listener's own effect (in the same
 * database transaction, or in the same file record): then {@link #load()} after a crash returns
 * precisely what was handled. Called on the consumer's delivery thread only.
 */
public interface Checkpoint {

    /**
     * @return the last handled position; 0 when nothing was handled yet
     */
    long load();

    /**
     * Called after the listeners returned for the message at this position, before it is
     * acknowledged. The default does nothing (for an application that stores the position with its
     * own effect, reading it from {@link TickmuxConsumer#position()}).
     *
     * @param position the message's stream sequence
     */
    default void store(long position) {}

    /**
     * Whether {@link #load()} is the whole truth: the position was stored with the application's
     * state, so 0 means "nothing handled, read the stream from its start" rather than "no position
     * kept, resume where the durable consumer's acknowledgements left off". The default is {@code
     * false}; {@link FileCheckpoint} is {@code true}.
     *
     * @return whether a position of 0 means the stream's start
     */
    default boolean keepsState() {
        return false;
    }

    /**
     * @return a checkpoint that remembers nothing: the durable consumer's acknowledgements alone
     *     decide where a restart resumes (nothing lost; a message handled but not acknowledged at a
     *     crash comes again)
     */
    static Checkpoint none() {
        return () -> 0;
    }
}
