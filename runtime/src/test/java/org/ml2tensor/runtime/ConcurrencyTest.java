package org.ml2tensor.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * Regression for a SIGSEGV in libonnxruntime: when one parallel chunk failed, the call returned while the
     * other chunks still ran, and closing the predictor freed the session under them. 400 trees, a model that
     * refuses NaN, one NaN row, default parallelism, then close — repeated; the JVM must survive and every
     * call must report the NaN.
     */
    @Test
    void aFailingChunkIsWaitedForBeforeTheCallReturnsAndCloseIsSafe() {
        org.ml2tensor.compiler.CompiledModel compiled = org.ml2tensor.compiler.ModelCompiler.compile(
                forest(400), org.ml2tensor.compiler.CompileOptions.defaults());
        byte[] refusesNaN = TestModels.withMetadata(parse(compiled.onnx()),
                org.ml2tensor.contract.ModelContract.ACCEPTS_MISSING, "false").toByteArray();
        PredictorOptions options = PredictorOptions.builder().device(Device.CPU).parallelRuns(Math.max(2,
                Runtime.getRuntime().availableProcessors())).build();
        float[][] rows = TestModels.rows(60_000, 4, 3);
        rows[10][2] = Float.NaN; // first chunk fails at once; the others are running ONNX Runtime
        for (int round = 0; round < 8; round++) {
            Predictor p = Predictor.open(refusesNaN, "forest.onnx", options);
            try {
                org.ml2tensor.error.Ml2TensorException e = org.junit.jupiter.api.Assertions.assertThrows(
                        org.ml2tensor.error.Ml2TensorException.class, () -> p.predict(rows));
                assertEquals(org.ml2tensor.error.ErrorCode.INVALID_INPUT, e.code(), e.getMessage());
                org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("row 10"), e.getMessage());
            } finally {
                p.close();
            }
        }
    }

    /** close() waits for calls in flight, which then finish normally. */
    @Test
    void closeWaitsForRunningCalls() throws Exception {
        byte[] model = org.ml2tensor.compiler.ModelCompiler.compile(forest(400),
                org.ml2tensor.compiler.CompileOptions.defaults()).onnx();
        float[][] rows = TestModels.rows(60_000, 4, 4);
        Predictor p = Predictor.open(model, "forest.onnx", PredictorOptions.builder().device(Device.CPU).build());
        Thread[] callerThread = new Thread[1];
        ExecutorService caller = Executors.newSingleThreadExecutor(r -> callerThread[0] = new Thread(r, "caller"));
        try {
            Future<Predictions> call = caller.submit(() -> p.predict(rows));
            // Close only once the call is inside predict (on a loaded machine the caller may start late).
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (!insidePredict(callerThread[0]) && !call.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertTrue(insidePredict(callerThread[0]) || call.isDone(), "the call started");
            p.close();
            assertEquals(rows.length, call.get().rows());
        } finally {
            caller.shutdownNow();
        }
    }

    private static boolean insidePredict(Thread t) {
        if (t == null) {
            return false;
        }
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().equals(Predictor.class.getName()) && e.getMethodName().startsWith("predict")) {
                return true;
            }
        }
        return false;
    }

    private static org.ml2tensor.onnx.proto.OnnxMl.ModelProto parse(byte[] onnx) {
        try {
            return org.ml2tensor.onnx.proto.OnnxMl.ModelProto.parseFrom(onnx);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code n} random trees of depth 3 over 4 features. */
    static org.ml2tensor.ir.ModelIr forest(int n) {
        java.util.Random rnd = new java.util.Random(5);
        List<org.ml2tensor.ir.DecisionTree> trees = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            int size = 15;
            int[] f = new int[size];
            double[] th = new double[size];
            int[] l = new int[size];
            int[] r = new int[size];
            double[] v = new double[size];
            for (int i = 0; i < size; i++) {
                boolean leaf = 2 * i + 1 >= size;
                l[i] = leaf ? -1 : 2 * i + 1;
                r[i] = leaf ? -1 : 2 * i + 2;
                f[i] = rnd.nextInt(4);
                th[i] = rnd.nextGaussian();
                v[i] = rnd.nextGaussian();
            }
            trees.add(new org.ml2tensor.ir.DecisionTree(f, th, l, r, new boolean[size], null, v, 1, -1));
        }
        return new org.ml2tensor.ir.ModelIr(new org.ml2tensor.ir.TreeEnsemble(trees, 4, 1,
                org.ml2tensor.ir.Comparison.LESS_OR_EQUAL, new double[]{0.5},
                org.ml2tensor.ir.ScoreTransform.IDENTITY, new org.ml2tensor.ir.Head.Regression(1)),
                4, List.of(), org.ml2tensor.ir.SourceInfo.inCode("forest"));
    }
}
