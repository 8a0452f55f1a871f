package org.ml2tensor.compiler.onnx;

import java.util.ArrayList;
import java.util.List;

/** Minimal JSON encoding/decoding of string arrays, used for list-valued metadata. */
public final class JsonStrings {
    private JsonStrings() {
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

    /** Parses a JSON array of strings as written by {@link #array}. */
    public static List<String> parseArray(String json) {
        List<String> out = new ArrayList<>();
        String s = json.trim();
        if (!s.startsWith("[") || !s.endsWith("]")) {
            throw new IllegalArgumentException("not a JSON array: " + json);
        }
        int i = 1;
        int end = s.length() - 1;
        while (i < end) {
            char c = s.charAt(i);
            if (c == ',' || Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (c != '"') {
                throw new IllegalArgumentException("expected a string at " + i + " in " + json);
            }
            StringBuilder sb = new StringBuilder();
            i++;
            while (i < end && s.charAt(i) != '"') {
                char d = s.charAt(i);
                if (d == '\\') {
                    char e = s.charAt(++i);
                    switch (e) {
                        case 'n' -> sb.append('\n');
                        case 'r' -> sb.append('\r');
                        case 't' -> sb.append('\t');
                        case 'u' -> {
                            sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                            i += 4;
                        }
                        default -> sb.append(e);
                    }
                } else {
                    sb.append(d);
                }
                i++;
            }
            out.add(sb.toString());
            i++;
        }
        return out;
    }
}
