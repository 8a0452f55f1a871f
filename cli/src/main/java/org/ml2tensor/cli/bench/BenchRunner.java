package org.ml2tensor.cli.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Times candidates side by side in one process: a warm-up, then rounds in which every candidate runs
 * once, in a rotating order, so drift (turbo, other load, GC) hits all alike.
 */
public final class BenchRunner {
    private BenchRunner() {
    }

    /** Latencies of one candidate at one batch size. */
    public record Cell(String candidate, boolean peer, int batch, long[] nanos) {
        public double p50Millis() {
            return percentile(0.50) / 1e6;
        }

        public double p99Millis() {
            return percentile(0.99) / 1e6;
        }

        public double rowsPerSecond() {
            return batch / (percentile(0.50) / 1e9);
        }

        private double percentile(double q) {
            long[] s = nanos.clone();
            Arrays.sort(s);
            int i = (int) Math.ceil(q * s.length) - 1;
            return s[Math.max(0, Math.min(s.length - 1, i))];
        }
    }

    /**
     * @param rows        row-major input pool with at least {@code batch} rows
     * @param budgetNanos time per candidate after warm-up (at least {@code minReps} calls each)
     */
    public static List<Cell> run(List<Candidate> candidates, float[] rows, int width, int batch, long budgetNanos,
                                 int minReps, int maxReps) throws Exception {
        float[] input = Arrays.copyOf(rows, batch * width);
        int k = candidates.size();
        List<List<Long>> times = new ArrayList<>();
        long[] spent = new long[k];
        for (Candidate c : candidates) {
            times.add(new ArrayList<>());
            c.predict(input, batch);
        }
        for (int round = 0; ; round++) {
            boolean more = false;
            for (int j = 0; j < k; j++) {
                int i = (j + round) % k;
                if (times.get(i).size() >= maxReps || (times.get(i).size() >= minReps && spent[i] >= budgetNanos)) {
                    continue;
                }
                more = true;
                long t0 = System.nanoTime();
                candidates.get(i).predict(input, batch);
                long dt = System.nanoTime() - t0;
                times.get(i).add(dt);
                spent[i] += dt;
            }
            if (!more) {
                break;
            }
        }
        List<Cell> cells = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            long[] ns = times.get(i).stream().mapToLong(Long::longValue).toArray();
            cells.add(new Cell(candidates.get(i).name(), candidates.get(i).peer(), batch, ns));
        }
        return cells;
    }
}
