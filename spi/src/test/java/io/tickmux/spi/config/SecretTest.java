package io.tickmux.spi.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretTest {

    @Test
    void neverPrintsTheValue() {
        Secret s = Secret.of("AbCdEfGhIjKlMnOpQr");
        assertThat(s.toString()).isEqualTo("****Qr").doesNotContain("AbCd");
        assertThat(Secret.of("short").toString()).isEqualTo("****");
        assertThat(Secret.of(null).toString()).isEqualTo("(empty)");
        assertThat(Secret.of("").isEmpty()).isTrue();
        assertThat(s.reveal()).isEqualTo("AbCdEfGhIjKlMnOpQr");
        assertThat(s)
                .isEqualTo(Secret.of("AbCdEfGhIjKlMnOpQr"))
                .hasSameHashCodeAs(Secret.of("AbCdEfGhIjKlMnOpQr"));
        assertThat(s).isNotEqualTo(Secret.of("other"));
    }
}
