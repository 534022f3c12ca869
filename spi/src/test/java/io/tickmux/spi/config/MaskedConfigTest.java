package io.tickmux.spi.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The effective-configuration log masks every secret: by key name and inside URLs. */
class MaskedConfigTest {

    @Test
    void credentialsInsideUrlsAreMasked() {
        Map<String, String> cases =
                Map.ofEntries(
                        Map.entry(
                                "wss://user:pw123@socket.massive.com/stocks",
                                "wss://user:****@socket.massive.com/stocks"),
                        Map.entry("https://ghp_TOKEN99@github.com/x", "https://****@github.com/x"),
                        Map.entry("wss://h/stocks?password=pw123", "wss://h/stocks?password=****"),
                        Map.entry(
                                "wss://h/stocks?apiKey=KEY123&feed=delayed",
                                "wss://h/stocks?apiKey=****&feed=delayed"),
                        Map.entry(
                                "https://h/x?a=1&token=TOK123#frag",
                                "https://h/x?a=1&token=****#frag"),
                        Map.entry(
                                "https://h/x?access_token=TOK123&api-key=K2",
                                "https://h/x?access_token=****&api-key=****"),
                        Map.entry(
                                "jdbc:postgresql://db:5432/test?user=app&password=pw123&sslmode=require",
                                "jdbc:postgresql://db:5432/test?user=app&password=****&sslmode=require"),
                        Map.entry(
                                "jdbc:postgresql://app:pw123@db:5432/test",
                                "jdbc:postgresql://app:****@db:5432/test"),
                        Map.entry(
                                "jdbc:mysql://db/test?user=app&pwd=pw123",
                                "jdbc:mysql://db/test?user=app&pwd=****"),
                        Map.entry(
                                "jdbc:sqlserver://db:1433;databaseName=t;user=app;password=pw123;encrypt=true",
                                "jdbc:sqlserver://db:1433;databaseName=t;user=app;password=****;encrypt=true"),
                        Map.entry(
                                "jdbc:oracle:thin:scott/pw123@//db:1521/svc",
                                "jdbc:oracle:thin:scott/****@//db:1521/svc"),
                        Map.entry("wss://us:p@ss:w0rd123@h/x", "wss://us:****@h/x"),
                        Map.entry(
                                "failed to reach wss://u:pw123@h/x (refused)",
                                "failed to reach wss://u:****@h/x (refused)"),
                        Map.entry(
                                "wss://socket.massive.com/stocks",
                                "wss://socket.massive.com/stocks"),
                        Map.entry(
                                "https://h/x?universe-key=a&password=",
                                "https://h/x?universe-key=a&password="),
                        Map.entry("plain text", "plain text"));
        cases.forEach((in, out) -> assertThat(MaskedConfig.maskUrls(in)).as(in).isEqualTo(out));
        assertThat(MaskedConfig.maskUrls(null)).isNull();
        assertThat(MaskedConfig.maskUrls("")).isEmpty();
    }

    @Test
    void namesThatLookSecret() {
        for (String name :
                new String[] {
                    "password",
                    "api-key",
                    "apiKey",
                    "APIKEY",
                    "api_key",
                    "key",
                    "keys",
                    "access-key",
                    "client_secret",
                    "secret-key",
                    "token",
                    "auth-token",
                    "access_token",
                    "pwd",
                    "credentials",
                    "privateKey",
                    "x-api-key",
                    "\"db-password\"",
                    "passphrase"
                }) {
            assertThat(MaskedConfig.isSecretName(name)).as(name).isTrue();
        }
        for (String name :
                new String[] {
                    "universe-key",
                    "universeKey",
                    "url",
                    "user",
                    "auth-timeout",
                    "monkey",
                    "keyword",
                    "symbols",
                    "name",
                    "sort-key",
                    ""
                }) {
            assertThat(MaskedConfig.isSecretName(name)).as(name).isFalse();
        }
    }

    @Test
    void theRenderingMasksSecretKeysAtAnyLevelAndUrlsInAnyValue() {
        Config root =
                ConfigFactory.parseString(
                        "tickmux {\n"
                                + "  transport.massive { api-key = SECRETKEY1, url = \"wss://u:URLPW1@h/stocks?apiKey=URLKEY1\" }\n"
                                + "  transport.massive.auth-timeout = 10s\n"
                                + "  app.connections.2 { apiKey = SECRETKEY2, universe-key = \"tech:top\" }\n"
                                + "  app.universes.jdbc { url = \"jdbc:postgresql://db/t?password=JDBCPW1\", password = DBPW1, user = app }\n"
                                + "  http.token = TOKEN1\n"
                                + "  sinks.s3.credentials { access = ACCESS1, other = OTHER1 }\n"
                                + "  sinks.kafka.client_secret = [S1, S2]\n"
                                + "  sinks.kafka.brokers = [\"kafka://u:BROKERPW1@k:9092\", \"k2:9092\"]\n"
                                + "  empty-password = \"\"\n"
                                + "  numbers { port = 8080, enabled = true }\n"
                                + "}\n");
        String r = MaskedConfig.render(root);
        for (String secret :
                new String[] {
                    "SECRETKEY1",
                    "URLPW1",
                    "URLKEY1",
                    "SECRETKEY2",
                    "JDBCPW1",
                    "DBPW1",
                    "TOKEN1",
                    "ACCESS1",
                    "OTHER1",
                    "S1",
                    "S2",
                    "BROKERPW1"
                }) {
            assertThat(r).as(secret).doesNotContain(secret);
        }
        assertThat(r)
                .contains("\"wss://u:****@h/stocks?apiKey=****\"")
                .contains("\"jdbc:postgresql://db/t?password=****\"")
                .contains("\"kafka://u:****@k:9092\"")
                .contains("\"k2:9092\"")
                .contains("\"tech:top\"")
                .contains("auth-timeout\":\"10s\"")
                .contains("user\":\"app\"")
                .contains("empty-password\":\"\"")
                .contains("port\":8080");
        assertThat(MaskedConfig.render(ConfigFactory.empty())).isEqualTo("{}");
    }
}
