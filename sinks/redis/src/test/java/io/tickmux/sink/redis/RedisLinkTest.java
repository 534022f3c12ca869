package io.tickmux.sink.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** The connection's pure parts: the server's run id, and failures described without secrets. */
class RedisLinkTest {

    @Test
    void findsTheRunIdInTheServerInfo() {
        String info = "# Server\r\nredis_version:7.0.15\r\nrun_id:4f1c0b9a  \r\ntcp_port:6379\r\n";
        assertThat(RedisLink.runId(info)).isEqualTo("4f1c0b9a");
        assertThat(RedisLink.runId("# Server\nredis_version:7.0.15\n")).isEmpty();
    }

    @Test
    void describesTheRootCauseAndMasksTheCredentials() {
        String url = "redis://default:s3cret@cache.internal:6379/2";
        RuntimeException e =
                new IllegalStateException(
                        "outer",
                        new UncheckedIOException(
                                new IOException(
                                        "refused by redis://default:s3cret@cache.internal:6379")));
        assertThat(RedisLink.describe(e, url))
                .isEqualTo("IOException: refused by ****@cache.internal:6379");
        assertThat(RedisLink.describe(new IllegalStateException("x"), "redis://127.0.0.1"))
                .isEqualTo("IllegalStateException: x");
    }
}
