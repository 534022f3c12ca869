package io.tickmux.ha;

import io.tickmux.ha.internal.LeaseFence;
import io.tickmux.ha.internal.LeaseRecord;
import io.tickmux.ha.internal.NatsLease;
import io.tickmux.spi.concurrent.Threads;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease, kept: on {@code tickmux-ha-lease} a standby tries to acquire it every {@code
 * acquire-interval} and the holder renews it every {@code renew-interval} (compare-and-set on the
 * revision it last wrote); on {@code tickmux-ha-fence} a watchdog fires at the holder's local
 * deadline even while a renewal hangs. The local deadline is the sent time of the last successful
 * renewal plus {@code ttl} minus {@code safety-margin} (monotonic clock). It tells its {@link
 * LeaseHolder} when the lease is acquired and when it is lost, and keeps what the role shows: the
 * holder seen, its epoch, whether the store answers, the counts of acquisitions and losses.
 */
final class LeaseKeeper {

    private static final Logger LOG = LoggerFactory.getLogger(HaGateway.class);

    private final HaSettings settings;
    private final NatsLease lease;
    private final SwitchoverStart start;
    private final ThroughMark mark = new ThroughMark();
    private final ScheduledExecutorService watchdog =
            Executors.newSingleThreadScheduledExecutor(Threads.named("tickmux-ha-fence"));
    private final AtomicLong switchovers = new AtomicLong();
    private final AtomicLong losses = new AtomicLong();
    private LeaseHolder holder; // set before the lease thread starts
    private Thread leaseThread;
    private volatile boolean running;
    private volatile boolean stopping;

    // Lease state: guarded by this.
    private LeaseFence fence;
    private long revision;
    private long nextRenewNanos;
    private NatsLease.Seen lastSeen;
    private volatile String lastLost = "";
    private volatile boolean reachable;
    private volatile String holderId = "";
    private volatile long holderEpoch;
    // Lease thread only.
    private long lastUnreachableLog;

    /**
     * @param settings the settings
     * @param lease the lease store, not open
     */
    LeaseKeeper(HaSettings settings, NatsLease lease) {
        this.settings = settings;
        this.lease = lease;
        this.start = new SwitchoverStart(settings);
    }

    /** Connects to the lease store (and makes the bucket when missing). */
    void open() throws IOException, InterruptedException {
        lease.open();
        reachable = true;
    }

    /** Starts contending for the lease on {@code tickmux-ha-lease}, for the holder. */
    synchronized void start(LeaseHolder h) {
        holder = h;
        running = true;
        leaseThread = new Thread(this::leaseLoop, "tickmux-ha-lease");
        leaseThread.setDaemon(true);
        leaseThread.start();
    }

    /** No acquisition from now on; a held lease is still renewed until {@link #stop()}. */
    void stopAcquiring() {
        stopping = true;
    }

    /** Stops renewing, and revokes and releases a held lease (a standby takes over at once). */
    void stop() {
        running = false;
        Thread t;
        synchronized (this) {
            t = leaseThread;
        }
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LeaseFence f;
        synchronized (this) {
            f = fence;
            fence = null;
            if (f != null) {
                f.revoke();
            }
        }
        if (f != null) {
            release(f);
            LOG.info(
                    "gateway ha: {} stopped and released the lease (epoch {})",
                    settings.gatewayId(),
                    f.epoch());
        }
    }

    /** Stops the fence thread and disconnects from the lease store. */
    void close() {
        watchdog.shutdownNow();
        try {
            lease.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void leaseLoop() {
        while (running) {
            LeaseFence f;
            synchronized (this) {
                f = fence;
            }
            long waitNanos;
            if (f == null) {
                tryAcquire();
                waitNanos = settings.acquireInterval().toNanos();
            } else {
                renewIfDue(f);
                long now = System.nanoTime();
                long until;
                synchronized (this) {
                    until = fence == f ? Math.min(nextRenewNanos, f.deadlineNanos()) : now;
                }
                waitNanos = Math.max(1_000_000L, until - now);
            }
            if (running) {
                LockSupport.parkNanos(this, waitNanos);
            }
        }
    }

    private void tryAcquire() {
        if (stopping) {
            return;
        }
        NatsLease.Seen seen;
        try {
            seen = lease.read();
            reachable = true;
        } catch (Exception e) {
            unreachable("reading the lease", e);
            return;
        }
        if (seen != null) {
            synchronized (this) {
                lastSeen = seen;
            }
            holderId = seen.record().holder();
            holderEpoch = seen.epoch();
            return;
        }
        long sent = System.nanoTime();
        long wall = UnixNanos.now();
        NatsLease.Seen previous;
        synchronized (this) {
            previous = lastSeen;
        }
        // The first value already passes on the previous holder's mark: a holder that dies before
        // its first renewal must not hide the switchover it was making.
        long inherited = start.inheritedThrough(start.at(previous, 0, UnixNanos.instant(wall)));
        long rev;
        try {
            rev = lease.create(new LeaseRecord(settings.gatewayId(), 0, wall, inherited));
        } catch (NatsLease.Taken e) {
            return; // another gateway was faster
        } catch (Exception e) {
            unreachable("acquiring the lease", e);
            return;
        }
        acquired(rev, sent, wall);
    }

    private void acquired(long rev, long sentNanos, long wallNanos) {
        LeaseFence f = new LeaseFence(rev, deadlineAfter(sentNanos));
        NatsLease.Seen previous;
        synchronized (this) {
            fence = f;
            revision = rev;
            nextRenewNanos = System.nanoTime(); // at once: the value then carries the epoch
            previous = lastSeen;
        }
        holderId = settings.gatewayId();
        holderEpoch = rev;
        switchovers.incrementAndGet();
        Instant acquiredAt = UnixNanos.instant(wallNanos);
        Switchover s = start.at(previous, rev, acquiredAt);
        mark.inherit(start.inheritedThrough(s));
        LOG.info(
                "gateway ha: {} acquired the lease, epoch {} (previous holder {} epoch {}, last"
                        + " renewed {}); connecting",
                settings.gatewayId(),
                rev,
                s.from().isEmpty() ? "unknown" : s.from(),
                s.fromEpoch(),
                s.previousRenewal());
        armWatchdog(f);
        holder.acquired(f, s);
    }

    private void renewIfDue(LeaseFence f) {
        if (!f.valid()) {
            lose(f, "the lease expired by the local clock (no renewal succeeded in time)");
            return;
        }
        long rev;
        synchronized (this) {
            if (fence != f || System.nanoTime() - nextRenewNanos < 0) {
                return;
            }
            rev = revision;
        }
        long sent = System.nanoTime();
        long wall = UnixNanos.now();
        LeaseRecord value =
                new LeaseRecord(settings.gatewayId(), f.epoch(), wall, through(f, wall));
        long next;
        try {
            next = lease.update(value, rev);
            reachable = true;
        } catch (NatsLease.Taken e) {
            lose(f, e.getMessage());
            return;
        } catch (Exception e) {
            unreachable("renewing the lease", e);
            synchronized (this) {
                if (fence == f) {
                    // Try again soon; the deadline decides when it is lost.
                    nextRenewNanos =
                            System.nanoTime()
                                    + Math.min(
                                            settings.renewInterval().toNanos() / 4, 100_000_000L);
                }
            }
            return;
        }
        synchronized (this) {
            if (fence != f) {
                return;
            }
            revision = next;
            if (!f.extend(deadlineAfter(sent))) {
                // Valid no more: it ran out while the renewal was on its way. Once lost, lost.
                lose(f, "the renewal succeeded after the lease's local deadline");
                return;
            }
            nextRenewNanos = sent + settings.renewInterval().toNanos();
        }
        armWatchdog(f);
    }

    private long deadlineAfter(long sentNanos) {
        return sentNanos + settings.ttl().toNanos() - settings.safetyMargin().toNanos();
    }

    /** The published-through time this renewal writes (see {@link ThroughMark}). */
    private long through(LeaseFence f, long now) {
        return mark.through(holder.publishedThrough(now), holder.handedOverNanos(f.epoch()));
    }

    private void armWatchdog(LeaseFence f) {
        long delay = f.deadlineNanos() - System.nanoTime();
        if (watchdog.isShutdown()) {
            return;
        }
        watchdog.schedule(
                () -> {
                    if (!f.valid()) {
                        lose(
                                f,
                                "the lease expired by the local clock (no renewal succeeded in"
                                        + " time)");
                    }
                },
                Math.max(0, delay),
                TimeUnit.NANOSECONDS);
    }

    /**
     * The lease is lost: the fence is revoked and the holder told, on this thread (it aborts every
     * socket at once). Only the first call for a fence counts.
     */
    private void lose(LeaseFence f, String why) {
        synchronized (this) {
            if (fence != f) {
                return;
            }
            fence = null;
            f.revoke();
        }
        losses.incrementAndGet();
        lastLost = why;
        holder.lost(f, why);
    }

    /**
     * Gives a held lease up (the application could not start): lost, then released so another
     * gateway can acquire without waiting for the ttl.
     *
     * @param f the lease's fence
     * @param why the reason
     */
    void giveUp(LeaseFence f, String why) {
        lose(f, why);
        release(f);
    }

    private void release(LeaseFence f) {
        long rev;
        synchronized (this) {
            rev = revision;
        }
        try {
            lease.release(rev);
        } catch (Exception e) {
            LOG.warn(
                    "gateway ha: releasing lease epoch {} failed ({}); it expires after the ttl",
                    f.epoch(),
                    e.toString());
        }
    }

    private void unreachable(String what, Exception e) {
        reachable = false;
        long now = System.nanoTime();
        if (lastUnreachableLog == 0 || now - lastUnreachableLog > 10_000_000_000L) {
            lastUnreachableLog = now;
            LOG.warn(
                    "gateway ha: {} at {} failed: {} (retrying; a holder loses the lease at its"
                            + " local deadline)",
                    what,
                    settings.urls(),
                    e.toString());
        }
    }

    /** Whether the lease store answered the last request. */
    boolean reachable() {
        return reachable;
    }

    /** The holder last seen (this gateway while it holds the lease); empty when none was seen. */
    String holder() {
        return holderId;
    }

    /** The epoch of the lease this gateway holds, or of the holder it last saw. */
    long holderEpoch() {
        return holderEpoch;
    }

    /** How many times this gateway acquired the lease. */
    long switchovers() {
        return switchovers.get();
    }

    /** How many times this gateway lost the lease. */
    long losses() {
        return losses.get();
    }

    /** Why it was last lost; empty when never. */
    String lastLost() {
        return lastLost;
    }
}
