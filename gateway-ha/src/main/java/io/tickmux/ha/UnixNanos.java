package io.tickmux.ha;

import java.time.Instant;

/** Wall-clock times as the lease record holds them: nanoseconds since the Unix epoch. */
final class UnixNanos {

    private UnixNanos() {}

    /** The wall clock now, in Unix ns. */
    static long now() {
        return of(Instant.now());
    }

    /** The instant in Unix ns. */
    static long of(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    /** The instant of a time in Unix ns (negative ones included). */
    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(
                Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
