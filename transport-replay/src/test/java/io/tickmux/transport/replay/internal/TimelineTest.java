package io.tickmux.transport.replay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import org.junit.jupiter.api.Test;

/** When entries are due: the recorded gaps divided by the speed, on a clock the test owns. */
class TimelineTest {

    static final long SECOND = 1_000_000_000L;
    static final long RECORDED = 1_700_000_000L * SECOND;

    /** A clock that stands still unless the test moves it. */
    static final class StillClock implements Pacer {
        long now = 42 * SECOND;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void awaitUntil(Condition wakeUp, long deadline) {
            throw new AssertionError("a timeline never waits");
        }
    }

    @Test
    void theFirstEntryIsDueAtOnceAndTheGapsFollowAtRealSpeed() {
        StillClock clock = new StillClock();
        Timeline t = new Timeline(1, clock);
        long start = clock.now;
        assertThat(t.due(RECORDED)).isEqualTo(start);
        clock.now += 7; // the replay's own time does not shift what is due
        assertThat(t.due(RECORDED + SECOND)).isEqualTo(start + SECOND);
        assertThat(t.due(RECORDED + 3 * SECOND)).isEqualTo(start + 3 * SECOND);
        assertThat(t.span()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void fasterSpeedsDivideTheGapsAndMaxPlaysEverythingAtOnce() {
        StillClock clock = new StillClock();
        Timeline four = new Timeline(4, clock);
        Timeline half = new Timeline(0.5, clock);
        Timeline max = new Timeline(Double.POSITIVE_INFINITY, clock);
        long start = clock.now;
        for (Timeline t : new Timeline[] {four, half, max}) {
            t.due(RECORDED);
        }
        assertThat(four.due(RECORDED + 2 * SECOND)).isEqualTo(start + SECOND / 2);
        assertThat(half.due(RECORDED + 2 * SECOND)).isEqualTo(start + 4 * SECOND);
        assertThat(max.due(RECORDED + 3600 * SECOND)).isEqualTo(start);
        assertThat(max.span()).as("the recorded span, whatever the speed").hasHours(1);
    }

    @Test
    void aRecordedTimeThatGoesBackPlaysAsTheLatestSoFar() {
        StillClock clock = new StillClock();
        Timeline t = new Timeline(1, clock);
        long start = t.due(RECORDED);
        assertThat(t.due(RECORDED + 5 * SECOND)).isEqualTo(start + 5 * SECOND);
        assertThat(t.due(RECORDED + 2 * SECOND)).isEqualTo(start + 5 * SECOND);
        assertThat(t.due(RECORDED + 6 * SECOND)).isEqualTo(start + 6 * SECOND);
        assertThat(t.span()).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void timeHeldUpMovesEveryLaterEntrySoTheGapsStayWhole() {
        StillClock clock = new StillClock();
        Timeline t = new Timeline(2, clock);
        long start = t.due(RECORDED);
        assertThat(t.due(RECORDED + 2 * SECOND)).isEqualTo(start + SECOND);
        t.holdUp(10 * SECOND); // waited at a gate
        assertThat(t.due(RECORDED + 4 * SECOND)).isEqualTo(start + 12 * SECOND);
        assertThat(t.span()).as("held-up time is not recorded time").hasSeconds(4);
    }

    @Test
    void anEmptyRecordingSpansNothing() {
        assertThat(new Timeline(1, new StillClock()).span()).isZero();
    }
}
