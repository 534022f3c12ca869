package io.tickmux.benchmarks;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickmux.core.ConnectionDefinition;
import io.tickmux.core.CoreSettings;
import io.tickmux.core.MultiConnectionManager;
import io.tickmux.transport.massive.MassiveTransportFactory;
import java.util.Set;

/** How the benchmarks build a manager on the Massive transport. */
final class MassiveManagers {

    private MassiveManagers() {}

    /**
     * @param url the server's WebSocket URL
     * @param transportSettings HOCON inside {@code tickmux.transport.massive}, e.g. {@code channels
     *     = [T]}
     * @return a builder with core defaults and the Massive transport
     */
    static MultiConnectionManager.Builder builder(String url, String transportSettings) {
        Config root =
                ConfigFactory.parseString(
                                "tickmux.transport.massive { url = \""
                                        + url
                                        + "\", api-key = bench, "
                                        + transportSettings
                                        + " }")
                        .withFallback(ConfigFactory.load())
                        .resolve();
        return MultiConnectionManager.builder()
                .settings(CoreSettings.from(root))
                .transport(new MassiveTransportFactory())
                .config(root);
    }

    /**
     * Adds connections {@code c1..cN}, connection {@code i} with API key {@code keyPrefix + i}.
     *
     * @param maxTickers each connection's capacity
     */
    static void connections(
            MultiConnectionManager.Builder b, int n, String keyPrefix, int maxTickers) {
        for (int c = 1; c <= n; c++) {
            String id = "c" + c;
            b.connection(
                    new ConnectionDefinition(
                            id,
                            id,
                            maxTickers,
                            Set.of(),
                            ConfigFactory.parseString("api-key = " + keyPrefix + c)));
        }
    }
}
