package io.tickmux.ha;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.app.Tickmux;
import java.util.Map;

/**
 * A gateway of a pair in its own JVM, for the multi-process tests: the application on the Massive
 * transport (to the test's fake server), publishing to NATS, under the lease. It prints its role
 * whenever it changes ({@code ROLE active <epoch>} / {@code ROLE standby <epoch>}) and each
 * completed switchover ({@code SWITCHOVER <took ms>}) on stdout; logs go to stderr.
 *
 * <p>Arguments: gateway id, NATS URL (lease and sink), Massive URL, subject prefix, stream, bucket,
 * tickers of connection 1 (comma-separated), tickers of connection 2.
 */
public final class GatewayMain {

    private GatewayMain() {}

    public static void main(String[] args) throws Exception {
        String hocon =
                "tickmux.app { transport = massive, multi-connection = true,"
                        + " universes.hocon { u1 = ["
                        + args[6]
                        + "], u2 = ["
                        + args[7]
                        + "] },"
                        + " connections { 1 { universe-key = u1 }, 2 { enabled = true,"
                        + " universe-key = u2 } } }\n"
                        + "tickmux.core { max-connections = 2, reconnect { initial-delay = 50ms,"
                        + " max-delay = 500ms } }\n"
                        + "tickmux.transport.massive { url = \""
                        + args[2]
                        + "\", api-key = pair-key }\n"
                        + "tickmux.http.enabled = false\n"
                        + "tickmux.sinks = [nats]\n"
                        + "tickmux.sink.nats { url = \""
                        + args[1]
                        + "\", subject-prefix = "
                        + args[3]
                        + ", stream { name = "
                        + args[4]
                        + ", storage = memory }, ack-timeout = 2s }\n"
                        + "tickmux.ha { mode = active-standby, gateway-id = "
                        + args[0]
                        + ", url = \""
                        + args[1]
                        + "\", bucket = "
                        + args[5]
                        + ", storage = memory }\n";
        Config root = Tickmux.load(ConfigFactory.parseString(hocon), Map.of());
        HaGateway gw =
                HaGateway.builder(root)
                        .switchoverListener(
                                s -> System.out.println("SWITCHOVER " + s.took().toMillis()))
                        .build();
        gw.start();
        System.out.println("STARTED " + args[0]);
        String last = "";
        while (true) {
            String now = (gw.active() ? "active " : "standby ") + gw.epoch();
            if (!now.equals(last)) {
                System.out.println("ROLE " + now);
                last = now;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
        }
    }
}
