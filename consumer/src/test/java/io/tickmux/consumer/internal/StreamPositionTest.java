package io.tickmux.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickmux.consumer.Checkpoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamPositionTest {

    private final Delivery counts = new Delivery(e -> {}, e -> {}, List.of());

    private static Checkpoint keeping(long position, boolean keepsState) {
        return new Checkpoint() {
            @Override
            public long load() {
                return position;
            }

            @Override
            public boolean keepsState() {
                return keepsState;
            }
        };
    }

    @Test
    void resumesAfterTheCheckpointWhenItHasAPositionElseAfterTheAckFloor() {
        assertThat(new StreamPosition("d", keeping(40, false), counts).resumeAfter(25))
                .as("a checkpoint's position wins, even behind the floor")
                .isEqualTo(40);
        assertThat(new StreamPosition("d", keeping(10, false), counts).resumeAfter(25))
                .isEqualTo(10);
        assertThat(new StreamPosition("d", Checkpoint.none(), counts).resumeAfter(25))
                .as("no position kept: where the acknowledgements left off")
                .isEqualTo(25);
        assertThat(new StreamPosition("d", keeping(0, true), counts).resumeAfter(25))
                .as("a checkpoint that keeps state and handled nothing: the stream's start")
                .isZero();
    }

    @Test
    void aMessageAtOrBeforeThePositionWasHandled() {
        StreamPosition p = new StreamPosition("d", Checkpoint.none(), counts);
        assertThat(p.get()).isZero();
        p.moveTo(7);

        assertThat(p.get()).isEqualTo(7);
        assertThat(p.handled(6)).isTrue();
        assertThat(p.handled(7)).isTrue();
        assertThat(p.handled(8)).isFalse();
    }

    @Test
    void aFailingCheckpointIsCountedAndDeliveryGoesOn() {
        StreamPosition p =
                new StreamPosition(
                        "d",
                        new Checkpoint() {
                            @Override
                            public long load() {
                                return 0;
                            }

                            @Override
                            public void store(long position) {
                                throw new IllegalStateException("disk full");
                            }
                        },
                        counts);

        p.store(3);
        p.store(4);

        assertThat(counts.errors()).isEqualTo(2);
    }
}
