package org.ml2tensor.serve.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** A Prometheus histogram family with fixed bucket upper bounds. */
public final class Histogram extends MetricFamily {
    private final double[] bounds;
    private final Map<List<String>, Series> values = new ConcurrentHashMap<>();

    Histogram(String name, String help, List<String> labelNames, double[] bounds) {
        super(name, help, "histogram", labelNames);
        this.bounds = bounds.clone();
        for (int i = 1; i < bounds.length; i++) {
            if (!(bounds[i] > bounds[i - 1])) {
                throw new IllegalArgumentException("bucket bounds must increase: " + name);
            }
        }
    }

    /** Records one observation. */
    public void observe(double value, String... labelValues) {
        Series s = values.computeIfAbsent(key(labelValues), k -> new Series(bounds.length));
        int i = 0;
        while (i < bounds.length && value > bounds[i]) {
            i++;
        }
        s.buckets[i].increment();
        s.sum.add(value);
    }

    /** Number of observations in one series. */
    public long count(String... labelValues) {
        Series s = values.get(key(labelValues));
        return s == null ? 0 : s.count();
    }

    /** Number of observations greater than {@code threshold}, which must be one of the bucket bounds. */
    public long countAbove(double threshold, String... labelValues) {
        Series s = values.get(key(labelValues));
        if (s == null) {
            return 0;
        }
        long n = 0;
        for (int i = 0; i <= bounds.length; i++) {
            if (i == bounds.length || bounds[i] > threshold) {
                n += s.buckets[i].sum();
            }
        }
        return n;
    }

    @Override
    void renderSamples(StringBuilder out) {
        sorted(values).forEach((labels, s) -> {
            long cumulative = 0;
            for (int i = 0; i <= bounds.length; i++) {
                cumulative += s.buckets[i].sum();
                String le = i == bounds.length ? "+Inf" : format(bounds[i]);
                sample(out, name() + "_bucket", labels, "le", le, cumulative);
            }
            sample(out, name() + "_sum", labels, null, null, s.sum.sum());
            sample(out, name() + "_count", labels, null, null, cumulative);
        });
    }

    private static final class Series {
        final LongAdder[] buckets;
        final DoubleAdder sum = new DoubleAdder();

        Series(int bounds) {
            buckets = new LongAdder[bounds + 1];
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        long count() {
            long n = 0;
            for (LongAdder b : buckets) {
                n += b.sum();
            }
            return n;
        }
    }
}
