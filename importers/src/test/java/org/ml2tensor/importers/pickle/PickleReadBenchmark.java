package org.ml2tensor.importers.pickle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.ml2tensor.importers.sklearn.SklearnImporter;
import org.ml2tensor.importers.sklearn.SklearnRegistry;

/**
 * Micro-benchmark (a main class, not a test): times the pickle reader, and the whole scikit-learn import,
 * on one file, to compare with {@code src/test/python/bench_rf_pickle.py} (Python's {@code pickle.load}).
 * Usage: {@code PickleReadBenchmark FILE [RUNS]}.
 */
public final class PickleReadBenchmark {
    private PickleReadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        PickleReader reader = new PickleReader(SklearnRegistry.standard().allowlist(), PickleLimits.defaults());
        SklearnImporter importer = SklearnImporter.standard();
        byte[] bytes = Files.readAllBytes(file);
        System.out.printf("file %s: %.1f MB%n", file, bytes.length / 1e6);
        for (int i = 0; i < 3; i++) {
            reader.read(bytes, "warmup");
        }
        report("java PickleReader.read (bytes in memory)", runs, () -> reader.read(bytes, "bench"));
        report("java PickleReader.read (from file)", runs, () -> reader.read(file));
        report("java SklearnImporter.load (file → IR)", Math.max(3, runs / 2), () -> importer.load(file));
    }

    private static void report(String what, int runs, Runnable r) {
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            System.gc();
            long t0 = System.nanoTime();
            r.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf("%-45s median %.1f ms, min %.1f ms%n", what + ":", ms[runs / 2], ms[0]);
    }
}
