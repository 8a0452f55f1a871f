package org.ml2tensor.cli.bench;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/** Renders a {@link BenchReport} as JSON (for scripts such as {@code scripts/benchmarks.sh}). */
public final class BenchJson {
    private BenchJson() {
    }

    public static String render(BenchReport r) {
        StringBuilder j = new StringBuilder("{");
        field(j, "model", r.model()).append(',');
        field(j, "description", r.description()).append(',');
        field(j, "features", r.features()).append(',');
        field(j, "trees", r.trees()).append(',');
        field(j, "maxDepth", r.maxDepth()).append(',');
        field(j, "threads", r.threads()).append(',');
        field(j, "device", r.device()).append(',');
        field(j, "autoStrategy", r.autoStrategy()).append(',');
        field(j, "autoReason", r.autoReason()).append(',');
        array(j, "compiles", r.compiles(), c -> {
            field(j, "label", c.label()).append(',');
            field(j, "millis", c.millis()).append(',');
            field(j, "onnxBytes", c.onnxBytes()).append(',');
            field(j, "graphNodes", c.graphNodes()).append(',');
            field(j, "skipped", c.skipped());
        }).append(',');
        array(j, "timings", r.timings(), t -> {
            field(j, "batch", t.batch()).append(',');
            field(j, "candidate", t.candidate()).append(',');
            j.append("\"peer\":").append(t.peer()).append(',');
            field(j, "rowsPerSecond", t.rowsPerSecond()).append(',');
            field(j, "p50Millis", t.p50Millis()).append(',');
            field(j, "p99Millis", t.p99Millis()).append(',');
            field(j, "calls", t.calls()).append(',');
            field(j, "vsBestPeer", t.vsBestPeer()).append(',');
            field(j, "skipped", t.skipped());
        });
        return j.append("}\n").toString();
    }

    private static <T> StringBuilder array(StringBuilder j, String name, List<T> items, Consumer<T> object) {
        quote(j, name).append(":[");
        for (int i = 0; i < items.size(); i++) {
            j.append(i == 0 ? "\n{" : ",\n{");
            object.accept(items.get(i));
            j.append('}');
        }
        return j.append(']');
    }

    private static StringBuilder field(StringBuilder j, String name, String value) {
        quote(j, name).append(':');
        return value == null ? j.append("null") : quote(j, value);
    }

    private static StringBuilder field(StringBuilder j, String name, double value) {
        quote(j, name).append(':');
        return Double.isFinite(value) ? j.append(String.format(Locale.ROOT, "%.6g", value)) : j.append("null");
    }

    private static StringBuilder field(StringBuilder j, String name, long value) {
        return quote(j, name).append(':').append(value);
    }

    private static StringBuilder quote(StringBuilder j, String s) {
        j.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                j.append('\\').append(c);
            } else if (c < 0x20) {
                j.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                j.append(c);
            }
        }
        return j.append('"');
    }
}
