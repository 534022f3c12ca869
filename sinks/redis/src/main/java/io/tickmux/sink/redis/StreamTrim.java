package io.tickmux.sink.redis;

import static java.util.Objects.requireNonNull;

import io.lettuce.core.XAddArgs;
import java.time.Clock;

/**
 * How every {@code XADD} trims its stream: {@code MAXLEN} of {@code max-length}, {@code MINID} of
 * now minus {@code max-age} (entry ids are their server time in ms), or not at all; approximate
 * ({@code ~}) unless {@code approximate = false}.
 */
final class StreamTrim {

    private final RedisSinkSettings settings;
    private final Clock clock;

    /**
     * @param settings the sink's settings
     * @param clock the host's clock, for {@code MINID}
     */
    StreamTrim(RedisSinkSettings settings, Clock clock) {
        this.settings = requireNonNull(settings, "settings is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * @return the arguments of one {@code XADD}, as of now
     */
    XAddArgs args() {
        XAddArgs a = new XAddArgs();
        switch (settings.trim()) {
            case LENGTH ->
                    a.maxlen(settings.maxLength()).approximateTrimming(settings.approximate());
            case AGE ->
                    a.minId((clock.millis() - settings.maxAge().toMillis()) + "-0")
                            .approximateTrimming(settings.approximate());
            case NONE -> {}
        }
        return a;
    }
}
