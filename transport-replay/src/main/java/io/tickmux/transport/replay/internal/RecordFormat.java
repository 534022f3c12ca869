package io.tickmux.transport.replay.internal;

import io.tickmux.spi.event.MarketEvent;
import io.tickmux.spi.transport.DisconnectReason;
import io.tickmux.wire.WireMessage;
import io.tickmux.wire.WireReader;
import io.tickmux.wire.WireWriter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The recording file format (inside a gzip stream), version {@link #VERSION}:
 *
 * <pre>
 * header:  "TMXREC" (6 bytes) | int version | long unixNanos | long monoNanos
 * entry:   byte type | string connectionId | long monoNanos | body by type
 * trailer: byte 0 | long entries          (a file without it was cut short)
 * string:  int length | UTF-8 bytes
 * </pre>
 *
 * The header's two times were read together, so an entry's Unix receive time is {@code unixNanos +
 * (entry.monoNanos - monoNanos)}. Market events are stored in the wire format ({@code
 * docs/wire-format.md}), which reads back into equal events. Lengths are bounded on reading, so a
 * corrupt length is reported instead of allocating gigabytes.
 */
public final class RecordFormat {

    /** The format version written and read. */
    public static final int VERSION = 1;

    static final byte[] MAGIC = "TMXREC".getBytes(StandardCharsets.US_ASCII);
    static final int MAX_STRING = 1 << 20;
    static final int MAX_LIST = 1 << 20;

    private static final byte END = 0;
    private static final byte CONNECTED = 1;
    private static final byte DISCONNECTED = 2;
    private static final byte EVENTS = 3;
    private static final byte ACK = 4;
    private static final byte REJECTED = 5;
    private static final byte ACK_TIMEOUT = 6;
    private static final byte SERVER_STATUS = 7;
    private static final byte ERROR = 8;
    private static final byte COMMAND = 20;
    private static final byte STATE = 30;
    private static final byte DROPPED = 31;

    private RecordFormat() {}

    /** A file's header. */
    public record Header(int version, long unixNanos, long monoNanos) {}

    /** The trailer was read: the file is complete. */
    public record Trailer(long entries) {}

    /** Thrown for content that is not a valid recording. */
    public static final class CorruptRecording extends IOException {
        private static final long serialVersionUID = 1L;

        CorruptRecording(String message) {
            super(message);
        }
    }

    static void writeHeader(DataOutputStream out, long unixNanos, long monoNanos)
            throws IOException {
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeLong(unixNanos);
        out.writeLong(monoNanos);
    }

    static void writeTrailer(DataOutputStream out, long entries) throws IOException {
        out.writeByte(END);
        out.writeLong(entries);
    }

    /** Writes entries; not thread-safe (the recorder's writer thread owns one). */
    static final class Writer {
        private final WireWriter wire = new WireWriter();

        void write(DataOutputStream out, Entry e) throws IOException {
            if (e instanceof Entry.Connected c) {
                begin(out, CONNECTED, c);
            } else if (e instanceof Entry.Disconnected d) {
                begin(out, DISCONNECTED, d);
                string(out, d.reason().name());
                out.writeInt(d.closeCode());
                string(out, d.detail());
            } else if (e instanceof Entry.Events ev) {
                begin(out, EVENTS, ev);
                out.writeInt(ev.events().size());
                for (MarketEvent m : ev.events()) {
                    byte[] json = wire.market(m, ev.connectionId(), ev.nanos());
                    out.writeInt(json.length);
                    out.write(json);
                }
            } else if (e instanceof Entry.Ack a) {
                begin(out, ACK, a);
                string(out, a.symbol());
                out.writeBoolean(a.subscribed());
            } else if (e instanceof Entry.Rejected r) {
                begin(out, REJECTED, r);
                string(out, r.symbol());
                string(out, r.reason());
            } else if (e instanceof Entry.AckTimeout t) {
                begin(out, ACK_TIMEOUT, t);
                string(out, t.symbol());
                string(out, t.detail());
            } else if (e instanceof Entry.ServerStatus s) {
                begin(out, SERVER_STATUS, s);
                string(out, s.status());
                string(out, s.message());
            } else if (e instanceof Entry.Error x) {
                begin(out, ERROR, x);
                string(out, x.kind());
                string(out, x.detail());
            } else if (e instanceof Entry.Command c) {
                begin(out, COMMAND, c);
                out.writeByte(c.kind().ordinal());
                strings(out, c.symbols());
            } else if (e instanceof Entry.State s) {
                begin(out, STATE, s);
                out.writeBoolean(s.connected());
                strings(out, s.acked());
            } else if (e instanceof Entry.Dropped d) {
                begin(out, DROPPED, d);
                out.writeLong(d.count());
            }
        }

        private static void begin(DataOutputStream out, byte type, Entry e) throws IOException {
            out.writeByte(type);
            string(out, e.connectionId());
            out.writeLong(e.nanos());
        }

        private static void strings(DataOutputStream out, Collection<String> list)
                throws IOException {
            out.writeInt(list.size());
            for (String s : list) {
                string(out, s);
            }
        }

        private static void string(DataOutputStream out, String s) throws IOException {
            byte[] b = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
        }
    }

    /** Reads entries; not thread-safe. */
    static final class Reader {
        private final DataInputStream in;
        private final WireReader wire = new WireReader();
        private final boolean skipEvents;

        /**
         * @param in the stream
         * @param skipEvents whether events are skipped unread (their entries come back empty): for
         *     a pass that needs only the control entries
         */
        Reader(DataInputStream in, boolean skipEvents) {
            this.in = in;
            this.skipEvents = skipEvents;
        }

        Header header() throws IOException {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new CorruptRecording("not a tickmux recording (bad magic bytes)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new CorruptRecording(
                        "recording format version "
                                + version
                                + ", this reader reads "
                                + VERSION
                                + ": replay it with the tickmux version that recorded it");
            }
            return new Header(version, in.readLong(), in.readLong());
        }

        /**
         * @return the next entry, or a {@link Trailer} at the end of a complete file
         * @throws EOFException when the file ends before its trailer (it was cut short)
         * @throws IOException when the content is corrupt
         */
        Object next() throws IOException {
            byte type = in.readByte();
            if (type == END) {
                return new Trailer(in.readLong());
            }
            String conn = string();
            long nanos = in.readLong();
            return switch (type) {
                case CONNECTED -> new Entry.Connected(conn, nanos);
                case DISCONNECTED -> {
                    String reason = string();
                    DisconnectReason r;
                    try {
                        r = DisconnectReason.valueOf(reason);
                    } catch (IllegalArgumentException e) {
                        throw new CorruptRecording("unknown disconnect reason " + reason);
                    }
                    yield new Entry.Disconnected(conn, nanos, r, in.readInt(), string());
                }
                case EVENTS -> {
                    int n = length(MAX_LIST, "events in a chunk");
                    List<MarketEvent> events = new ArrayList<>(n);
                    if (skipEvents) {
                        for (int i = 0; i < n; i++) {
                            in.skipNBytes(length(MAX_STRING, "event"));
                        }
                        yield new Entry.Events(conn, nanos, List.of());
                    }
                    for (int i = 0; i < n; i++) {
                        byte[] json = new byte[length(MAX_STRING, "event")];
                        in.readFully(json);
                        try {
                            events.add(((WireMessage.Market) wire.read(json)).event());
                        } catch (RuntimeException e) {
                            throw new CorruptRecording("unreadable event: " + e.getMessage());
                        }
                    }
                    yield new Entry.Events(conn, nanos, List.copyOf(events));
                }
                case ACK -> new Entry.Ack(conn, nanos, string(), in.readBoolean());
                case REJECTED -> new Entry.Rejected(conn, nanos, string(), string());
                case ACK_TIMEOUT -> new Entry.AckTimeout(conn, nanos, string(), string());
                case SERVER_STATUS -> new Entry.ServerStatus(conn, nanos, string(), string());
                case ERROR -> new Entry.Error(conn, nanos, string(), string());
                case COMMAND -> {
                    int k = in.readUnsignedByte();
                    Entry.CommandKind[] kinds = Entry.CommandKind.values();
                    if (k >= kinds.length) {
                        throw new CorruptRecording("unknown command " + k);
                    }
                    yield new Entry.Command(conn, nanos, kinds[k], List.copyOf(strings()));
                }
                case STATE -> {
                    boolean connected = in.readBoolean();
                    yield new Entry.State(conn, nanos, connected, new LinkedHashSet<>(strings()));
                }
                case DROPPED -> new Entry.Dropped(conn, nanos, in.readLong());
                default -> throw new CorruptRecording("unknown entry type " + type);
            };
        }

        private List<String> strings() throws IOException {
            int n = length(MAX_LIST, "list");
            List<String> out = new ArrayList<>(Math.min(n, 1024));
            for (int i = 0; i < n; i++) {
                out.add(string());
            }
            return out;
        }

        private String string() throws IOException {
            byte[] b = new byte[length(MAX_STRING, "string")];
            in.readFully(b);
            return new String(b, StandardCharsets.UTF_8);
        }

        private int length(int max, String what) throws IOException {
            int n = in.readInt();
            if (n < 0 || n > max) {
                throw new CorruptRecording(what + " of length " + n + " (at most " + max + ")");
            }
            return n;
        }
    }
}
