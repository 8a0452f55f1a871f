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
 * .npy with the target last) in chunks of 400,000 rows, twice (the first pass warms the JIT and the page
 * cache), and prints MB/s and rows/s of the second pass on one thread, by wall clock and by the thread's CPU time
 * (the honest figure on a shared machine). For a CSV it then reads the file the same way with the runtime's
 * {@code CsvRowReader} (the reader {@code train} used before its own single-pass parser), for a side-by-side ratio.
 *
 * <pre>java -cp 'cli/target/lib/*:train/target/test-classes' org.ml2tensor.train.ReadSpeedBenchmark FILE</pre>
 */
public final class ReadSpeedBenchmark {
    private ReadSpeedBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        long bytes = Files.size(file);
        String baseline = "";
        if (!file.toString().endsWith(".npy")) {
            double cpu = 0;
            for (int pass = 0; pass < 2; pass++) {
                long c0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                try (org.ml2tensor.runtime.io.CsvRowReader r = org.ml2tensor.runtime.io.CsvRowReader.open(file, false)) {
                    org.ml2tensor.runtime.io.RowBlock block = org.ml2tensor.runtime.io.RowBlock.allocate(
                            org.ml2tensor.runtime.FloatType.FLOAT64, 400_000, r.width());
                    while (r.read(block) > 0) {
                        block.get(0, 0);
                    }
                }
                cpu = (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - c0) / 1e9;
            }
            baseline = String.format(Locale.ROOT, ", \"runtime_reader_cpu_seconds\": %.3f, \"runtime_reader_mb_per_cpu_s\": %.1f",
                    cpu, bytes / 1e6 / cpu);
        }
        double seconds = 0;
        long rows = 0;
        for (int pass = 0; pass < 2; pass++) {
            long t0 = System.nanoTime();
            long c0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            rows = 0;
            double checksum = 0;
            try (ChunkSource s = file.toString().endsWith(".npy") ? NpyChunkSource.open(file, 400_000, true, 0)
                    : CsvChunkSource.open(file, new CsvChunkSource.Options("y", null, null, 400_000, MissingValues.ERROR))) {
                Chunk c;
                while ((c = s.next()) != null) {
                    rows += c.rows();
                    for (int i = 0; i < c.rows(); i += 997) {
                        checksum += c.get(i, 0);
                    }
                }
            }
            seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - c0) / 1e9;
            if (pass == 1) {
                System.out.printf(Locale.ROOT, "{\"file\": \"%s\", \"mb\": %.1f, \"rows\": %d, \"seconds\": %.3f, "
                                + "\"mb_per_s\": %.1f, \"rows_per_s\": %.0f, \"cpu_seconds\": %.3f, \"mb_per_cpu_s\": %.1f, \"checksum\": %.6g%s}%n", file,
                        bytes / 1e6, rows, seconds, bytes / 1e6 / seconds, rows / seconds, cpu, bytes / 1e6 / cpu, checksum,
                        baseline);
            }
        }
    }
}
