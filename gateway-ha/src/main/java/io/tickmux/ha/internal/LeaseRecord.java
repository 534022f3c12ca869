package io.tickmux.ha.internal;

import java.nio.charset.StandardCharsets;

/**
 * The lease's value: who holds it, under which epoch, when it was last renewed and up to when its
 * sinks had published. One line of text: {@code holder=<id> epoch=<n> renewed=<ns> through=<ns>}
 * (times Unix ns). The epoch is 0 in the value written by {@code create}: the revision of that
 * entry is the epoch (see {@link #epochOr}).
 *
 * @param holder the holding gateway's id
 * @param epoch the epoch, 0 when not yet written
 * @param renewedNanos when the holder wrote this value, Unix ns
 * @param throughNanos every event its sinks received before this was published, Unix ns
 */
public record LeaseRecord(String holder, long epoch, long renewedNanos, long throughNanos) {

    /**
     * @return the value's bytes
     */
    public byte[] encode() {
        return ("holder="
                        + holder
                        + " epoch="
                        + epoch
                        + " renewed="
                        + renewedNanos
                        + " through="
                        + throughNanos)
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param value a value written by {@link #encode()}
     * @return the record; fields that cannot be read are empty or 0
     */
    public static LeaseRecord decode(byte[] value) {
        String holder = "";
        long epoch = 0;
        long renewed = 0;
        long through = 0;
        if (value != null) {
            for (String part : new String(value, StandardCharsets.UTF_8).trim().split("\\s+")) {
                int eq = part.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String k = part.substring(0, eq);
                String v = part.substring(eq + 1);
                try {
                    switch (k) {
                        case "holder" -> holder = v;
                        case "epoch" -> epoch = Long.parseLong(v);
                        case "renewed" -> renewed = Long.parseLong(v);
                        case "through" -> through = Long.parseLong(v);
                        default -> {}
                    }
                } catch (NumberFormatException e) {
                    // left at 0: an unreadable field of a foreign writer
                }
            }
        }
        return new LeaseRecord(holder, epoch, renewed, through);
    }

    /**
     * @param revision the revision of the entry this record came from
     * @return the epoch, or the revision when the value does not carry it yet (the value {@code
     *     create} wrote)
     */
    public long epochOr(long revision) {
        return epoch > 0 ? epoch : revision;
    }
}
