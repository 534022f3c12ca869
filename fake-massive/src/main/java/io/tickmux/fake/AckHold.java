package io.tickmux.fake;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One session's acks, sent at once or held until a test releases them ({@link
 * FakeSession#holdAcks()}). Frames go out under this object's lock, so released acks keep their
 * order with acks owed meanwhile. Thread-safe.
 */
final class AckHold {

    private final Consumer<String> out;
    private boolean holding;
    private final List<String> heldFrames = new ArrayList<>();
    private int heldAcks;

    /**
     * @param out sends one frame to the session's socket
     */
    AckHold(Consumer<String> out) {
        this.out = out;
    }

    /** From now on, queues ack frames instead of sending them. */
    synchronized void hold() {
        holding = true;
    }

    /** Sends the held frames, in the order they were owed, and stops holding. */
    synchronized void release() {
        holding = false;
        for (String frame : heldFrames) {
            out.accept(frame);
        }
        heldFrames.clear();
        heldAcks = 0;
    }

    /**
     * Sends a frame of acks, or queues it while holding.
     *
     * @param frame the frame
     * @param acks the acks in it, one per topic
     */
    synchronized void send(String frame, int acks) {
        if (holding) {
            heldFrames.add(frame);
            heldAcks += acks;
        } else {
            out.accept(frame);
        }
    }

    /**
     * @return acks held and not yet released, one per topic
     */
    synchronized int held() {
        return heldAcks;
    }
}
