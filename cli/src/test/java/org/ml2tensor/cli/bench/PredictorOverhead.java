package org.ml2tensor.cli.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.CompiledModel;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.contract.ModelContract;
import org.ml2tensor.importers.ModelFormat;
import org.ml2tensor.importers.ModelImporter;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.runtime.Device;
import org.ml2tensor.runtime.Predictor;
import org.ml2tensor.runtime.PredictorOptions;

/**
 * Bisects the cost of a {@link Predictor} call over a plain ONNX Runtime session of the same graph (the
 * model's CPU companion, or the model itself; float32 input only), one difference at a time, interleaved in one
 * JVM. Usage:
 * {@code PredictorOverhead MODEL ROWS_CSV BATCH ROUNDS CALLS}.
 */
public final class PredictorOverhead {
    private PredictorOverhead() {
    }

    interface Runner {
        void run(float[] rows, int n) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int batch = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        int calls = Integer.parseInt(args[4]);
        ModelIr ir = ModelImporter.load(file, ModelImporter.resolve(file, ModelFormat.AUTO));
        int width = ir.featureCount();
        float[] rows = LatencyBenchmark.csv(Path.of(args[1]), width, batch);
        CompiledModel ours = ModelCompiler.compile(ir, CompileOptions.defaults().withExpectedBatchSize(batch));
        String enc = ours.metadata().get(ModelContract.CPU_COMPANION);
        byte[] companion = enc == null ? ours.onnx() : Base64.getDecoder().decode(enc);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, Runner> runners = new LinkedHashMap<>();
        runners.put("plain intra1, fetch nothing", plain(env, companion, false, false, false, false));
        runners.put("plain intra1 inter1 optALL", plain(env, companion, true, false, false, false));
        runners.put("plain, requested outputs", plain(env, companion, false, true, false, false));
        runners.put("plain, fetch all outputs", plain(env, companion, false, false, true, false));
        runners.put("plain, requested + fetch", plain(env, companion, true, true, true, false));
        runners.put("plain, requested + fetch + info", plain(env, companion, true, true, true, true));
        runners.put("plain, pinned outputs + reused input", pinned(env, companion, batch));
        Predictor p1 = Predictor.open(ours.onnx(), "bench", PredictorOptions.builder().device(Device.CPU)
                .intraOpThreads(1).parallelRuns(1).batchSize(Math.max(1, batch)).build());
        runners.put("Predictor (companion)", (r, n) -> p1.predict(r, n));
        Predictor p2 = Predictor.open(companion, "bench-native", PredictorOptions.builder().device(Device.CPU)
                .intraOpThreads(1).parallelRuns(1).batchSize(Math.max(1, batch)).build());
        runners.put("Predictor on companion graph", (r, n) -> p2.predict(r, n));
        Predictor p3 = Predictor.open(ours.onnx(), "bench", PredictorOptions.builder().device(Device.CPU).build());
        runners.put("Predictor defaults (companion)", (r, n) -> p3.predict(r, n));
        FloatBuffer direct = ByteBuffer.allocateDirect(rows.length * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        direct.put(rows).flip();
        runners.put("Predictor (companion), direct buffer", (r, n) -> p1.predict(direct, n));
        System.out.printf(Locale.ROOT, "%s batch %d, rounds %d x %d calls; load %s%n", file, batch, rounds, calls,
                new String(java.nio.file.Files.readAllBytes(Path.of("/proc/loadavg"))).trim());
        List<String> names = new ArrayList<>(runners.keySet());
        int k = names.size();
        for (Runner r : runners.values()) {
            for (int i = 0; i < 3000; i++) {
                r.run(rows, batch);
            }
        }
        double[][] p50 = new double[k][rounds];
        long[] t = new long[calls];
        for (int round = 0; round < rounds; round++) {
            for (int j = 0; j < k; j++) {
                int i = (j + round) % k;
                Runner r = runners.get(names.get(i));
                for (int c = 0; c < calls; c++) {
                    long t0 = System.nanoTime();
                    r.run(rows, batch);
                    t[c] = System.nanoTime() - t0;
                }
                long[] s = t.clone();
                Arrays.sort(s);
                p50[i][round] = s[s.length / 2] / 1e3;
            }
        }
        for (int i = 0; i < k; i++) {
            double[] ratio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratio[r] = p50[i][r] / p50[0][r];
            }
            Arrays.sort(ratio);
            double[] s = p50[i].clone();
            Arrays.sort(s);
            System.out.printf(Locale.ROOT, "%-40s p50 %6.1f us  x%.2f (%.2f-%.2f)%n", names.get(i), s[rounds / 2],
                    ratio[rounds / 2], ratio[0], ratio[rounds - 1]);
        }
        p1.close();
        p2.close();
        p3.close();
    }

    /** Reused input tensor over a direct buffer, preallocated (pinned) outputs, copied out to arrays each call. */
    static Runner pinned(OrtEnvironment env, byte[] onnx, int batch) throws Exception {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        so.setIntraOpNumThreads(1);
        OrtSession session = env.createSession(onnx, so);
        String input = session.getInputNames().iterator().next();
        long width = ((ai.onnxruntime.TensorInfo) session.getInputInfo().get(input).getInfo()).getShape()[1];
        FloatBuffer in = ByteBuffer.allocateDirect((int) (batch * width * 4)).order(ByteOrder.nativeOrder()).asFloatBuffer();
        OnnxTensor x = OnnxTensor.createTensor(env, in, new long[]{batch, width});
        Map<String, OnnxTensor> feeds = Map.of(input, x);
        Map<String, OnnxValue> outs = new LinkedHashMap<>();
        List<java.nio.Buffer> bufs = new ArrayList<>();
        try (OrtSession.Result r = session.run(feeds)) {
            for (Map.Entry<String, OnnxValue> e : r) {
                ai.onnxruntime.TensorInfo ti = (ai.onnxruntime.TensorInfo) e.getValue().getInfo();
                long count = 1;
                for (long d : ti.getShape()) {
                    count *= d;
                }
                OnnxTensor t;
                if (ti.type == ai.onnxruntime.OnnxJavaType.FLOAT) {
                    FloatBuffer b = ByteBuffer.allocateDirect((int) count * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
                    bufs.add(b);
                    t = OnnxTensor.createTensor(env, b, ti.getShape());
                } else {
                    java.nio.LongBuffer b = ByteBuffer.allocateDirect((int) count * 8).order(ByteOrder.nativeOrder()).asLongBuffer();
                    bufs.add(b);
                    t = OnnxTensor.createTensor(env, b, ti.getShape());
                }
                outs.put(e.getKey(), t);
            }
        }
        return (rows, n) -> {
            in.clear();
            in.put(rows, 0, (int) (n * width)).flip();
            try (OrtSession.Result r = session.run(feeds, outs)) {
                for (java.nio.Buffer b : bufs) {
                    if (b instanceof FloatBuffer f) {
                        float[] a = new float[f.capacity()];
                        f.get(0, a);
                    } else {
                        java.nio.LongBuffer l = (java.nio.LongBuffer) b;
                        long[] a = new long[l.capacity()];
                        l.get(0, a);
                    }
                }
            }
        };
    }

    static Runner plain(OrtEnvironment env, byte[] onnx, boolean companionOptions, boolean requested, boolean fetch,
                        boolean info) throws Exception {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        so.setIntraOpNumThreads(1);
        if (companionOptions) {
            so.setInterOpNumThreads(1);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        }
        OrtSession session = env.createSession(onnx, so);
        String input = session.getInputNames().iterator().next();
        Set<String> outs = new LinkedHashSet<>(session.getOutputNames());
        FloatBuffer floats = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.nativeOrder()).asFloatBuffer();
        long width = ((ai.onnxruntime.TensorInfo) session.getInputInfo().get(input).getInfo()).getShape()[1];
        return (rows, n) -> {
            floats.clear();
            floats.put(rows, 0, (int) (n * width)).flip();
            try (OnnxTensor x = OnnxTensor.createTensor(env, floats, new long[]{n, width});
                 OrtSession.Result r = requested ? session.run(Map.of(input, x), outs) : session.run(Map.of(input, x))) {
                if (!fetch) {
                    r.get(0);
                    return;
                }
                for (Map.Entry<String, OnnxValue> e : r) {
                    OnnxTensor t = (OnnxTensor) e.getValue();
                    if (info) {
                        t.getInfo().getShape();
                    }
                    switch (t.getInfo().type) {
                        case FLOAT -> t.getFloatBuffer();
                        case DOUBLE -> t.getDoubleBuffer();
                        case INT64 -> t.getLongBuffer();
                        default -> t.getValue();
                    }
                }
            }
        };
    }
}
