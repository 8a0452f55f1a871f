package org.ml2tensor.train;

import java.nio.DoubleBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ml2tensor.train.data.Chunk;
import org.ml2tensor.train.data.CsvChunkSource;
import org.ml2tensor.train.data.MissingValues;
import org.ml2tensor.train.random.XorShiftShuffle;

/**
 * Where the time of {@code ml2tensor train SGDClassifier} goes (not a unit test): CPU nanoseconds per row of
 * (1) parsing the CSV into chunks on one thread, (2) the per-chunk xorshift shuffle of a 400,000-row index,
 * (3) {@code SgdClassifier.partialFit} on chunks already in memory (encode, class check, shuffle, gather, SGD).
 * Each phase runs in rounds after a warm-up round; the best round is printed (a shared machine's load only
 * ever adds time).
 *
 * <pre>java -cp 'cli/target/lib/*:train/target/test-classes' org.ml2tensor.train.TrainPhaseBenchmark FILE [ROUNDS]</pre>
 */
public final class TrainPhaseBenchmark {
    private TrainPhaseBenchmark() {
    }

    private static long cpuNow() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int chunkRows = 400_000;
        double bestParse = Double.MAX_VALUE;
        double bestShuffle = Double.MAX_VALUE;
        double bestSgd = Double.MAX_VALUE;
        List<Chunk> chunks = new ArrayList<>();
        long rows = 0;
        String coef = "";
        for (int round = 0; round <= rounds; round++) {
            IncrementalEstimator est = Estimators.create("SGDClassifier", Settings.of(Map.of("random_state", "0",
                    "shuffle", System.getProperty("shuffle", "true"))), SklearnVersion.V1_9, new double[]{0, 1});
            long c0 = cpuNow();
            rows = 0;
            boolean keep = chunks.isEmpty();
            try (CsvChunkSource s = CsvChunkSource.open(file, new CsvChunkSource.Options("y", null, null, chunkRows,
                    MissingValues.ERROR))) {
                Chunk c;
                while ((c = s.next()) != null) {
                    rows += c.rows();
                    if (keep) {
                        double[] x = new double[c.rows() * c.width()];
                        c.x().get(0, x);
                        chunks.add(new Chunk(DoubleBuffer.wrap(x), c.rows(), c.width(), c.width(),
                                java.util.Arrays.copyOf(c.y(), c.rows()), null, null));
                    }
                }
            }
            double parse = (cpuNow() - c0) / (double) rows;

            int[] index = new int[chunkRows];
            c0 = cpuNow();
            long sum = 0;
            for (Chunk c : chunks) {
                for (int i = 0; i < c.rows(); i++) {
                    index[i] = i;
                }
                XorShiftShuffle.shuffle(index, c.rows(), 209652396L);
                sum += index[7];
            }
            double shuffle = (cpuNow() - c0) / (double) rows;

            c0 = cpuNow();
            for (Chunk c : chunks) {
                est.partialFit(c);
            }
            double sgd = (cpuNow() - c0) / (double) rows;
            coef = java.util.Arrays.toString(((org.ml2tensor.train.sgd.SgdClassifier) est).coef()[0])
                    + java.util.Arrays.toString(((org.ml2tensor.train.sgd.SgdClassifier) est).intercept());
            System.err.printf(Locale.ROOT, "round %d: parse %.1f ns/row, shuffle %.1f ns/row, partialFit %.1f ns/row "
                    + "(%d)%n", round, parse, shuffle, sgd, sum);
            if (round > 0) {
                bestParse = Math.min(bestParse, parse);
                bestShuffle = Math.min(bestShuffle, shuffle);
                bestSgd = Math.min(bestSgd, sgd);
            }
        }
        System.out.printf(Locale.ROOT, "{\"rows\": %d, \"parse_ns_per_row\": %.1f, \"shuffle_ns_per_row\": %.1f, "
                        + "\"partial_fit_ns_per_row\": %.1f, \"coef\": \"%s\"}%n", rows, bestParse, bestShuffle, bestSgd,
                coef);
    }
}
