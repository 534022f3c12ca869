package io.tickmux.testkit.bus;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy a test can cut: give a process the proxy's address instead of a server's,
 * then {@link #cut()} to sever it from that server (every connection through the proxy is reset and
 * new ones are refused until {@link #restore()}), as if its host lost the network to that server
 * while everything else keeps running.
 *
 * <pre>{@code
 * try (TcpProxy bus = TcpProxy.to("127.0.0.1", 4222)) {
 *     startGateway("nats://127.0.0.1:" + bus.port());
 *     bus.cut();      // the gateway is cut from NATS
 * }
 * }</pre>
 *
 * <p>Two threads per connection ({@code tcp-proxy-<port>-<n>-up/down}), one acceptor. Thread-safe.
 */
public final class TcpProxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread acceptor;
    private volatile boolean cut;
    private volatile boolean closed;

    private TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.acceptor = new Thread(this::accept, "tcp-proxy-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * @param host the server's host
     * @param port the server's port
     * @return a running proxy on an ephemeral loopback port
     * @throws IOException when it cannot listen
     */
    public static TcpProxy to(String host, int port) throws IOException {
        return new TcpProxy(host, port);
    }

    /**
     * A proxy to the host and port of a {@code nats://host:port} URL.
     *
     * @param natsUrl the server's URL
     * @return a running proxy
     * @throws IOException when it cannot listen
     */
    public static TcpProxy toNats(String natsUrl) throws IOException {
        URI u = URI.create(natsUrl.trim());
        return to(u.getHost(), u.getPort() > 0 ? u.getPort() : 4222);
    }

    /**
     * @return the port to connect to
     */
    public int port() {
        return server.getLocalPort();
    }

    /**
     * @return {@code nats://127.0.0.1:<port>}
     */
    public String natsUrl() {
        return "nats://127.0.0.1:" + port();
    }

    /**
     * @return connections accepted since start
     */
    public int accepted() {
        return accepted.get();
    }

    /** Severs every connection (reset) and refuses new ones until {@link #restore()}. */
    public void cut() {
        cut = true;
        for (Socket s : sockets) {
            reset(s);
        }
        sockets.clear();
    }

    /** Lets connections through again. */
    public void restore() {
        cut = false;
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (cut) {
                reset(client);
                continue;
            }
            Socket upstream;
            try {
                upstream = new Socket(targetHost, targetPort);
            } catch (IOException e) {
                reset(client);
                continue;
            }
            int n = accepted.incrementAndGet();
            sockets.add(client);
            sockets.add(upstream);
            pump(client, upstream, "tcp-proxy-" + port() + "-" + n + "-up");
            pump(upstream, client, "tcp-proxy-" + port() + "-" + n + "-down");
        }
    }

    private void pump(Socket from, Socket to, String name) {
        Thread t =
                new Thread(
                        () -> {
                            byte[] buf = new byte[16384];
                            try (InputStream in = from.getInputStream();
                                    OutputStream out = to.getOutputStream()) {
                                int r;
                                while ((r = in.read(buf)) >= 0) {
                                    if (cut) {
                                        break;
                                    }
                                    out.write(buf, 0, r);
                                    out.flush();
                                }
                            } catch (IOException e) {
                                // one side went away: close both
                            } finally {
                                reset(from);
                                reset(to);
                                sockets.remove(from);
                                sockets.remove(to);
                            }
                        },
                        name);
        t.setDaemon(true);
        t.start();
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0); // RST, not FIN: as abrupt as a lost network
        } catch (SocketException e) {
            // already closed
        }
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        cut();
        server.close();
    }
}
