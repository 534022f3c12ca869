package io.tickmux.transport.replay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.transport.DisconnectReason;
import io.tickmux.spi.transport.TransportListener;
import io.tickmux.transport.mock.MockEvents;
import io.tickmux.transport.replay.internal.ReplayConnection.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A replayed connection and its stage, driven from the test's thread as both the manager and the
 * replay thread: the manager's calls only queue answers, and the queued answers are what a server
 * would say.
 */
class ReplayConnectionTest {

    final AtomicInteger starts = new AtomicInteger();
    final ReplayStage stage = new ReplayStage(Pacer.SYSTEM, Duration.ZERO, starts::incrementAndGet);
    final Host host = new Host();

    /** Notes every call it gets. */
    static final class Host implements TransportListener {
        final List<String> calls = new ArrayList<>();

        @Override
        public void onConnected() {
            calls.add("connected");
        }

        @Override
        public void onDisconnected(DisconnectReason reason, int closeCode, String detail) {
            calls.add("disconnected " + reason + " " + closeCode);
        }

        @Override
        public void onEvents(List<MarketEvent> events) {
            events.forEach(e -> calls.add("event " + e.symbol()));
        }

        @Override
        public void onAck(String symbol, boolean subscribed) {
            calls.add((subscribed ? "ack " : "unsubscribe ack ") + symbol);
        }

        @Override
        public void onRejected(String symbol, String reason) {
            calls.add("rejected " + symbol);
        }

        @Override
        public void onServerStatus(String status, String message) {
            calls.add("status " + status);
        }

        @Override
        public void onError(String kind, String detail) {
            throw new IllegalStateException("a listener that fails");
        }
    }

    /** Connects c1 as the recording would, and forgets the calls so far. */
    private ReplayConnection connected() {
        ReplayConnection c = stage.connection("c1", host);
        c.connect();
        assertThat(c.connectNow()).isTrue();
        host.calls.clear();
        return c;
    }

    @Test
    void theFirstConnectStartsTheReplayThreadAndTheRecordingConnectsIt() {
        ReplayConnection c = stage.connection("c1", host);
        ReplayConnection c2 = stage.connection("c2", new Host());
        assertThat(c.connectNow()).as("not connecting yet").isFalse();
        c.connect();
        c2.connect();
        assertThat(starts).hasValue(1);
        stage.runImmediate();
        assertThat(host.calls).as("the recording's connected has not played").isEmpty();
        assertThatThrownBy(c::connect)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already open or connecting");
        assertThat(c.connectNow()).isTrue();
        assertThat(host.calls).containsExactly("connected");
    }

    @Test
    void theManagersCallsOnlyQueueAnswersForTheReplayThread() {
        ReplayConnection c = connected();
        c.subscribe(List.of("AAPL"));
        c.abort();
        assertThat(host.calls).isEmpty();
        stage.runImmediate();
        assertThat(host.calls).containsExactly("disconnected ABORT 1006");
        assertThat(c.is(State.IDLE)).isTrue();
    }

    @Test
    void aSubscriptionTheRecordingNeverAnswersIsAcknowledgedAtOnce() {
        RecordedAnswers answers = new RecordedAnswers();
        answers.note(new Entry.Ack("c1", 0, "AAPL", true));
        stage.answers(answers);
        ReplayConnection c = connected();
        c.subscribe(List.of("AAPL", "MSFT"));
        stage.runImmediate();
        assertThat(host.calls).as("AAPL waits for its recorded ack").containsExactly("ack MSFT");
        c.ack("AAPL", true);
        c.ack("AAPL", true);
        assertThat(host.calls).as("acknowledged once").containsExactly("ack MSFT", "ack AAPL");
    }

    @Test
    void aSubscriptionBeforeTheConnectionIsUpIsNotHeld() {
        ReplayConnection c = stage.connection("c1", host);
        c.connect();
        c.subscribe(List.of("AAPL"));
        c.connectNow();
        stage.runImmediate();
        List<MarketEvent> taken = new ArrayList<>();
        c.takeSubscribed(List.of(MockEvents.trade("AAPL", 1, 1)), taken);
        assertThat(taken).isEmpty();
        assertThat(host.calls).containsExactly("connected");
    }

    @Test
    void eventsAreTakenOnlyForSubscribedTickersUntilTheUnsubscribeIsAcknowledged() {
        ReplayConnection c = connected();
        c.subscribe(List.of("AAPL", "MSFT"));
        c.unsubscribe(List.of("MSFT"));
        List<MarketEvent> taken = new ArrayList<>();
        List<MarketEvent> chunk =
                List.of(MockEvents.trade("AAPL", 1, 1), MockEvents.trade("MSFT", 2, 2));
        c.takeSubscribed(chunk, taken);
        assertThat(taken).extracting(MarketEvent::symbol).containsExactly("AAPL", "MSFT");
        stage.runImmediate();
        assertThat(host.calls).contains("unsubscribe ack MSFT");
        taken.clear();
        c.takeSubscribed(chunk, taken);
        assertThat(taken).extracting(MarketEvent::symbol).containsExactly("AAPL");
    }

    @Test
    void aRefusalDropsTheSubscription() {
        stage.answers(answersFor("AAPL"));
        ReplayConnection c = connected();
        c.subscribe(List.of("AAPL"));
        c.refused("AAPL", "not entitled");
        assertThat(c.unacknowledged()).isEmpty();
        assertThat(host.calls).containsExactly("rejected AAPL");
    }

    @Test
    void closingIsFinalAndAnIdleConnectionReportsNoDisconnect() {
        ReplayConnection c = stage.connection("c1", host);
        c.abort();
        c.close();
        stage.runImmediate();
        assertThat(host.calls).as("it was never open").isEmpty();
        assertThatThrownBy(c::connect).hasMessageContaining("is closed");
        assertThat(stage.isStopped()).as("every connection is closed").isTrue();
    }

    @Test
    void anIdIsTakenUntilItsConnectionIsClosed() {
        ReplayConnection c = stage.connection("c1", host);
        assertThatThrownBy(() -> stage.connection("c1", host))
                .hasMessageContaining("exists and is not closed");
        c.close();
        assertThat(stage.connection("c1", host)).isNotSameAs(c);
    }

    @Test
    void aGateLetsThroughAReadyConnectionAndSkipsWhenTheManagerDidNotAsk() throws Exception {
        stage.answers(answersFor("AAPL"));
        ReplayConnection c = connected();
        assertThat(stage.gate("c1", x -> x.subscribedOn("AAPL"), "ack of AAPL"))
                .as("gate-timeout 0: skipped at once")
                .isNull();
        c.subscribe(List.of("AAPL"));
        assertThat(stage.gate("c1", x -> x.subscribedOn("AAPL"), "ack of AAPL")).isSameAs(c);
        assertThat(stage.gate("c9", x -> true, "connected")).as("no such connection").isNull();
    }

    @Test
    void theEndAnswersWhatIsStillAskedAndEveryLaterSubscription() {
        stage.answers(answersFor("AAPL"));
        ReplayConnection c = connected();
        ReplayConnection c2 = stage.connection("c2", new Host());
        c2.connect();
        c.subscribe(List.of("AAPL"));
        stage.runImmediate();
        assertThat(host.calls).isEmpty();

        ReplayStage.Ending ending = stage.end();
        assertThat(ending.live()).containsExactly(c);
        ending.answers().forEach(Runnable::run);
        assertThat(host.calls).containsExactly("ack AAPL");
        assertThat(c2.is(State.CONNECTED)).as("a connecting connection is connected").isTrue();

        c.subscribe(List.of("AAPL", "MSFT"));
        stage.runImmediate();
        assertThat(host.calls).as("AAPL was acknowledged").containsExactly("ack AAPL", "ack MSFT");
        c.abort();
        c.connect();
        stage.runImmediate();
        assertThat(host.calls)
                .as("after the end a reconnect is answered at once")
                .endsWith("disconnected ABORT 1006", "connected");
    }

    @Test
    void aFailingListenerIsLoggedAndTheReplayGoesOn() {
        ReplayConnection c = connected();
        c.error("malformed", "a bad frame");
        c.serverStatus("ok", "");
        assertThat(host.calls).containsExactly("status ok");
    }

    private static RecordedAnswers answersFor(String symbol) {
        RecordedAnswers answers = new RecordedAnswers();
        answers.note(new Entry.State("c1", 0, true, Set.of(symbol)));
        return answers;
    }
}
