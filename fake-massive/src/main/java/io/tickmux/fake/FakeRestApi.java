package io.tickmux.fake;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The fake server's REST API on its own loopback port: {@code GET /v3/trades/{ticker}} and {@code
 * GET /v3/quotes/{ticker}}, answered from the {@link FakeMarket}, as Massive answers them:
 *
 * <ul>
 *   <li>{@code timestamp}, {@code timestamp.gte}, {@code .gt}, {@code .lte}, {@code .lt} in Unix
 *       nanoseconds; {@code order=asc|desc} (newest first by default); {@code limit} 1 to 50,000
 *       (1,000 by default); {@code sort=timestamp};
 *   <li>a page holds at most {@code min(limit, pageSize)} rows; when more match, {@code next_url}
 *       is an absolute URL with a {@code cursor} that carries the whole query and no key (the
 *       client adds its key again, as with Massive);
 *   <li>the key as an {@code apiKey} parameter or {@code Authorization: Bearer}, checked like the
 *       WebSocket's (401 for a missing or unknown key);
 *   <li>scripted 429s (with {@code Retry-After}) and 5xx answers: {@link #faults()}.
 * </ul>
 *
 * <p>Started and stopped with its {@link FakeMassiveServer} ({@link
 * FakeMassiveServer.Builder#restApi(boolean)}). Thread-safe.
 */
public final class FakeRestApi implements AutoCloseable {

    private final HttpServer http;
    private final ExecutorService executor;
    private final String host;
    private final RestFaults faults = new RestFaults();
    private volatile int pageSize;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong rowsServed = new AtomicLong();
    private final Map<Integer, AtomicLong> errors = new ConcurrentHashMap<>();
    private final List<String> log = new ArrayList<>();

    FakeRestApi(
            String host, int port, int pageSize, FakeMarket market, Predicate<String> keyAccepted) {
        this.host = host;
        this.pageSize = checkPageSize(pageSize);
        try {
            this.http = HttpServer.create(new InetSocketAddress(host, port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "fake REST API could not bind " + host + ":" + port + ": " + e.getMessage(), e);
        }
        this.executor =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, "fake-massive-rest");
                            t.setDaemon(true);
                            return t;
                        });
        http.setExecutor(executor);
        http.createContext("/v3/", new RestHandler(market, faults, keyAccepted, this));
    }

    void start() {
        http.start();
    }

    /**
     * @return {@code http://host:port}, the base URL a client's {@code rest.url} points at
     */
    public String url() {
        return "http://" + host + ":" + port();
    }

    /**
     * @return the bound port
     */
    public int port() {
        return http.getAddress().getPort();
    }

    /**
     * @return the fault script
     */
    public RestFaults faults() {
        return faults;
    }

    /**
     * @param rows the most rows a page holds, whatever the client's limit (1 to 50,000)
     * @return this
     */
    public FakeRestApi pageSize(int rows) {
        this.pageSize = checkPageSize(rows);
        return this;
    }

    /**
     * @return the most rows a page holds
     */
    public int pageSize() {
        return pageSize;
    }

    /**
     * @return requests received since start, faults and refusals included
     */
    public long requests() {
        return requests.get();
    }

    /**
     * @return rows answered since start
     */
    public long rowsServed() {
        return rowsServed.get();
    }

    /**
     * @param status an HTTP status
     * @return answers with that error status since start
     */
    public long errors(int status) {
        AtomicLong n = errors.get(status);
        return n == null ? 0 : n.get();
    }

    /**
     * The requests received, oldest first: path and decoded parameters, the {@code apiKey} value
     * replaced by {@code ***} (whether a key came as a parameter shows; its value never does).
     *
     * @return a copy
     */
    public List<String> requestLog() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void received(String path, Map<String, String> params) {
        requests.incrementAndGet();
        Map<String, String> shown = new LinkedHashMap<>(params);
        shown.computeIfPresent("apiKey", (k, v) -> "***");
        synchronized (log) {
            log.add(shown.isEmpty() ? path : path + " " + shown);
            if (log.size() > 10_000) {
                log.remove(0);
            }
        }
    }

    void served(int rows) {
        rowsServed.addAndGet(rows);
    }

    void failed(int status) {
        errors.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
    }

    private static int checkPageSize(int rows) {
        if (rows < 1 || rows > RestQuery.MAX_LIMIT) {
            throw new IllegalArgumentException(
                    "page size must be between 1 and " + RestQuery.MAX_LIMIT + ", not " + rows);
        }
        return rows;
    }
}
