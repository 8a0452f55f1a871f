package org.ml2tensor.ir;

import java.util.Arrays;
import java.util.List;

/** Class labels of a classifier, in the order of its score columns: either all integers or all strings. */
public sealed interface ClassLabels {
    int size();

    /** Labels rendered as text (for CSV headers and metadata). */
    List<String> asText();

    /** Integer labels (int64 {@code label} output). */
    record Ints(long[] values) implements ClassLabels {
        public Ints {
            values = values.clone();
        }

        @Override
        public int size() {
            return values.length;
        }

        @Override
        public List<String> asText() {
            return Arrays.stream(values).mapToObj(Long::toString).toList();
        }

        @Override
        public long[] values() {
            return values.clone();
        }
    }

    /** String labels (string {@code label} output). */
    record Strings(List<String> values) implements ClassLabels {
        public Strings {
            values = List.copyOf(values);
        }

        @Override
        public int size() {
            return values.size();
        }

        @Override
        public List<String> asText() {
            return values;
        }
    }

    /** Labels 0..n-1. */
    static ClassLabels range(int n) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return new Ints(v);
    }
}
