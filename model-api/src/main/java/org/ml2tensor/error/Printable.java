package org.ml2tensor.error;

/**
 * Makes attacker-controlled text (class names, feature names, labels, metadata, paths) safe to print on
 * one terminal line: control characters (C0 including NUL, newline, tab and ESC, DEL, C1) and the Unicode
 * line separators and bidirectional overrides are written as visible escapes ({@code \n}, {@code \t},
 * {@code \x1b}, {@code \u202e}), so a hostile name can neither forge extra lines nor drive the terminal.
 */
public final class Printable {
    private Printable() {
    }

    /** {@code text} with every unsafe character escaped; {@code null} becomes {@code "null"}. */
    public static String escape(String text) {
        if (text == null) {
            return "null";
        }
        int first = firstUnsafe(text);
        if (first < 0) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!unsafe(c)) {
                sb.append(c);
                continue;
            }
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\0' -> sb.append("\\0");
                default -> {
                    if (c < 0x100) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(String.format("\\u%04x", (int) c));
                    }
                }
            }
        }
        return sb.toString();
    }

    /** Whether {@code text} prints as itself. */
    public static boolean isSafe(String text) {
        return text == null || firstUnsafe(text) < 0;
    }

    private static int firstUnsafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (unsafe(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean unsafe(char c) {
        return c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x2028 || c == 0x2029
                || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f
                || c == 0x061c;
    }
}
