package org.ml2tensor.cli.bench;

import java.nio.FloatBuffer;
import java.nio.DoubleBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.CompiledModel;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.compiler.Precision;
import org.ml2tensor.compiler.Target;
import org.ml2tensor.compiler.TreeStrategy;
import org.ml2tensor.contract.ModelContract;
import org.ml2tensor.importers.ModelFormat;
import org.ml2tensor.importers.ModelImporter;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.runtime.Device;
import org.ml2tensor.runtime.Predictor;
import org.ml2tensor.runtime.PredictorOptions;
import org.ml2tensor.runtime.SyntheticRows;

/**
 * Small-batch latency, side by side in one process (a main class, not a test; {@code scripts/benchmarks.sh}
 * section "small" runs it): ONNX Runtime's native TreeEnsemble kernel and ml2tensor's graph (auto at the
 * batch size), each in a plain ONNX Runtime session and through {@link Predictor}, the other portable
 * strategies compiled for the batch size in a plain session, plus the session-option
 * variants of the plain session (spinning, memory patterns, arena, execution mode, optimisation level).
 * Calls are interleaved in rounds (the order rotates every round); each round gives every candidate's p50
 * and its ratio to the native kernel in a plain session; the table shows the median over the rounds and
 * the spread (min–max) of the ratio.
 *
 * <p>Usage: {@code LatencyBenchmark MODEL [ROWS_CSV|-] [BATCHES] [ROUNDS] [CALLS] [THREADS] [VARIANTS]};
 * defaults {@code - 1,64 7 200 1 all}. ROWS_CSV: decimal rows without header (NaN or empty = missing);
 * {@code -}: synthetic rows.
 */
public final class LatencyBenchmark {
    private LatencyBenchmark() {
    }

    /** One timed thing: predicts {@code n} rows from {@code rows}. */
    interface Runner extends AutoCloseable {
        void run(float[] rows, int n) throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        String rowsArg = args.length > 1 ? args[1] : "-";
        int[] batches = ints(args.length > 2 ? args[2] : "1,64");
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 7;
        int calls = args.length > 4 ? Integer.parseInt(args[4]) : 200;
        int threads = args.length > 5 ? Integer.parseInt(args[5]) : 1;
        String variants = args.length > 6 ? args[6] : "all";
        ModelIr ir = ModelImporter.load(file, ModelImporter.resolve(file, ModelFormat.AUTO));
        int width = ir.featureCount();
        int maxBatch = Arrays.stream(batches).max().orElse(1);
        float[] rows = rowsArg.equals("-") ? SyntheticRows.generate(ir, maxBatch, 42) : csv(Path.of(rowsArg), width, maxBatch);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        System.out.printf(Locale.ROOT, "Model `%s` (%s), %d features, %s rows, intra-op threads %d, %d rounds × %d calls"
                        + " per candidate and batch, %d CPUs.%n%n", file.getFileName(), ir.source().description(), width,
                rowsArg.equals("-") ? "synthetic" : "CSV", threads, rounds, calls, Runtime.getRuntime().availableProcessors());
        System.out.println("| batch | candidate | ONNX nodes | p50 µs (median of rounds) | × native plain (median) | spread (min–max) |");
        System.out.println("|---:|---|---:|---:|---:|---|");
        CompileOptions nativeOptions = CompileOptions.defaults().withStrategy(TreeStrategy.NATIVE)
                .withTarget(Target.CPU_NATIVE).withPrecision(Precision.FLOAT32);
        CompiledModel nat = ModelCompiler.compile(ir, nativeOptions);
        // a library that compares in float64 (LightGBM, HistGradientBoosting): the exact float64 kernel too, which
        // is what its CPU companion runs
        CompiledModel exact64 = ir.estimator() instanceof org.ml2tensor.ir.TreeEnsemble t && !t.float32Inputs()
                ? ModelCompiler.compile(ir, CompileOptions.defaults().withStrategy(TreeStrategy.NATIVE)
                        .withTarget(Target.CPU_NATIVE)) : null;
        for (int batch : batches) {
            CompiledModel ours = ModelCompiler.compile(ir, CompileOptions.defaults().withExpectedBatchSize(batch));
            Map<String, Runner> runners = new LinkedHashMap<>();
            Map<String, Integer> nodes = new LinkedHashMap<>();
            try {
                runners.put("native TreeEnsemble, plain session", plain(env, nat.onnx(), threads, "default"));
                nodes.put("native TreeEnsemble, plain session", nat.report().graphNodes());
                runners.put("native TreeEnsemble, Predictor", predictor(nat.onnx(), threads, maxBatch, false));
                nodes.put("native TreeEnsemble, Predictor", nat.report().graphNodes());
                if (exact64 != null) {
                    runners.put("native TreeEnsemble float64 (exact), plain session", plain(env, exact64.onnx(), threads,
                            "default"));
                    nodes.put("native TreeEnsemble float64 (exact), plain session", exact64.report().graphNodes());
                }
                String name = ours.report().strategy();
                System.out.println("<!-- batch " + batch + ": auto chose " + name + " (" + ours.report().strategyReason()
                        + ") -->");
                runners.put(name + ", plain session", plain(env, ours.onnx(), threads, "default"));
                runners.put(name + ", Predictor", predictor(ours.onnx(), threads, maxBatch, true));
                runners.put(name + ", Predictor, companion off", predictor(ours.onnx(), threads, maxBatch, false));
                Predictor defaults = Predictor.open(ours.onnx(), "bench", PredictorOptions.builder().device(Device.CPU)
                        .build());
                runners.put(name + ", Predictor, default options", new Runner() {
                    @Override
                    public void run(float[] rows, int n) {
                        defaults.predict(rows, n);
                    }

                    @Override
                    public void close() {
                        defaults.close();
                    }
                });
                nodes.put(name + ", plain session", ours.report().graphNodes());
                boolean routed = ours.metadata().containsKey(ModelContract.CPU_COMPANION)
                        && batch <= Integer.parseInt(ours.metadata().get(ModelContract.CPU_COMPANION_MAX_ROWS));
                // the nodes that run: the companion's where the Predictor routes this batch to it
                nodes.put(name + ", Predictor", routed ? nat.report().graphNodes() : ours.report().graphNodes());
                nodes.put(name + ", Predictor, companion off", ours.report().graphNodes());
                nodes.put(name + ", Predictor, default options", nodes.get(name + ", Predictor"));
                System.out.println("<!-- batch " + batch + ": " + (routed ? "Predictor routes it to the CPU companion ("
                        + ModelContract.CPU_COMPANION_MAX_ROWS + "=" + ours.metadata().get(ModelContract.CPU_COMPANION_MAX_ROWS)
                        + ")" : "Predictor runs the main graph") + " -->");
                for (TreeStrategy s : org.ml2tensor.compiler.lowering.tree.TreeStrategies.portable()) {
                    if (s.cliName().equals(name)) {
                        continue;
                    }
                    try {
                        CompiledModel other = ModelCompiler.compile(ir, CompileOptions.defaults().withStrategy(s)
                                .withExpectedBatchSize(batch));
                        runners.put(s.cliName() + ", plain session", plain(env, other.onnx(), threads, "default"));
                        nodes.put(s.cliName() + ", plain session", other.report().graphNodes());
                    } catch (org.ml2tensor.error.Ml2TensorException over) {
                        System.out.println("<!-- " + s.cliName() + " skipped: " + over.bareMessage() + " -->");
                    }
                }
                if (variants.equals("all")) {
                    for (String v : List.of("no-spinning", "no-memory-pattern", "no-arena", "parallel-mode",
                            "opt-none", "opt-basic", "opt-extended")) {
                        runners.put(name + ", plain session, " + v, plain(env, ours.onnx(), threads, v));
                        nodes.put(name + ", plain session, " + v, ours.report().graphNodes());
                    }
                }
                report(batch, runners, nodes, rows, width, rounds, calls);
            } finally {
                for (Runner r : runners.values()) {
                    r.close();
                }
            }
        }
    }

    static void report(int batch, Map<String, Runner> runners, Map<String, Integer> nodes, float[] all,
                               int width, int rounds, int calls) throws Exception {
        float[] rows = Arrays.copyOf(all, batch * width);
        List<String> names = new ArrayList<>(runners.keySet());
        int k = names.size();
        // Warm-up until the JIT's optimising compiler has the call path (~5,000 calls; a Predictor call runs more
        // Java than a plain session's, and timing it half-interpreted overstated its cost), at most ~1.5 s each.
        for (Runner r : runners.values()) {
            long w0 = System.nanoTime();
            for (int i = 0; i < 5_000 && (i < 2 || System.nanoTime() - w0 < 1_500_000_000L); i++) {
                r.run(rows, batch);
            }
        }
        int perCall = Math.max(5, calls / Math.max(1, batch / 16));
        double[][] p50 = new double[k][rounds];
        long[] t = new long[perCall];
        for (int round = 0; round < rounds; round++) {
            for (int j = 0; j < k; j++) {
                int i = (j + round) % k;
                Runner r = runners.get(names.get(i));
                int done = 0;
                long spent = 0;
                // at most ~0.3 s per candidate and round (at least 3 calls): slow candidates do not stall the run
                while (done < perCall && (done < 3 || spent < 300_000_000L)) {
                    long t0 = System.nanoTime();
                    r.run(rows, batch);
                    t[done] = System.nanoTime() - t0;
                    spent += t[done++];
                }
                long[] s = Arrays.copyOf(t, done);
                Arrays.sort(s);
                p50[i][round] = s[s.length / 2] / 1e3;
            }
        }
        for (int i = 0; i < k; i++) {
            double[] ratio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratio[r] = p50[i][r] / p50[0][r];
            }
            double[] sorted = ratio.clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "| %d | %s | %d | %.1f | %.2f× | %.2f–%.2f |%n", batch, names.get(i),
                    nodes.get(names.get(i)), median(p50[i]), sorted[rounds / 2], sorted[0], sorted[rounds - 1]);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    static Runner predictor(byte[] onnx, int threads, int maxBatch, boolean companion) {
        Predictor p = Predictor.open(onnx, "bench", PredictorOptions.builder().device(Device.CPU)
                .intraOpThreads(threads).parallelRuns(1).batchSize(Math.max(1, maxBatch)).cpuCompanion(companion)
                .build());
        return new Runner() {
            @Override
            public void run(float[] rows, int n) {
                p.predict(rows, n);
            }

            @Override
            public void close() {
                p.close();
            }
        };
    }

    /** A plain ONNX Runtime session with one option changed from ONNX Runtime's defaults. */
    static Runner plain(OrtEnvironment env, byte[] onnx, int threads, String variant) throws Exception {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        so.setIntraOpNumThreads(threads);
        switch (variant) {
            case "no-spinning" -> so.addConfigEntry("session.intra_op.allow_spinning", "0");
            case "no-memory-pattern" -> so.setMemoryPatternOptimization(false);
            case "no-arena" -> so.setCPUArenaAllocator(false);
            case "parallel-mode" -> so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.PARALLEL);
            case "opt-none" -> so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            case "opt-basic" -> so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
            case "opt-extended" -> so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.EXTENDED_OPT);
            default -> { }
        }
        OrtSession session = env.createSession(onnx, so);
        String input = session.getInputNames().iterator().next();
        boolean doubles = ((TensorInfo) session.getInputInfo().get(input).getInfo()).type == OnnxJavaType.DOUBLE;
        int width = (int) ((TensorInfo) session.getInputInfo().get(input).getInfo()).getShape()[1];
        // direct buffers, filled per call (what Predictor does): a heap buffer would be copied by ORT's Java API
        FloatBuffer floats = java.nio.ByteBuffer.allocateDirect(1 << 22).order(java.nio.ByteOrder.nativeOrder())
                .asFloatBuffer();
        DoubleBuffer wide = java.nio.ByteBuffer.allocateDirect(1 << 23).order(java.nio.ByteOrder.nativeOrder())
                .asDoubleBuffer();
        return new Runner() {
            @Override
            public void run(float[] rows, int n) throws Exception {
                long[] shape = {n, width};
                OnnxTensor x;
                if (doubles) {
                    wide.clear();
                    for (int i = 0; i < n * width; i++) {
                        wide.put(rows[i]);
                    }
                    wide.flip();
                    x = OnnxTensor.createTensor(env, wide, shape);
                } else {
                    floats.clear();
                    floats.put(rows, 0, n * width).flip();
                    x = OnnxTensor.createTensor(env, floats, shape);
                }
                try (x; OrtSession.Result r = session.run(Map.of(input, x))) {
                    r.get(0);
                }
            }

            @Override
            public void close() throws Exception {
                session.close();
                so.close();
            }
        };
    }

    /** The first {@code n} rows of a decimal CSV without header (a header line is skipped), repeated if short. */
    static float[] csv(Path file, int width, int n) throws Exception {
        List<float[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String[] cells = line.split(",", -1);
            if (cells.length < width) {
                continue;
            }
            float[] r = new float[width];
            try {
                for (int i = 0; i < width; i++) {
                    String c = cells[i].trim();
                    r[i] = c.isEmpty() || c.equalsIgnoreCase("nan") ? Float.NaN : Float.parseFloat(c);
                }
            } catch (NumberFormatException header) {
                continue;
            }
            rows.add(r);
            if (rows.size() >= n) {
                break;
            }
        }
        float[] out = new float[n * width];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows.get(i % rows.size()), 0, out, i * width, width);
        }
        return out;
    }

    private static int[] ints(String s) {
        return Arrays.stream(s.split(",")).mapToInt(Integer::parseInt).toArray();
    }
}
