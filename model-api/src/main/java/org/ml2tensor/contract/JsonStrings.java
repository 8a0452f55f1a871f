package org.ml2tensor.contract;

import java.util.ArrayList;
import java.util.List;

/** Minimal JSON encoding/decoding of string arrays, used for list-valued metadata. */
public final class JsonStrings {
    private final String text;
    private int pos;

    private JsonStrings(String text) {
        this.text = text;
    }

    /**
     * Parses a flat JSON array as written by {@link #array}. Strings are unescaped; bare numbers and
     * literals are kept as their text, so {@code [0, 1]} reads as {@code "0", "1"}.
     *
     * @throws IllegalArgumentException with the offending offset when {@code json} is not a flat array
     */
    public static List<String> parseArray(String json) {
        JsonStrings p = new JsonStrings(json);
        List<String> out = p.array();
        p.skipSpace();
        if (p.pos != json.length()) {
            throw p.error("unexpected text after the array");
        }
        return List.copyOf(out);
    }

    /**
     * Parses a JSON array of flat arrays as written by {@link #arrays} (e.g. {@code [["0","1"],["a","b"]]}).
     *
     * @throws IllegalArgumentException with the offending offset when {@code json} is not such an array
     */
    public static List<List<String>> parseArrays(String json) {
        JsonStrings p = new JsonStrings(json);
        p.skipSpace();
        p.expect('[');
        List<List<String>> out = new ArrayList<>();
        p.skipSpace();
        if (p.peek() == ']') {
            p.pos++;
        } else {
            while (true) {
                out.add(List.copyOf(p.array()));
                p.skipSpace();
                char c = p.next();
                if (c == ']') {
                    break;
                }
                if (c != ',') {
                    p.pos--;
                    throw p.error("expected ',' or ']'");
                }
            }
        }
        p.skipSpace();
        if (p.pos != json.length()) {
            throw p.error("unexpected text after the array");
        }
        return List.copyOf(out);
    }

    /** A JSON array of flat string arrays, e.g. {@code [["0","1"],["a","b"]]}. */
    public static String arrays(List<List<String>> values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            sb.append(i > 0 ? "," : "").append(array(values.get(i)));
        }
        return sb.append(']').toString();
    }

    private List<String> array() {
        skipSpace();
        expect('[');
        List<String> out = new ArrayList<>();
        skipSpace();
        if (peek() == ']') {
            pos++;
            return out;
        }
        while (true) {
            skipSpace();
            out.add(peek() == '"' ? string() : bare());
            skipSpace();
            char c = next();
            if (c == ']') {
                return out;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw error("truncated \\u escape");
                    }
                    try {
                        sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw error("bad \\u escape");
                    }
                    pos += 4;
                }
                default -> throw error("bad escape \\" + e);
            }
        }
    }

    private String bare() {
        int start = pos;
        while (pos < text.length() && ",] \t\r\n".indexOf(text.charAt(pos)) < 0) {
            pos++;
        }
        if (start == pos) {
            throw error("expected a value");
        }
        return text.substring(start, pos);
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private char peek() {
        if (pos >= text.length()) {
            throw error("unexpected end");
        }
        return text.charAt(pos);
    }

    private char next() {
        char c = peek();
        pos++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) {
            pos--;
            throw error("expected '" + c + "'");
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at offset " + pos);
    }


    public static String array(List<String> values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            quote(sb, values.get(i));
        }
        return sb.append(']').toString();
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
