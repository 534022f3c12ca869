package io.tickmux.fake;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the fake Massive server standalone, so that any client (the official Massive clients
 * included) can be pointed at it.
 *
 * <pre>
 * java -jar transport-mock/target/tickmux-fake-massive.jar --port 8765 --control-port 8766 \
 *      --keys k1,k2,k3 --cap 3 --rate 5
 * </pre>
 */
public final class FakeMassiveServerMain {

    static final String USAGE =
            "usage: fake-massive [--port 8765] [--control-port 8766] [--keys k1,k2 | any]\n"
                    + "                    [--cap 3] [--rate 5] [--eviction-close"
                    + " policy|abort|clean]\n"
                    + "                    [--ack-framing batched|separate] [--not-authorized"
                    + " NOI,LULD]\n"
                    + "                    [--universe AAPL,MSFT,...]\n"
                    + "  --port            WebSocket port on 127.0.0.1 (default 8765); clients use"
                    + " ws://127.0.0.1:PORT/stocks\n"
                    + "  --control-port    HTTP control endpoint port (default 8766; 0 = none)\n"
                    + "  --keys            accepted API keys, comma-separated (default: any key)\n"
                    + "  --cap             connections per key before the oldest is evicted"
                    + " (default 3)\n"
                    + "  --rate            generator rounds per second: events per ticker per"
                    + " channel (default 5)";

    private FakeMassiveServerMain() {}

    /**
     * @param args command line
     * @throws Exception when the server cannot start
     */
    public static void main(String[] args) throws Exception {
        FakeMassiveServer.Builder b = FakeMassiveServer.builder().port(8765).recordEvents(false);
        int controlPort = 8766;
        double rate = 5;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--help") || a.equals("-h")) {
                    System.out.println(USAGE);
                    return;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + a);
                }
                String v = args[++i];
                switch (a) {
                    case "--port" -> b.port(Integer.parseInt(v));
                    case "--control-port" -> controlPort = Integer.parseInt(v);
                    case "--keys" -> {
                        if (!v.equals("any")) {
                            b.acceptKeys(split(v).toArray(String[]::new));
                        }
                    }
                    case "--cap" -> b.connectionCap(Integer.parseInt(v));
                    case "--rate" -> rate = Double.parseDouble(v);
                    case "--eviction-close" ->
                            b.evictionClose(
                                    FakeMassiveServer.EvictionClose.valueOf(
                                            v.toUpperCase(Locale.ROOT)));
                    case "--ack-framing" ->
                            b.ackFraming(
                                    FakeMassiveServer.AckFraming.valueOf(
                                            v.toUpperCase(Locale.ROOT)));
                    case "--not-authorized" -> b.notAuthorized(split(v).toArray(String[]::new));
                    case "--universe" -> b.universe(split(v));
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
        } catch (IllegalArgumentException e) {
            PrintStream err = System.err;
            err.println("fake-massive: " + e.getMessage());
            err.println(USAGE);
            System.exit(2);
            return;
        }
        FakeMassiveServer server = b.eventsPerSecond(rate).build().start();
        ControlEndpoint control = controlPort > 0 ? new ControlEndpoint(server, controlPort) : null;
        System.out.println("fake Massive server: " + server.url());
        if (control != null) {
            System.out.println(
                    "control endpoint:    http://127.0.0.1:" + control.port() + "/sessions");
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    if (control != null) {
                                        control.close();
                                    }
                                    server.close();
                                    stop.countDown();
                                },
                                "fake-massive-shutdown"));
        stop.await();
    }

    private static List<String> split(String v) {
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
