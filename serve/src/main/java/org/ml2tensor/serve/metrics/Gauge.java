package org.ml2tensor.serve.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/** A Prometheus gauge family whose values are read from suppliers when scraped. */
public final class Gauge extends MetricFamily {
    private final Map<List<String>, DoubleSupplier> values = new ConcurrentHashMap<>();

    Gauge(String name, String help, List<String> labelNames) {
        super(name, help, "gauge", labelNames);
    }

    /** Reads the series with these label values from {@code supplier} at each scrape. */
    public void bind(DoubleSupplier supplier, String... labelValues) {
        values.put(key(labelValues), supplier);
    }

    /** Removes a series (e.g. of a model that is no longer served). */
    public void unbind(String... labelValues) {
        values.remove(key(labelValues));
    }

    @Override
    void renderSamples(StringBuilder out) {
        sorted(values).forEach((labels, v) -> sample(out, name(), labels, null, null, v.getAsDouble()));
    }
}
