package io.tickmux.spi.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;

class ThreadsTest {

    @Test
    void namedThreadsAreDaemonsNumberedFromTheSecond() {
        ThreadFactory f = Threads.named("tickmux-test");
        Thread first = f.newThread(() -> {});
        Thread second = f.newThread(() -> {});

        assertThat(first.getName()).isEqualTo("tickmux-test");
        assertThat(second.getName()).isEqualTo("tickmux-test-2");
        assertThat(first.isDaemon()).isTrue();
        assertThat(second.isDaemon()).isTrue();
        assertThat(Threads.named("tickmux-test").newThread(() -> {}).getName())
                .as("each factory numbers its own threads")
                .isEqualTo("tickmux-test");
    }
}
