package org.ml2tensor.cli.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Times candidates side by side in one process: one warm-up call each, then rounds in which every
 * candidate, in a rotating order, runs a block of calls, so drift (turbo, other load, GC) hits all alike.
 *
 * <p>Blocks rather than single alternating calls: right after a switch the previous engine's worker
 * threads are still spinning (ONNX Runtime and OpenMP pools spin before they sleep) and caches hold the
 * previous model, which on a small machine slows a short call several-fold. So for candidates whose
 * warm-up call took less than {@link #SHORT_CALL_NANOS}, each block starts with one untimed lead-in call
 * and lasts about a quarter of the time budget; candidates with longer calls run one timed call per round.
 */
public final class BenchRunner {
    /** Calls shorter than this get an untimed lead-in call at the start of each block. */
    static final long SHORT_CALL_NANOS = 100_000_000L;
    /** Rounds the time budget is split into (at least). */
    static final int ROUNDS = 4;

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
     * @param budgetNanos timed time per candidate after warm-up (at least {@code minReps} calls each)
     */
    public static List<Cell> run(List<Candidate> candidates, float[] rows, int width, int batch, long budgetNanos,
                                 int minReps, int maxReps) throws Exception {
        float[] input = Arrays.copyOf(rows, batch * width);
        int k = candidates.size();
        List<List<Long>> times = new ArrayList<>();
        long[] spent = new long[k];
        boolean[] shortCalls = new boolean[k];
        for (int i = 0; i < k; i++) {
            times.add(new ArrayList<>());
            long t0 = System.nanoTime();
            candidates.get(i).predict(input, batch);
            shortCalls[i] = System.nanoTime() - t0 < SHORT_CALL_NANOS;
        }
        long blockNanos = Math.max(1, budgetNanos / ROUNDS);
        for (int round = 0; ; round++) {
            boolean more = false;
            for (int j = 0; j < k; j++) {
                int i = (j + round) % k;
                if (done(times.get(i).size(), spent[i], minReps, maxReps, budgetNanos)) {
                    continue;
                }
                more = true;
                Candidate c = candidates.get(i);
                if (shortCalls[i]) {
                    c.predict(input, batch); // lead-in after the switch: not timed
                }
                long blockSpent = 0;
                do {
                    long t0 = System.nanoTime();
                    c.predict(input, batch);
                    long dt = System.nanoTime() - t0;
                    times.get(i).add(dt);
                    spent[i] += dt;
                    blockSpent += dt;
                } while (shortCalls[i] && blockSpent < blockNanos
                        && !done(times.get(i).size(), spent[i], minReps, maxReps, budgetNanos));
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

    private static boolean done(int calls, long spent, int minReps, int maxReps, long budgetNanos) {
        return calls >= maxReps || (calls >= minReps && spent >= budgetNanos);
    }
}
