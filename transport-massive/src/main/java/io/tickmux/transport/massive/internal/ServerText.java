package io.tickmux.transport.massive.internal;

/**
 * Text that came from the server (status messages, refusal reasons, close reasons, unknown event
 * types, parser messages quoting a frame), made safe to log and show: one line, control and
 * invisible formatting characters escaped, at most {@link #MAX} characters kept. A server cannot
 * forge a log line, hide text with bidirectional overrides, or fill a log with one message.
 */
public final class ServerText {

    /** The most characters of one text kept; the rest is counted, not shown. */
    public static final int MAX = 300;

    private ServerText() {}

    /**
     * @param text text from the server; {@code null} is {@code ""}
     * @return the text on one line: {@code \n}, {@code \r}, {@code \t} and {@code \\} escaped as in
     *     Java, any other control, line or paragraph separator or format character (bidi overrides,
     *     zero-width) as {@code \}{@code uXXXX}; longer than {@link #MAX} characters cut, with how
     *     many were left out
     */
    public static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        if (text.length() <= MAX && clean(text)) {
            return text;
        }
        int keep = Math.min(text.length(), MAX);
        StringBuilder sb = new StringBuilder(keep + 32);
        for (int i = 0; i < keep; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (unsafe(c)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        if (text.length() > keep) {
            sb.append("… (").append(text.length() - keep).append(" more characters)");
        }
        return sb.toString();
    }

    private static boolean clean(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' || unsafe(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean unsafe(char c) {
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
            return true;
        }
        return switch (Character.getType(c)) {
            case Character.CONTROL,
                    Character.FORMAT,
                    Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE,
                    Character.UNASSIGNED ->
                    true;
            default -> false;
        };
    }
}
