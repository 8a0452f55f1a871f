package org.ml2tensor.cli.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.CompiledModel;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.compiler.Precision;
import org.ml2tensor.compiler.Target;
import org.ml2tensor.compiler.TreeStrategy;
import org.ml2tensor.importers.ModelFormat;
import org.ml2tensor.importers.ModelImporter;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.runtime.Device;
import org.ml2tensor.runtime.PredictorOptions;
import org.ml2tensor.runtime.SyntheticRows;

/**
 * Large-batch throughput, side by side in one JVM (a main class, not a test; {@code
 * scripts/large_batch_benchmark.sh} runs it): ml2tensor's auto graph and ONNX Runtime's native TreeEnsemble
 * graph, each in a plain ONNX Runtime session ({@code THREADS} intra-op threads, the whole batch in one run)
 * and through {@code Predictor} ({@code THREADS} parallel cache-sized chunks of one intra-op thread each),
 * and the model's own library in the same JVM (XGBoost4J, lightgbm4j from the bench-peers jars,
 * {@code -Dml2tensor.bench.path}) with {@code THREADS} threads. Rounds rotate the order; in each round every
 * candidate gets one untimed call, then timed calls for about {@code SECONDS} (at least one), and its rows/s
 * (batch ÷ median call) is divided by the library's and by the native plain session's of the same round.
 * The table shows the median over rounds and the spread (min–max) of those ratios.
 *
 * <p>Usage: {@code ThroughputBenchmark MODEL [ROWS_CSV|-] [BATCHES] [ROUNDS] [THREADS] [SECONDS]}; defaults
 * {@code - 10000,100000 3 2 1}. ROWS_CSV: numeric CSV (header optional, NaN or empty = missing), cycled.
 */
public final class ThroughputBenchmark {
    private ThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        String rowsArg = args.length > 1 ? args[1] : "-";
        int[] batches = Arrays.stream((args.length > 2 ? args[2] : "10000,100000").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        double seconds = args.length > 5 ? Double.parseDouble(args[5]) : 1.0;
        ModelFormat format = ModelImporter.resolve(file, ModelFormat.AUTO);
        ModelIr ir = ModelImporter.load(file, format);
        int width = ir.featureCount();
        int maxBatch = Arrays.stream(batches).max().orElse(1);
        float[] rows = rowsArg.equals("-") ? SyntheticRows.generate(ir, maxBatch, 42)
                : Candidates.csvRows(Path.of(rowsArg), width, maxBatch);
        CompiledModel ours = ModelCompiler.compile(ir, CompileOptions.defaults().withExpectedBatchSize(maxBatch));
        CompiledModel nat = ModelCompiler.compile(ir, CompileOptions.defaults().withStrategy(TreeStrategy.NATIVE)
                .withTarget(Target.CPU_NATIVE).withPrecision(Precision.FLOAT32));
        PredictorOptions po = PredictorOptions.builder().device(Device.CPU).parallelRuns(threads).intraOpThreads(1)
                .batchSize(maxBatch).build();
        String strategy = ours.report().strategy();
        List<Candidate> cs = new ArrayList<>();
        try {
            cs.add(Candidates.ort("native TreeEnsemble, Predictor", true, nat.onnx(), po));
            cs.add(Candidates.plain("native TreeEnsemble, plain session", true, nat.onnx(), threads));
            cs.add(Candidates.ort(strategy + ", Predictor", false, ours.onnx(), po));
            cs.add(Candidates.plain(strategy + ", plain session", false, ours.onnx(), threads));
            Optional<PeerProvider> peers = BenchPeers.load();
            Optional<Candidate> lib = peers.isPresent() ? peers.get().libraryPeer(file, format, width, threads)
                    : Optional.empty();
            lib.ifPresent(cs::add);
            int nativePlain = 1;
            int library = lib.isPresent() ? cs.size() - 1 : -1;
            System.out.printf(Locale.ROOT, "Model `%s` (%s), %d features, %d trees × max depth %d, %s rows, %d threads, "
                            + "%d rounds, ~%.1f s per candidate and round; auto = %s (%s, %d ONNX nodes, input %s)."
                            + "%n%n", file.getFileName(), ir.source().description(), width, ours.report().trees(),
                    ours.report().maxDepth(), rowsArg.equals("-") ? "synthetic" : "CSV (" + Path.of(rowsArg).getFileName()
                            + ")", threads, rounds, seconds, strategy, ours.report().strategyReason(),
                    ours.report().graphNodes(), ours.report().inputType());
            System.out.println("| batch | candidate | rows/s (median of rounds) | × library (median, min–max) "
                    + "| × native plain session (median, min–max) |");
            System.out.println("|---:|---|---:|---:|---:|");
            double best = 0;
            int bestBatch = 0;
            String bestName = "";
            for (int batch : batches) {
                float[] in = Arrays.copyOf(rows, batch * width);
                double[][] rate = new double[cs.size()][rounds];
                for (Candidate c : cs) {
                    c.predict(in, batch); // warm-up
                }
                for (int r = 0; r < rounds; r++) {
                    for (int j = 0; j < cs.size(); j++) {
                        int i = (j + r) % cs.size();
                        Candidate c = cs.get(i);
                        c.predict(in, batch); // untimed: the previous engine's threads and cache contents
                        List<Long> t = new ArrayList<>();
                        long spent = 0;
                        while (t.isEmpty() || spent < seconds * 1e9) {
                            long t0 = System.nanoTime();
                            c.predict(in, batch);
                            long d = System.nanoTime() - t0;
                            t.add(d);
                            spent += d;
                        }
                        long[] s = t.stream().mapToLong(Long::longValue).sorted().toArray();
                        rate[i][r] = batch / (s[s.length / 2] / 1e9);
                    }
                }
                for (int i = 2; i < 4; i++) {
                    if (median(rate[i]) > best) {
                        best = median(rate[i]);
                        bestBatch = batch;
                        bestName = cs.get(i).name();
                    }
                }
                for (int i = 0; i < cs.size(); i++) {
                    System.out.printf(Locale.ROOT, "| %,d | %s | %,.0f | %s | %s |%n", batch, cs.get(i).name(),
                            median(rate[i]), library < 0 ? "n/a" : ratio(rate[i], rate[library]),
                            ratio(rate[i], rate[nativePlain]));
                }
            }
            long visits = (long) ours.report().trees() * ours.report().maxDepth();
            double limit = threads * 1e9 / visits;
            System.out.printf(Locale.ROOT, "%nNode-visit limit: %,d trees × depth %d = %,d node visits per row; at ~1 ns a "
                            + "visit on %d cores ≈ %,.0f rows/s (%.2f µs/row). Best ml2tensor way (%s, batch %,d): %,.0f "
                            + "rows/s, %.1f× below that limit.%n", ours.report().trees(), ours.report().maxDepth(), visits,
                    threads, limit, 1e6 / limit, bestName, bestBatch, best, limit / best);
        } finally {
            for (Candidate c : cs) {
                c.close();
            }
        }
    }

    private static String ratio(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] / b[i];
        }
        Arrays.sort(r);
        return String.format(Locale.ROOT, "%.2f× (%.2f–%.2f)", median(r), r[0], r[r.length - 1]);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
