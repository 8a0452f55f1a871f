package org.ml2tensor.runtime.fuzz;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.compiler.TreeStrategy;
import org.ml2tensor.ir.Comparison;
import org.ml2tensor.ir.DecisionTree;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.ir.ScoreTransform;
import org.ml2tensor.ir.SourceInfo;
import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.runtime.Device;
import org.ml2tensor.runtime.Predictor;
import org.ml2tensor.runtime.PredictorOptions;
import org.ml2tensor.runtime.TestModels;

/**
 * Seeded mutation fuzz of {@code .onnx} input, run in its own JVM (the caller sets {@code -Xmx} to the
 * heap bound): each case writes a mutated model (hand-built linear models and compiled tree ensembles) to
 * a fresh file, opens it with {@link Predictor#open(Path, PredictorOptions)} (which reads its
 * {@code ModelInfo}) and, when that succeeds, predicts two rows. Asserted per case: only
 * {@link Ml2TensorException} escapes, with a code of {@link #EXPECTED}; under {@code maxCaseSeconds};
 * nothing left in the working folder. Usage: {@code OnnxFuzz SEED CASES [MAX_CASE_SECONDS]}.
 */
public final class OnnxFuzz {
    /** Codes a broken {@code .onnx} may produce (README's exit-code list: 3, 4, 5, 6, 7, 9, 11). */
    static final Set<ErrorCode> EXPECTED = EnumSet.of(ErrorCode.IO, ErrorCode.MODEL_FORMAT, ErrorCode.UNSUPPORTED,
            ErrorCode.INVALID_MODEL, ErrorCode.INVALID_INPUT, ErrorCode.LIMIT_EXCEEDED, ErrorCode.RUNTIME);
    private static final PredictorOptions CPU = PredictorOptions.builder().device(Device.CPU).build();

    private OnnxFuzz() {
    }

    public static void main(String[] args) throws Exception {
        long seed = Long.decode(args[0]);
        int cases = Integer.parseInt(args[1]);
        double maxCaseSeconds = args.length > 2 ? Double.parseDouble(args[2]) : 10;
        List<byte[]> corpus = corpus();
        Path work = Files.createTempDirectory("ml2tensor-onnx-fuzz");
        SplittableRandom rnd = new SplittableRandom(seed);
        int opened = 0;
        int predicted = 0;
        int refused = 0;
        long maxNanos = 0;
        long start = System.nanoTime();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < cases; i++) {
            int pick = rnd.nextInt(corpus.size());
            byte[] input = mutate(corpus.get(pick), rnd);
            Path file = work.resolve("case.onnx");
            Files.write(file, input);
            String label = "case " + i + " (model " + pick + ")";
            long t0 = System.nanoTime();
            try (Predictor p = Predictor.open(file, CPU)) {
                opened++;
                int width = p.info().featureCount();
                if (width > 0 && width <= 4096) {
                    p.predict(new float[2][width]);
                    predicted++;
                }
            } catch (Ml2TensorException e) {
                refused++;
                if (!EXPECTED.contains(e.code())) {
                    failures.add(label + ": unexpected code " + e.code() + ": " + e.getMessage());
                }
            } catch (Throwable t) {
                failures.add(label + ": " + t + " at " + java.util.Arrays.stream(t.getStackTrace())
                        .filter(f -> f.getClassName().startsWith("org.ml2tensor")).findFirst().orElse(null));
            }
            long nanos = System.nanoTime() - t0;
            maxNanos = Math.max(maxNanos, nanos);
            if (nanos > maxCaseSeconds * 1e9) {
                failures.add(label + ": took " + nanos / 1_000_000 + " ms");
            }
            Files.delete(file);
            try (Stream<Path> left = Files.list(work)) {
                List<Path> extra = left.toList();
                if (!extra.isEmpty()) {
                    failures.add(label + ": left files behind: " + extra);
                    extra.forEach(x -> x.toFile().delete());
                }
            }
        }
        Files.deleteIfExists(work);
        System.out.println(String.format(Locale.ROOT, "FUZZ family=onnx cases=%d opened=%d predicted=%d refused=%d "
                        + "maxCaseMs=%d totalMs=%d failures=%d", cases, opened, predicted, refused,
                maxNanos / 1_000_000, (System.nanoTime() - start) / 1_000_000, failures.size()));
        System.out.println(String.format(Locale.ROOT, "FUZZ cpuMs=%d", ((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000));
        for (String f : failures.subList(0, Math.min(10, failures.size()))) {
            System.out.println("  FAIL " + f);
        }
        System.exit(failures.isEmpty() ? 0 : 1);
    }

    /** Hand-built linear models and tree ensembles compiled with three strategies. */
    static List<byte[]> corpus() {
        List<byte[]> out = new ArrayList<>();
        out.add(TestModels.linearClassifier(new long[]{0, 1, 2}, false).toByteArray());
        out.add(TestModels.stringClassifier(List.of("a", "b", "c")).toByteArray());
        out.add(TestModels.doubleRegressor(new double[]{1, 2, 3, 4}, 0.5).toByteArray());
        DecisionTree t = new DecisionTree(new int[]{1, 0, 0}, new double[]{0.5, 0, 0}, new int[]{1, -1, -1},
                new int[]{2, -1, -1}, new boolean[3], null, new double[]{0, 1.5, -2}, 1, -1);
        ModelIr ir = new ModelIr(new TreeEnsemble(List.of(t, t), 3, 1, Comparison.LESS_OR_EQUAL, new double[]{0.5},
                ScoreTransform.IDENTITY, new Head.Regression(1)), 3, List.of(), SourceInfo.inCode("fuzz stump"));
        for (TreeStrategy s : org.ml2tensor.compiler.lowering.tree.TreeStrategies.portable()) {
            out.add(ModelCompiler.compile(ir, CompileOptions.defaults().withStrategy(s)).onnx());
        }
        return out;
    }

    /** One to three seeded mutations (as the importer fuzz's): flips, overwrites, cuts, inserts, big lengths. */
    static byte[] mutate(byte[] src, SplittableRandom rnd) {
        byte[] b = src.clone();
        int ops = 1 + rnd.nextInt(3);
        for (int k = 0; k < ops && b.length > 2; k++) {
            int at = rnd.nextInt(b.length);
            switch (rnd.nextInt(6)) {
                case 0 -> b[at] ^= (byte) (1 << rnd.nextInt(8));
                case 1 -> b[at] = (byte) rnd.nextInt(256);
                case 2 -> b = Arrays.copyOf(b, at);
                case 3 -> {
                    int len = Math.min(b.length - at, 1 + rnd.nextInt(16));
                    byte[] out = new byte[b.length - len];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(b, at + len, out, at, b.length - at - len);
                    b = out;
                }
                case 4 -> {
                    int len = Math.min(b.length - at, 1 + rnd.nextInt(64));
                    byte[] out = new byte[b.length + len];
                    System.arraycopy(b, 0, out, 0, at + len);
                    System.arraycopy(b, at, out, at + len, b.length - at);
                    b = out;
                }
                default -> {
                    // a protobuf varint of 2^k - 1 (huge lengths and dimensions)
                    int bits = 20 + rnd.nextInt(44);
                    byte[] v = new byte[(bits + 6) / 7];
                    for (int j = 0; j < v.length; j++) {
                        v[j] = (byte) (j < v.length - 1 ? 0xff : 0x7f);
                    }
                    for (int j = 0; j < v.length && at + j < b.length; j++) {
                        b[at + j] = v[j];
                    }
                }
            }
        }
        return b;
    }
}
