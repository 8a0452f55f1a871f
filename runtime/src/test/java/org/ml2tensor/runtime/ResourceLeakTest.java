package org.ml2tensor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Native resources are released: long loops of predictions (each creating and closing ORT tensors and
 * results, several batches per call) and of predictor open/close cycles must not grow the process RSS.
 *
 * <p>RSS is noisy (glibc arenas and GC make it swing by tens of MB between rounds on this JVM), so each
 * phase takes the minimum RSS over a few rounds and compares late phases with early ones. A leaked
 * output tensor per batch would cost ≈30 kB per call here, i.e. hundreds of MB over the loop, far
 * above the {@value #BOUND_KB} kB bound. Linux only ({@code /proc/self/status}).
 */
class ResourceLeakTest {
    private static final long BOUND_KB = 48 * 1024;
    private static final Path STATUS = Path.of("/proc/self/status");

    @Test
    void longPredictionLoopDoesNotGrowResidentMemory() throws IOException {
        assumeTrue(Files.isReadable(STATUS), "needs /proc/self/status");
        byte[] model = TestModels.linearClassifier(new long[] {0, 1, 2}, false).toByteArray();
        float[][] x = TestModels.rows(300, 4, 13);
        PredictorOptions options = PredictorOptions.builder().device(Device.CPU).batchSize(64).intraOpThreads(1).build();
        try (Predictor p = Predictor.open(model, options)) {
            minRssOverRounds(3, () -> loop(p, x, 2_000)); // warm-up: arenas, pools, JIT
            long early = minRssOverRounds(3, () -> loop(p, x, 2_000));
            minRssOverRounds(3, () -> loop(p, x, 4_000));
            long late = minRssOverRounds(3, () -> loop(p, x, 2_000));
            assertTrue(late - early < BOUND_KB, "min RSS grew from " + early + " kB to " + late + " kB over 24000 calls");
        }
    }

    @Test
    void openCloseCyclesDoNotGrowResidentMemory() throws IOException {
        assumeTrue(Files.isReadable(STATUS), "needs /proc/self/status");
        byte[] model = TestModels.linearClassifier(new long[] {0, 1, 2}, false).toByteArray();
        float[][] x = TestModels.rows(300, 4, 13);
        PredictorOptions options = PredictorOptions.builder().device(Device.CPU).intraOpThreads(1).build();
        Runnable cycles = () -> {
            for (int i = 0; i < 100; i++) {
                try (Predictor p = Predictor.open(model, options)) {
                    assertEquals(300, p.predict(x).rows());
                }
            }
        };
        minRssOverRounds(2, cycles);
        long early = minRssOverRounds(3, cycles);
        minRssOverRounds(3, cycles);
        long late = minRssOverRounds(3, cycles);
        assertTrue(late - early < BOUND_KB, "min RSS grew from " + early + " kB to " + late + " kB over 600 open/close");
    }

    private static long minRssOverRounds(int rounds, Runnable work) throws IOException {
        long min = Long.MAX_VALUE;
        for (int r = 0; r < rounds; r++) {
            work.run();
            System.gc();
            min = Math.min(min, rssKb());
        }
        return min;
    }

    private static void loop(Predictor p, float[][] x, int calls) {
        long sum = 0;
        for (int i = 0; i < calls; i++) {
            sum += p.predict(x).labels().asLongs()[i % x.length];
        }
        assertTrue(sum >= 0);
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(STATUS)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS line");
    }
}
