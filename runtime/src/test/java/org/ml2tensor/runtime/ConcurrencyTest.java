package org.ml2tensor.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One Predictor shared by 16 threads gives exactly the single-threaded answers. */
class ConcurrencyTest {
    private static final int THREADS = 16;
    private static final int CALLS_PER_THREAD = 150;

    @Test
    void sixteenThreadsGetTheSingleThreadedAnswers() throws Exception {
        float[][] x = TestModels.rows(257, 4, 11);
        PredictorOptions options = PredictorOptions.builder().device(Device.CPU).batchSize(64).intraOpThreads(1).build();
        try (Predictor p = Predictor.open(TestModels.linearClassifier(new long[] {7, 8, 9}, false).toByteArray(), options)) {
            // Reference: one row at a time, single thread, so no call shares a batch with another row.
            long[] refLabels = new long[x.length];
            float[][] refProba = new float[x.length][];
            for (int r = 0; r < x.length; r++) {
                Predictions one = p.predict(new float[][] {x[r]});
                refLabels[r] = one.labels().asLongs()[0];
                refProba[r] = one.probabilities().toFloatArrays()[0];
            }
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<Integer>> futures = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    futures.add(pool.submit(() -> {
                        start.await();
                        int checked = 0;
                        for (int call = 0; call < CALLS_PER_THREAD; call++) {
                            // Each call predicts a different window of rows through a different input kind.
                            int from = (thread * 31 + call * 17) % x.length;
                            int n = 1 + (thread + call) % 150;
                            n = Math.min(n, x.length - from);
                            float[][] window = java.util.Arrays.copyOfRange(x, from, from + n);
                            Predictions out = switch (call % 3) {
                                case 0 -> p.predict(window);
                                case 1 -> p.predict(TestModels.flatten(window), n);
                                default -> {
                                    FloatBuffer direct = ByteBuffer.allocateDirect(n * 16).order(ByteOrder.nativeOrder()).asFloatBuffer();
                                    direct.put(TestModels.flatten(window)).flip();
                                    yield p.predict(direct, n);
                                }
                            };
                            long[] labels = out.labels().asLongs();
                            float[][] proba = out.probabilities().toFloatArrays();
                            for (int i = 0; i < n; i++) {
                                assertEquals(refLabels[from + i], labels[i], "label of row " + (from + i));
                                assertArrayEquals(refProba[from + i], proba[i], "probabilities of row " + (from + i));
                                checked++;
                            }
                        }
                        return checked;
                    }));
                }
                start.countDown();
                int total = 0;
                for (Future<Integer> f : futures) {
                    total += f.get();
                }
                assertEquals(true, total > THREADS * CALLS_PER_THREAD, "rows checked: " + total);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
