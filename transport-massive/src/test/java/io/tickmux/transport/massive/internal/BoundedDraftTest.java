package io.tickmux.transport.massive.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.java_websocket.enums.Opcode;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.InvalidFrameException;
import org.java_websocket.exceptions.LimitExceededException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.junit.jupiter.api.Test;

/** The draft's own frame splitter and its UTF-8 check. */
class BoundedDraftTest {

    private static byte[] frame(int opcode, boolean fin, byte[] payload, byte[] mask) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | opcode);
        int m = mask == null ? 0 : 0x80;
        int n = payload.length;
        if (n <= 125) {
            out.write(m | n);
        } else if (n <= 0xFFFF) {
            out.write(m | 126);
            out.write(n >>> 8);
            out.write(n & 0xFF);
        } else {
            out.write(m | 127);
            for (int i = 7; i >= 0; i--) {
                out.write((int) ((long) n >>> (8 * i)) & 0xFF);
            }
        }
        if (mask != null) {
            out.writeBytes(mask);
            byte[] masked = payload.clone();
            for (int i = 0; i < masked.length; i++) {
                masked[i] ^= mask[i & 3];
            }
            out.writeBytes(masked);
        } else {
            out.writeBytes(payload);
        }
        return out.toByteArray();
    }

    private static String text(Framedata f) {
        return StandardCharsets.UTF_8.decode(f.getPayloadData().duplicate()).toString();
    }

    @Test
    void framesSplitAtEveryPossibleReadBoundaryComeOutWholeAndInOrder() throws Exception {
        String big = "[" + "{\"ev\":\"T\",\"sym\":\"AAPL\",\"p\":1.5},".repeat(2000) + "{}]";
        String small = "[{\"ev\":\"status\"}]";
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(frame(1, true, small.getBytes(StandardCharsets.UTF_8), null));
        wire.writeBytes(frame(1, true, big.getBytes(StandardCharsets.UTF_8), null)); // 8-byte len
        wire.writeBytes(frame(9, true, new byte[] {1, 2}, null)); // ping
        wire.writeBytes(frame(1, true, "{\"x\":\"é€😀\"}".getBytes(StandardCharsets.UTF_8), null));
        wire.writeBytes(frame(1, true, new byte[300], null)); // 2-byte length
        byte[] all = wire.toByteArray();
        Random random = new Random(7);
        for (int run = 0; run < 200; run++) {
            BoundedDraft draft = new BoundedDraft(1 << 20);
            List<Framedata> got = new ArrayList<>();
            int at = 0;
            while (at < all.length) {
                int n = run == 0 ? 1 : 1 + random.nextInt(run < 100 ? 20 : 20_000);
                n = Math.min(n, all.length - at);
                ByteBuffer read = ByteBuffer.allocate(n);
                read.put(all, at, n).flip();
                got.addAll(draft.translateFrame(read));
                assertThat(read.hasRemaining()).isFalse();
                at += n;
            }
            assertThat(got)
                    .extracting(Framedata::getOpcode)
                    .containsExactly(
                            Opcode.TEXT, Opcode.TEXT, Opcode.PING, Opcode.TEXT, Opcode.TEXT);
            assertThat(text(got.get(0))).isEqualTo(small);
            assertThat(text(got.get(1))).isEqualTo(big);
            assertThat(text(got.get(3))).isEqualTo("{\"x\":\"é€😀\"}");
            assertThat(got.get(4).getPayloadData().remaining()).isEqualTo(300);
        }
    }

    @Test
    void aMaskedFrameIsUnmasked() throws Exception {
        byte[] payload =
                "[{\"ev\":\"status\",\"status\":\"connected\"}]".getBytes(StandardCharsets.UTF_8);
        List<Framedata> got =
                new BoundedDraft(1 << 16)
                        .translateFrame(
                                ByteBuffer.wrap(frame(1, true, payload, new byte[] {9, 8, 7, 6})));
        assertThat(text(got.get(0))).isEqualTo(new String(payload, StandardCharsets.UTF_8));
    }

    @Test
    void aFrameOverTheLimitFailsAsItsHeaderArrives() {
        BoundedDraft draft = new BoundedDraft(65_536);
        byte[] header = {(byte) 0x81, 127, 0, 0, 0, 0, 0, 2, 0, 0}; // 131072 bytes announced
        assertThatThrownBy(() -> draft.translateFrame(ByteBuffer.wrap(header)))
                .isInstanceOf(LimitExceededException.class);
        byte[] negative = {(byte) 0x81, 127, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0};
        assertThatThrownBy(() -> new BoundedDraft(65_536).translateFrame(ByteBuffer.wrap(negative)))
                .isInstanceOf(LimitExceededException.class);
    }

    @Test
    void protocolViolationsAreRefused() {
        byte[] longPing = frame(9, true, new byte[126], null);
        assertThatThrownBy(() -> new BoundedDraft(65_536).translateFrame(ByteBuffer.wrap(longPing)))
                .isInstanceOf(InvalidFrameException.class)
                .hasMessageContaining("125");
        byte[] unknownOpcode = frame(3, true, new byte[1], null);
        assertThatThrownBy(
                        () ->
                                new BoundedDraft(65_536)
                                        .translateFrame(ByteBuffer.wrap(unknownOpcode)))
                .isInstanceOf(InvalidFrameException.class)
                .hasMessageContaining("opcode");
        byte[] reserved = frame(1, true, "{}".getBytes(StandardCharsets.UTF_8), null);
        reserved[0] |= 0x40;
        assertThatThrownBy(() -> new BoundedDraft(65_536).translateFrame(ByteBuffer.wrap(reserved)))
                .isInstanceOf(InvalidDataException.class);
        byte[] fragmentedPing = frame(9, false, new byte[1], null);
        assertThatThrownBy(
                        () ->
                                new BoundedDraft(65_536)
                                        .translateFrame(ByteBuffer.wrap(fragmentedPing)))
                .isInstanceOf(InvalidDataException.class);
    }

    @Test
    void invalidUtf8InATextFrameClosesWith1007() {
        byte[] bad = frame(1, true, new byte[] {'[', (byte) 0xC3, '(', ']'}, null);
        assertThatThrownBy(() -> new BoundedDraft(65_536).translateFrame(ByteBuffer.wrap(bad)))
                .isInstanceOfSatisfying(
                        InvalidDataException.class,
                        e -> assertThat(e.getCloseCode()).isEqualTo(CloseFrame.NO_UTF8));
    }

    @Test
    void theUtf8CheckAcceptsExactlyWellFormedUtf8() {
        String ok = "plain ascii of some length " + "é€😀 \u07FF\uFFFD\uD7FF\uE000\uDBFF\uDFFF";
        for (int cut = 0; cut <= ok.length(); cut++) {
            byte[] b = ok.substring(0, cut).getBytes(StandardCharsets.UTF_8);
            assertThat(BoundedDraft.validUtf8(b, 0, b.length)).as("prefix %d", cut).isTrue();
        }
        assertThat(BoundedDraft.validUtf8(new byte[16], 0, 16)).isTrue(); // ends on 8-byte step
        int[][] bad = {
            {0x80}, // a lone continuation byte
            {0xC0, 0x80}, // overlong NUL
            {0xC1, 0xBF}, // overlong
            {0xE0, 0x80, 0x80}, // overlong 3-byte
            {0xED, 0xA0, 0x80}, // a surrogate
            {0xF0, 0x80, 0x80, 0x80}, // overlong 4-byte
            {0xF4, 0x90, 0x80, 0x80}, // above U+10FFFF
            {0xF5, 0x80, 0x80, 0x80},
            {0xFF},
            {0xE2, 0x82}, // cut short
            {0xE2, 0x28, 0xA1}, // bad continuation
            {0xF0, 0x9F, 0x98, 0x28}
        };
        for (int[] seq : bad) {
            byte[] b = new byte[10 + seq.length];
            for (int i = 0; i < 10; i++) {
                b[i] = 'a';
            }
            for (int i = 0; i < seq.length; i++) {
                b[10 + i] = (byte) seq[i];
            }
            assertThat(BoundedDraft.validUtf8(b, 0, b.length))
                    .as("%s", java.util.Arrays.toString(seq))
                    .isFalse();
        }
        // agrees with the JDK's strict decoder on random bytes
        Random random = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[random.nextInt(24)];
            for (int k = 0; k < b.length; k++) {
                b[k] =
                        (byte)
                                (random.nextBoolean()
                                        ? 'a' + random.nextInt(26)
                                        : random.nextInt(256));
            }
            boolean jdk;
            try {
                StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b));
                jdk = true;
            } catch (java.nio.charset.CharacterCodingException e) {
                jdk = false;
            }
            assertThat(BoundedDraft.validUtf8(b, 0, b.length))
                    .as("%s", java.util.Arrays.toString(b))
                    .isEqualTo(jdk);
        }
    }
}
