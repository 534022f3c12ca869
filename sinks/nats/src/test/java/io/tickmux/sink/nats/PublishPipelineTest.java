package io.tickmux.sink.nats;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.api.PublishAck;
import io.nats.client.impl.NatsMessage;
import io.tickmux.spi.event.MarketEvent;
import io.tickmux.transport.mock.MockEvents;
import io.tickmux.wire.WireFormat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The publishing pipeline against a scripted client: order, probe, back-off, give-up, stalls. */
class PublishPipelineTest {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(5);
    private static final long MS = 1_000_000L;

    private volatile long now = 1_000 * MS;
    private final FakeLink link = new FakeLink();
    private final FakeHost host = new FakeHost();
    private final ExecutorService other = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopThread() {
        other.shutdownNow();
    }

    /** One message sent to the scripted client, and its acknowledgement for the test to give. */
    private record Sent(
            NatsMessage message, CompletableFuture<PublishAck> future, int ackedBefore) {
        String id() {
            return message.getHeaders().getFirst(WireFormat.MSG_ID_HEADER);
        }

        String expect() {
            return message.getHeaders().getFirst(PendingMessage.EXPECTED_LAST_MSG_ID);
        }

        void ack() {
            future.complete(null);
        }

        void refuse(String why) {
            future.completeExceptionally(new IllegalStateException(why));
        }
    }

    private final class FakeLink implements PublishPipeline.Link {
        volatile boolean connected = true;
        volatile boolean writerStalled;
        volatile long written;
        final List<Sent> sent = new CopyOnWriteArrayList<>();
        final List<Integer> forcedReconnects = new CopyOnWriteArrayList<>();

        @Override
        public boolean connected() {
            return connected;
        }

        @Override
        public long written() {
            return written;
        }

        @Override
        public CompletableFuture<PublishAck> publish(NatsMessage message) {
            if (!connected) {
                throw new IllegalStateException("not connected");
            }
            CompletableFuture<PublishAck> ack = new CompletableFuture<>();
            sent.add(new Sent(message, ack, host.acknowledged.size()));
            if (!writerStalled) {
                written++;
            }
            return ack;
        }

        @Override
        public void forceReconnect(int waiting) {
            forcedReconnects.add(waiting);
        }

        List<String> ids() {
            return sent.stream().map(Sent::id).toList();
        }

        Sent last() {
            return sent.get(sent.size() - 1);
        }
    }

    private static final class FakeHost implements PublishPipeline.Host {
        volatile boolean fenced;
        final List<Long> acknowledged = new CopyOnWriteArrayList<>();
        final List<String> errors = new CopyOnWriteArrayList<>();
        final List<String> lost = new CopyOnWriteArrayList<>();

        @Override
        public boolean fenced() {
            return fenced;
        }

        @Override
        public void acknowledged(long receivedNanos) {
            acknowledged.add(receivedNanos);
        }

        @Override
        public void error(String what) {
            errors.add(what);
        }

        @Override
        public void lost(MarketEvent event, String connectionId, String reason) {
            lost.add(event.symbol() + " " + connectionId + " " + reason);
        }

        @Override
        public void waitForConnection() {}

        @Override
        public void pause(long millis) {}
    }

    private PublishPipeline pipeline(int maxInFlight, int maxRetries) {
        return new PublishPipeline(maxInFlight, ACK_TIMEOUT, maxRetries, link, host, () -> now);
    }

    /** Message {@code n}: a trade of AAPL, id {@code m<n>}, received at {@code n}. */
    private static PendingMessage msg(int n) {
        return new PendingMessage(
                "tickmux.stocks.T.AAPL",
                ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8),
                "m" + n,
                MockEvents.trade("AAPL", n, 1_767_366_000_000L + n),
                "c1",
                n,
                0);
    }

    @Test
    void retiresMessagesInPublishOrderEachNamingItsPredecessor() throws Exception {
        PublishPipeline p = pipeline(10, 3);
        for (int n = 1; n <= 3; n++) {
            p.enqueue(msg(n));
        }
        assertThat(link.ids()).containsExactly("m1", "m2", "m3");
        assertThat(link.sent).extracting(Sent::expect).containsExactly(null, "m1", "m2");

        link.sent.get(2).ack();
        link.sent.get(1).ack();
        p.settle();
        assertThat(host.acknowledged).as("the head is not acknowledged yet").isEmpty();
        assertThat(p.inFlight()).isEqualTo(3);

        link.sent.get(0).ack();
        p.settle();
        assertThat(host.acknowledged).containsExactly(1L, 2L, 3L);
        assertThat(p.inFlight()).isZero();
        assertThat(host.errors).isEmpty();
    }

    @Test
    void afterAReconnectTheFirstUnacknowledgedGoesAloneAndTheRestFollowItsAcknowledgement()
            throws Exception {
        PublishPipeline p = pipeline(10, 3);
        for (int n = 1; n <= 3; n++) {
            p.enqueue(msg(n));
        }
        link.sent.get(0).ack();
        link.connected = false;
        link.sent.get(1).refuse("connection lost");
        link.sent.get(2).refuse("connection lost");
        p.settle();
        p.enqueue(msg(4)); // while a resend is due: it waits for its turn
        p.settle();
        assertThat(host.acknowledged).containsExactly(1L);
        assertThat(link.ids()).containsExactly("m1", "m2", "m3");

        link.connected = true;
        p.reconnected();
        p.settle();
        assertThat(link.ids()).as("the probe, alone").containsExactly("m1", "m2", "m3", "m2");
        p.settle();
        assertThat(link.sent).hasSize(4);

        link.last().ack();
        p.settle();
        assertThat(link.ids()).containsExactly("m1", "m2", "m3", "m2", "m3", "m4");
        assertThat(link.sent.subList(4, 6)).extracting(Sent::expect).containsExactly("m2", "m3");
        link.sent.get(4).ack();
        link.sent.get(5).ack();
        p.settle();
        assertThat(host.acknowledged).containsExactly(1L, 2L, 3L, 4L);
        assertThat(host.lost).as("a disconnect is not a retry").isEmpty();
    }

    @Test
    void aMessageRefusedWhileConnectedIsSentAgainAloneAfterItsBackOff() throws Exception {
        PublishPipeline p = pipeline(10, 3);
        p.enqueue(msg(1));
        p.enqueue(msg(2));
        link.sent.get(0).refuse("no responders");
        link.sent.get(1).refuse("wrong last msg id"); // JetStream refuses what follows it
        p.settle();
        assertThat(host.errors).containsExactly("IllegalStateException: no responders");

        now += 9 * MS;
        p.settle();
        assertThat(link.sent).as("within the back-off of 10 ms").hasSize(2);

        now += MS;
        p.settle();
        assertThat(link.ids()).containsExactly("m1", "m2", "m1");
        link.last().ack();
        p.settle();
        assertThat(link.ids()).containsExactly("m1", "m2", "m1", "m2");
        link.last().ack();
        p.settle();
        assertThat(host.acknowledged).containsExactly(1L, 2L);
    }

    @Test
    void givesUpAfterMaxRetriesAndChainsTheNextMessageToTheLostOnesPredecessor() throws Exception {
        PublishPipeline p = pipeline(10, 1);
        for (int n = 1; n <= 3; n++) {
            p.enqueue(msg(n));
        }
        link.sent.get(0).ack();
        link.sent.get(1).refuse("storage full");
        p.settle();
        now += 10 * MS;
        p.settle();
        assertThat(link.ids()).containsExactly("m1", "m2", "m3", "m2");
        link.last().refuse("storage full");
        p.settle();
        assertThat(host.lost)
                .containsExactly("AAPL c1 publish failed: IllegalStateException: storage full");
        assertThat(p.inFlight()).isEqualTo(1);

        p.settle();
        assertThat(link.ids()).containsExactly("m1", "m2", "m3", "m2", "m3");
        assertThat(link.last().expect()).as("follows m1 now").isEqualTo("m1");
        link.last().ack();
        p.settle();
        p.enqueue(msg(4));
        assertThat(link.last().expect()).isEqualTo("m3");
        link.last().ack();
        p.settle();
        assertThat(host.acknowledged).containsExactly(1L, 3L, 4L);
    }

    @Test
    void theLastMessageGivenUpLeavesTheChainAtItsPredecessor() throws Exception {
        PublishPipeline p = pipeline(10, 0);
        p.enqueue(msg(1));
        p.enqueue(msg(2));
        link.sent.get(0).ack();
        link.sent.get(1).refuse("storage full");
        p.settle();
        assertThat(host.lost).hasSize(1);
        p.enqueue(msg(3));
        assertThat(link.last().id()).isEqualTo("m3");
        assertThat(link.last().expect()).isEqualTo("m1");
    }

    @Test
    void aClientThatWroteNothingForAnAckTimeoutIsReconnectedAndNothingIsGivenUp() throws Exception {
        PublishPipeline p = pipeline(10, 0);
        link.writerStalled = true;
        p.enqueue(msg(1));
        p.enqueue(msg(2));
        now += ACK_TIMEOUT.toNanos() - 1;
        p.settle();
        assertThat(link.forcedReconnects).isEmpty();

        now += 1;
        p.settle();
        assertThat(link.forcedReconnects).containsExactly(2);
        assertThat(host.errors).containsExactly("the NATS client stopped writing; reconnecting");
        assertThat(host.lost).isEmpty();

        link.writerStalled = false;
        p.settle();
        assertThat(link.ids()).as("the resend is due: the probe").containsExactly("m1", "m2", "m1");
    }

    @Test
    void aMessageNotAcknowledgedInTimeWhileTheClientWritesIsRetried() throws Exception {
        PublishPipeline p = pipeline(10, 3);
        p.enqueue(msg(1));
        now += ACK_TIMEOUT.toNanos();
        p.settle();
        assertThat(link.forcedReconnects).isEmpty();
        assertThat(host.errors).containsExactly("no acknowledgement within PT5S");
        now += 10 * MS;
        p.settle();
        assertThat(link.ids()).containsExactly("m1", "m1");
    }

    @Test
    void nothingIsSentUnderAnInvalidFenceAndADiscardStartsAFreshChain() throws Exception {
        PublishPipeline p = pipeline(10, 3);
        p.enqueue(msg(1));
        host.fenced = true;
        p.enqueue(msg(2));
        p.settle();
        assertThat(link.ids()).containsExactly("m1");
        assertThat(p.discard()).isEqualTo(2);
        assertThat(p.inFlight()).isZero();

        host.fenced = false;
        p.enqueue(msg(3));
        assertThat(link.last().id()).isEqualTo("m3");
        assertThat(link.last().expect()).isNull();
    }

    @Test
    void atMostMaxInFlightAreOutAndTheNextWaitsForTheHead() throws Exception {
        PublishPipeline p = pipeline(2, 3);
        p.enqueue(msg(1));
        p.enqueue(msg(2));
        Future<?> third =
                other.submit(
                        () -> {
                            p.enqueue(msg(3));
                            return null;
                        });
        link.sent.get(0).ack();
        third.get(10, TimeUnit.SECONDS);
        assertThat(link.ids()).containsExactly("m1", "m2", "m3");
        assertThat(link.last().ackedBefore()).as("m1 retired before m3 went out").isEqualTo(1);
        assertThat(p.inFlight()).isEqualTo(2);
    }

    @Test
    void theBackOffDoublesFrom10msUpToTheAckTimeout() {
        long timeout = ACK_TIMEOUT.toNanos();
        List<Long> delays = new ArrayList<>();
        for (int retries : new int[] {1, 2, 3, 9, 10, 1_000}) {
            delays.add(PublishPipeline.retryDelayNanos(retries, timeout) / MS);
        }
        assertThat(delays).containsExactly(10L, 20L, 40L, 2_560L, 5_000L, 5_000L);
    }
}
