package org.ml2tensor.serve.metrics;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A named metric with label names, rendered in the Prometheus text exposition format 0.0.4. */
public abstract sealed class MetricFamily permits Counter, Gauge, Histogram {
    private static final Comparator<List<String>> ORDER = (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    };

    private final String name;
    private final String help;
    private final String type;
    private final List<String> labelNames;

    MetricFamily(String name, String help, String type, List<String> labelNames) {
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("invalid metric name " + name);
        }
        this.name = name;
        this.help = help;
        this.type = type;
        this.labelNames = List.copyOf(labelNames);
    }

    public String name() {
        return name;
    }

    final List<String> key(String... labelValues) {
        if (labelValues.length != labelNames.size()) {
            throw new IllegalArgumentException(name + " takes labels " + labelNames + ", got " + Arrays.toString(labelValues));
        }
        return List.of(labelValues);
    }

    static <V> Map<List<String>, V> sorted(Map<List<String>, V> values) {
        Map<List<String>, V> m = new TreeMap<>(ORDER);
        m.putAll(values);
        return m;
    }

    final void render(StringBuilder out) {
        out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        renderSamples(out);
    }

    abstract void renderSamples(StringBuilder out);

    final void sample(StringBuilder out, String sampleName, List<String> labelValues, String extraName,
                      String extraValue, double value) {
        out.append(sampleName);
        if (!labelValues.isEmpty() || extraName != null) {
            out.append('{');
            for (int i = 0; i < labelValues.size(); i++) {
                label(out, labelNames.get(i), labelValues.get(i));
                out.append(',');
            }
            if (extraName != null) {
                label(out, extraName, extraValue);
                out.append(',');
            }
            out.setLength(out.length() - 1);
            out.append('}');
        }
        out.append(' ').append(format(value)).append('\n');
    }

    private static void label(StringBuilder out, String name, String value) {
        out.append(name).append("=\"")
                .append(value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
    }

    static String format(double v) {
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
