package io.tickmux.spi.sink;

/**
 * Whether a sink may publish now, and under which lease epoch: the fencing a gateway pair uses
 * (module {@code tickmux-gateway-ha}, docs/scale-out.md "Active and standby gateways"). A sink
 * given a fence ({@link Sink#fence}) publishes only while {@link #valid()} holds and stamps what it
 * publishes with {@link #epoch()}; once the fence is invalid it never publishes what it holds.
 *
 * <p>Implementations are thread-safe and cheap: {@link #valid()} is read for every chunk of events.
 */
public interface Fence {

    /** No fencing: always valid, epoch 0 (nothing stamped). The default of every sink. */
    Fence NONE =
            new Fence() {
                @Override
                public long epoch() {
                    return 0;
                }

                @Override
                public boolean valid() {
                    return true;
                }

                @Override
                public String toString() {
                    return "no fence";
                }
            };

    /**
     * The lease epoch (fencing token) this process holds or held: positive and increasing from
     * holder to holder; 0 for none.
     *
     * @return the epoch
     */
    long epoch();

    /**
     * Whether the lease is valid now by the holder's own monotonic deadline. Once false it stays
     * false: a new lease is a new fence.
     *
     * @return true while publishing is allowed
     */
    boolean valid();
}
