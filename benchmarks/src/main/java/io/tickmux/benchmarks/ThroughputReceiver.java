package io.tickmux.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.spi.event.Quote;
import io.tickmux.spi.event.TickListener;
import io.tickmux.spi.event.Trade;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * A receiving contender of the {@link ThroughputHarness}, in a JVM of its own so its CPU time is
 * its own: the bare Java-WebSocket + Jackson-streaming client ({@code bare}) or tickmux on the
 * Massive transport ({@code tickmux}, with optional HOCON for {@code tickmux.transport.massive}).
 * Each counts trades and quotes and folds every event's {@link Workload#check checksum}.
 *
 * <p>Protocol: prints {@code ready} once every connection streams; then on stdin {@code mark}
 * prints {@code mark <trades> <quotes> <checksum> <errors>}, {@code quit} closes and exits.
 */
final class ThroughputReceiver {

    private ThroughputReceiver() {}

    /**
     * Counters of one read thread: written by it alone (opaque writes, no fence), read by the
     * control thread.
     */
    static final class Counts {
        private static final VarHandle A = MethodHandles.arrayElementVarHandle(long[].class);
        private final long[] v = new long[4]; // trades, quotes, checksum, errors

        void event(boolean trade, long t, long q) {
            A.setOpaque(v, trade ? 0 : 1, (long) A.getOpaque(v, trade ? 0 : 1) + 1);
            A.setOpaque(v, 2, (long) A.getOpaque(v, 2) + Workload.check(t, q));
        }

        void error() {
            A.setOpaque(v, 3, (long) A.getOpaque(v, 3) + 1);
        }

        long get(int i) {
            return (long) A.getOpaque(v, i);
        }
    }

    static void run(String contender, String url, int connections, Workload w, String extra)
            throws Exception {
        List<Counts> all = new CopyOnWriteArrayList<>();
        AutoCloseable client =
                switch (contender) {
                    case "bare" -> bare(url, connections, w, all);
                    case "tickmux" -> tickmux(url, connections, w, extra, all);
                    default -> throw new IllegalArgumentException("unknown contender " + contender);
                };
        System.out.println("ready");
        System.out.flush();
        BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.equals("quit")) {
            if (line.equals("mark")) {
                long[] s = new long[4];
                for (Counts c : all) {
                    for (int i = 0; i < 4; i++) {
                        s[i] += c.get(i);
                    }
                }
                System.out.println("mark " + s[0] + " " + s[1] + " " + s[2] + " " + s[3]);
                System.out.flush();
            }
        }
        client.close();
        System.exit(0);
    }

    // ------------------------------------------------ bare client

    private static AutoCloseable bare(String url, int connections, Workload w, List<Counts> all)
            throws InterruptedException {
        List<WebSocketClient> clients = new ArrayList<>();
        List<Counts> mine = new ArrayList<>();
        for (int c = 1; c <= connections; c++) {
            Counts counts = new Counts();
            all.add(counts);
            mine.add(counts);
            clients.add(bareClient(url, w, c, connections, counts));
        }
        for (Counts c : mine) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (c.get(0) + c.get(1) == 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("a bare connection received nothing");
                }
                TimeUnit.MILLISECONDS.sleep(10);
            }
        }
        return () -> {
            for (WebSocketClient c : clients) {
                c.closeBlocking();
            }
        };
    }

    private static WebSocketClient bareClient(
            String url, Workload w, int connection, int connections, Counts counts)
            throws InterruptedException {
        BareCounting parse = new BareCounting(counts);
        String subscribe = w.subscribe(w.tickers(connection, connections));
        WebSocketClient c =
                new WebSocketClient(URI.create(url)) {
                    private boolean subscribed;

                    @Override
                    public void onOpen(ServerHandshake h) {
                        send(
                                "{\"action\":\"auth\",\"params\":\""
                                        + w.id()
                                        + "-"
                                        + connection
                                        + "\"}");
                    }

                    @Override
                    public void onMessage(String m) {
                        if (!subscribed) {
                            if (m.contains("auth_success")) {
                                subscribed = true;
                                send(subscribe);
                            }
                            return;
                        }
                        try {
                            parse.parse(m);
                        } catch (IOException | RuntimeException e) {
                            counts.error();
                        }
                    }

                    @Override
                    public void onClose(int code, String reason, boolean remote) {}

                    @Override
                    public void onError(Exception e) {
                        counts.error();
                    }
                };
        c.setTcpNoDelay(true);
        if (!c.connectBlocking(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the bare client could not connect to " + url);
        }
        return c;
    }

    /**
     * The bare client's parse: Jackson streaming over the frame, every value read (as {@link
     * BareParse}), an event counted at its closing brace.
     */
    static final class BareCounting {
        static volatile long blackhole;
        private final JsonFactory json = new JsonFactory();
        private final Counts counts;

        BareCounting(Counts counts) {
            this.counts = counts;
        }

        void parse(String frame) throws IOException {
            long sink = 0;
            String ev = null;
            long t = 0;
            long q = -1;
            try (JsonParser p = json.createParser(frame)) {
                JsonToken tok;
                while ((tok = p.nextToken()) != null) {
                    switch (tok) {
                        case VALUE_STRING -> {
                            String v = p.getText();
                            if ("ev".equals(p.currentName())) {
                                ev = v;
                            }
                            sink += v.length();
                        }
                        case VALUE_NUMBER_INT -> {
                            long v = p.getLongValue();
                            String n = p.currentName();
                            if ("t".equals(n)) {
                                t = v;
                            } else if ("q".equals(n)) {
                                q = v;
                            }
                            sink += v;
                        }
                        case VALUE_NUMBER_FLOAT -> sink += (long) p.getDoubleValue();
                        case END_OBJECT -> {
                            if ("T".equals(ev)) {
                                counts.event(true, t, q);
                            } else if ("Q".equals(ev)) {
                                counts.event(false, t, q);
                            }
                            ev = null;
                            t = 0;
                            q = -1;
                        }
                        default -> {}
                    }
                }
            }
            blackhole += sink;
        }
    }

    // ------------------------------------------------ tickmux

    private static AutoCloseable tickmux(
            String url, int connections, Workload w, String extra, List<Counts> all)
            throws InterruptedException {
        ThreadLocal<Counts> local =
                ThreadLocal.withInitial(
                        () -> {
                            Counts c = new Counts();
                            all.add(c);
                            return c;
                        });
        TickListener listener =
                e -> {
                    Counts c = local.get();
                    if (e instanceof Trade t) {
                        c.event(true, t.timestamp(), t.sequence());
                    } else if (e instanceof Quote q) {
                        c.event(false, q.timestamp(), q.sequence());
                    }
                };
        MultiConnectionManager.Builder b =
                MassiveManagers.builder(
                                url,
                                "channels = ["
                                        + String.join(", ", w.channels())
                                        + "], max-topics-per-message = 100000, "
                                        + extra)
                        .tickListener(listener);
        MassiveManagers.connections(b, connections, w.id() + "-", 20_000);
        Map<String, List<String>> plan = new LinkedHashMap<>();
        for (int c = 1; c <= connections; c++) {
            plan.put("c" + c, w.tickers(c, connections));
        }
        MultiConnectionManager manager = b.build();
        if (!manager.connectAll(plan, Duration.ofSeconds(30))) {
            manager.close();
            throw new IllegalStateException("not every ticker was acknowledged");
        }
        return manager;
    }
}
