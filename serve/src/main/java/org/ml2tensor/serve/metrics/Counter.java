package org.ml2tensor.serve.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;

/** A Prometheus counter family: one monotonically increasing value per label set. */
public final class Counter extends MetricFamily {
    private final Map<List<String>, DoubleAdder> values = new ConcurrentHashMap<>();

    Counter(String name, String help, List<String> labelNames) {
        super(name, help, "counter", labelNames);
    }

    /** Adds {@code amount} (≥ 0) to the series with these label values. */
    public void add(double amount, String... labelValues) {
        values.computeIfAbsent(key(labelValues), k -> new DoubleAdder()).add(amount);
    }

    public void inc(String... labelValues) {
        add(1, labelValues);
    }

    /** The current value of one series (0 when never incremented). */
    public double value(String... labelValues) {
        DoubleAdder a = values.get(key(labelValues));
        return a == null ? 0 : a.sum();
    }

    @Override
    void renderSamples(StringBuilder out) {
        sorted(values).forEach((labels, v) -> sample(out, name(), labels, null, null, v.sum()));
    }
}
