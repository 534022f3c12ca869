package io.tickmux.health.http;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's live stream, {@code GET /api/websocket/stream}: server-sent events named {@code
 * snapshot}, one at once and one per push, each with an increasing {@code id}.
 *
 * <p>Bounded, and never blocking: at most {@code max-streams} are open (503 beyond). Each stream
 * writes without blocking (Servlet non-blocking output: a write the socket cannot take yet waits in
 * the container, not on a thread), so the one pushing thread never waits for a reader, and a stream
 * whose reader stalls holds no thread. What its socket has not taken waits in its own queue of at
 * most {@code stream-buffer} snapshots; a stream further behind is closed (a browser's page
 * reconnects by itself), so a stalled reader costs at most its queue until then.
 */
final class SnapshotStreams extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStreams.class);

    /** What the streams have done, for tests and operators. */
    record Stats(int open, int behind, long opened, long refused, long closedBehind, long pushes) {}

    private final transient HttpSettings settings;
    private final transient Supplier<String> snapshot;

    /** Orders a new stream's first snapshot against the pushes; never held while writing. */
    private final transient Object order = new Object();

    private final transient Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong closedBehind = new AtomicLong();
    private final AtomicLong pushes = new AtomicLong();

    /**
     * @param settings for the limits
     * @param snapshot the current snapshot as one line of JSON
     */
    SnapshotStreams(HttpSettings settings, Supplier<String> snapshot) {
        this.settings = settings;
        this.snapshot = snapshot;
    }

    Stats stats() {
        int behind = 0;
        for (Client c : clients) {
            if (c.behind()) {
                behind++;
            }
        }
        return new Stats(
                open.get(), behind, opened.get(), refused.get(), closedBehind.get(), pushes.get());
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        if (!reserve()) {
            refused.incrementAndGet();
            res.setHeader("Retry-After", "5");
            res.setHeader("Connection", "close"); // a flood keeps no connection either
            JsonErrors.write(
                    res,
                    503,
                    settings.maxStreams()
                            + " dashboard streams are open, the most tickmux.http.max-streams"
                            + " allows: close one, or raise it");
            return;
        }
        opened.incrementAndGet();
        EndPoint endPoint =
                ServletContextRequest.getServletContextRequest(req)
                        .getConnectionMetaData()
                        .getConnection()
                        .getEndPoint();
        res.setStatus(200);
        res.setContentType("text/event-stream");
        res.setCharacterEncoding("utf-8");
        res.setHeader("X-Accel-Buffering", "no");
        AsyncContext async = req.startAsync();
        async.setTimeout(0);
        Client c = new Client(res.getOutputStream(), endPoint);
        async.addListener(c);
        res.getOutputStream().setWriteListener(c);
        synchronized (order) {
            // The first snapshot goes ahead of any pushed one: ids stay consecutive.
            clients.add(c);
            c.offer(event(pushes.get(), snapshot.get()));
        }
    }

    /** A stream has no head to give: HEAD would hold a slot with nothing to send. */
    @Override
    protected void doHead(HttpServletRequest req, HttpServletResponse res) throws IOException {
        res.setHeader("Allow", "GET");
        JsonErrors.write(res, 405, "method HEAD not allowed on " + req.getRequestURI() + ": GET");
    }

    /** Sends the current snapshot to every open stream; the caller's one thread never blocks. */
    void push() {
        synchronized (order) {
            if (clients.isEmpty()) {
                return;
            }
            byte[] e = event(pushes.incrementAndGet(), snapshot.get());
            for (Client c : clients) {
                c.offer(e);
            }
        }
    }

    /** Closes every stream (the server is stopping). */
    void closeAll() {
        for (Client c : clients) {
            c.close();
        }
    }

    private boolean reserve() {
        while (true) {
            int n = open.get();
            if (n >= settings.maxStreams()) {
                return false;
            }
            if (open.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    private static byte[] event(long id, String json) {
        return ("id: " + id + "\nevent: snapshot\ndata: " + json + "\n\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** One open stream: its queue and its non-blocking writes. Its own lock guards both. */
    private final class Client implements WriteListener, AsyncListener {
        private final ServletOutputStream out;
        private final EndPoint endPoint;
        private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
        private boolean flushNeeded;
        private boolean closed;

        Client(ServletOutputStream out, EndPoint endPoint) {
            this.out = out;
            this.endPoint = endPoint;
        }

        /** Whether snapshots wait for its socket (its reader is slow or stalled). */
        synchronized boolean behind() {
            return !closed && !queue.isEmpty();
        }

        synchronized void offer(byte[] event) {
            if (closed) {
                return;
            }
            if (queue.size() >= settings.streamBuffer()) {
                closedBehind.incrementAndGet();
                LOG.debug(
                        "dashboard stream from {} closed: {} snapshots behind",
                        endPoint.getRemoteSocketAddress(),
                        queue.size());
                close();
                return;
            }
            queue.add(event);
            drain();
        }

        @Override
        public synchronized void onWritePossible() {
            drain();
        }

        /** Writes while the socket takes it; returns at once when it does not. */
        private void drain() {
            try {
                while (!closed && out.isReady()) {
                    if (flushNeeded) {
                        flushNeeded = false;
                        out.flush();
                        continue;
                    }
                    byte[] next = queue.poll();
                    if (next == null) {
                        return;
                    }
                    out.write(next);
                    flushNeeded = true;
                }
            } catch (IOException | IllegalStateException e) {
                close();
            }
        }

        @Override
        public void onError(Throwable t) {
            close();
        }

        @Override
        public void onComplete(AsyncEvent event) {
            release();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            close();
        }

        @Override
        public void onError(AsyncEvent event) {
            close();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {}

        /** Drops the connection at once, whatever it was writing. */
        void close() {
            if (release()) {
                endPoint.close();
            }
        }

        /** Forgets the stream and frees its slot, once; true the first time. */
        private boolean release() {
            synchronized (this) {
                if (closed) {
                    return false;
                }
                closed = true;
                queue.clear();
            }
            clients.remove(this);
            open.decrementAndGet();
            return true;
        }
    }
}
