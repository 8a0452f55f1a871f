package org.ml2tensor.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.ml2tensor.train.data.Chunk;
import org.ml2tensor.train.data.ChunkSource;
import org.ml2tensor.train.data.CsvChunkSource;
import org.ml2tensor.train.data.MissingValues;
import org.ml2tensor.train.data.NpyChunkSource;

/**
 * Reader speed for scripts/train_benchmark.sh (not a unit test): reads FILE (.csv with a target column y, or
 * .npy with the target last) in chunks of 400,000 rows, in rounds after a warm-up round, and prints the best
 * round's MB/s and rows/s on one thread, by wall clock and by the thread's CPU time (the honest figure on a
 * shared machine). For a CSV it then reads the file the same way with the runtime's
 * {@code CsvRowReader} (the reader {@code train} used before its own single-pass parser), for a side-by-side ratio.
 *
 * <pre>java -cp 'cli/target/lib/*:train/target/test-classes' org.ml2tensor.train.ReadSpeedBenchmark FILE</pre>
 */
public final class ReadSpeedBenchmark {
    private ReadSpeedBenchmark() {
    }

    private static double cpuNow() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e9;
    }

    /** One pass of the runtime's CsvRowReader (train's reader before its own parser); returns CPU seconds. */
    private static double runtimeReaderPass(Path file) {
        double c0 = cpuNow();
        try (org.ml2tensor.runtime.io.CsvRowReader r = org.ml2tensor.runtime.io.CsvRowReader.open(file, false)) {
            org.ml2tensor.runtime.io.RowBlock block = org.ml2tensor.runtime.io.RowBlock.allocate(
                    org.ml2tensor.runtime.FloatType.FLOAT64, 400_000, r.width());
            while (r.read(block) > 0) {
                block.get(0, 0);
            }
        }
        return cpuNow() - c0;
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        long bytes = Files.size(file);
        boolean csv = !file.toString().endsWith(".npy");
        // Rounds alternate the two readers (a shared machine's load hits both alike); the best round of each
        // is reported, after one warm-up round (JIT, page cache).
        int rounds = csv ? 4 : 3;
        double bestCpu = Double.MAX_VALUE;
        double bestWall = Double.MAX_VALUE;
        double bestBaseline = Double.MAX_VALUE;
        long rows = 0;
        double checksum = 0;
        for (int round = 0; round < rounds; round++) {
            long t0 = System.nanoTime();
            double c0 = cpuNow();
            rows = 0;
            checksum = 0;
            try (ChunkSource s = csv ? CsvChunkSource.open(file, new CsvChunkSource.Options("y", null, null, 400_000,
                    MissingValues.ERROR)) : NpyChunkSource.open(file, 400_000, true, 0)) {
                Chunk c;
                while ((c = s.next()) != null) {
                    rows += c.rows();
                    for (int i = 0; i < c.rows(); i += 997) {
                        checksum += c.get(i, 0);
                    }
                }
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = cpuNow() - c0;
            double base = csv ? runtimeReaderPass(file) : Double.NaN;
            if (round > 0) {
                bestCpu = Math.min(bestCpu, cpu);
                bestWall = Math.min(bestWall, wall);
                bestBaseline = Math.min(bestBaseline, base);
            }
        }
        String baseline = csv ? String.format(Locale.ROOT, ", \"runtime_reader_cpu_seconds\": %.3f, "
                + "\"runtime_reader_mb_per_cpu_s\": %.1f", bestBaseline, bytes / 1e6 / bestBaseline) : "";
        System.out.printf(Locale.ROOT, "{\"file\": \"%s\", \"mb\": %.1f, \"rows\": %d, \"rounds\": %d, \"seconds\": %.3f, "
                        + "\"mb_per_s\": %.1f, \"rows_per_s\": %.0f, \"cpu_seconds\": %.3f, \"mb_per_cpu_s\": %.1f, "
                        + "\"checksum\": %.6g%s}%n", file, bytes / 1e6, rows, rounds - 1, bestWall, bytes / 1e6 / bestWall,
                rows / bestWall, bestCpu, bytes / 1e6 / bestCpu, checksum, baseline);
    }
}
