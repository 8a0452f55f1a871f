package org.ml2tensor.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import org.ml2tensor.cli.bench.BenchJson;
import org.ml2tensor.cli.bench.BenchPeers;
import org.ml2tensor.cli.bench.PeerProvider;
import org.ml2tensor.cli.bench.BenchMarkdown;
import org.ml2tensor.cli.bench.BenchReport;
import org.ml2tensor.runtime.SyntheticRows;
import org.ml2tensor.cli.bench.BenchRunner;
import org.ml2tensor.cli.bench.Candidate;
import org.ml2tensor.cli.bench.Candidates;
import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.Precision;
import org.ml2tensor.compiler.CompiledModel;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.compiler.Target;
import org.ml2tensor.compiler.TreeStrategy;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.importers.ModelFormat;
import org.ml2tensor.importers.ModelImporter;
import org.ml2tensor.runtime.PredictorOptions;

/** {@code ml2tensor bench MODEL}: throughput and latency of every strategy and peer, side by side. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Times every tree strategy and the peers (ONNX Runtime's native TreeEnsemble, XGBoost4J, "
                + "LightGBM, the EJML reference) on the same model and rows, side by side in one process, "
                + "alternating candidates; prints rows/s, latency p50/p99 and ratios against the best peer.")
final class BenchCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "A source model (sklearn, XGBoost, LightGBM).")
    Path model;

    @Option(names = "--batch", split = ",", defaultValue = "1,1000,100000", paramLabel = "N[,N...]",
            description = "Batch sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--strategies", defaultValue = "all", paramLabel = "all|S[,S...]",
            description = "Strategies to time: all, or a list of auto, gemm, tree-traversal, perfect-tree-traversal.")
    String strategies;

    @Option(names = "--precisions", split = ",", paramLabel = "P[,P...]",
            description = "Time each strategy at several precisions side by side (e.g. auto,float32); the "
                    + "candidates are labelled with their precision. Default: --precision only.")
    List<String> precisions;

    @Option(names = "--seconds", defaultValue = "2", paramLabel = "S",
            description = "Measuring time per candidate and batch size (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--min-calls", defaultValue = "3", paramLabel = "N",
            description = "Timed calls per candidate and batch size even when they outlast --seconds, after one "
                    + "warm-up call (default: ${DEFAULT-VALUE}).")
    int minCalls;

    @Option(names = "--no-reference", description = "Leave out the single-threaded EJML reference peer.")
    boolean noReference;

    @Option(names = "--reference-max-batch", paramLabel = "N",
            description = "Time the EJML reference only at batch sizes up to N (it is single-threaded and slow "
                    + "on large batches); default: every batch size.")
    Integer referenceMaxBatch;

    @Option(names = "--plain-session", description = "Also time the auto graph and the native TreeEnsemble graph in a "
            + "plain ONNX Runtime session (default options, --threads intra-op threads, the whole batch in one run), "
            + "as a user without ml2tensor's Predictor would run them.")
    boolean plainSession;

    @Option(names = "--rows", paramLabel = "CSV", description = "Time on the rows of this numeric CSV (header "
            + "optional; empty or NaN = missing; cycled to the largest batch) instead of synthetic rows.")
    Path rowsCsv;

    @Option(names = "--markdown", paramLabel = "FILE", description = "Also write the tables as Markdown to FILE.")
    Path markdown;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the measurements as JSON to FILE.")
    Path json;

    @Mixin
    RunSettings run;

    @Mixin
    CompileSettings compile;

    @Override
    public Integer call() throws Exception {
        int threads = run.checkedThreads() > 0 ? run.threads : 2; // checked before any file is read
        ModelFormat format = ModelImporter.resolve(model, compile.format());
        ModelIr ir = ModelImporter.load(model, format, compile.importOptions());
        List<Integer> sizes = batches.stream().distinct().sorted().toList();
        int maxBatch = Math.max(1, sizes.get(sizes.size() - 1));
        PredictorOptions po = run.options(maxBatch).toBuilder().forceThreads(run.forceThreads).parallelRuns(threads)
                .intraOpThreads(1).build();
        CompileOptions base = compile.options();

        // Compile every strategy: time, size, chosen by auto (compiled once first to warm the JIT).
        ModelCompiler.compile(ir, base.withStrategy(TreeStrategy.AUTO));
        CompiledModel auto = ModelCompiler.compile(ir, base.withStrategy(TreeStrategy.AUTO));
        String autoStrategy = auto.report().strategy();
        List<BenchReport.Compile> compiles = new ArrayList<>();
        List<Candidate> candidates = new ArrayList<>();
        try {
            List<Precision> precisionList = precisions == null || precisions.isEmpty() ? List.of(base.precision())
                    : precisions.stream().map(v -> CliValues.parse("--precisions", v, Precision::fromCli,
                            "auto, float32, float64")).distinct().toList();
            for (TreeStrategy s : strategies(auto)) {
                for (Precision p : s == TreeStrategy.NATIVE ? List.of(Precision.FLOAT32) : precisionList) {
                    CompileOptions o = base.withStrategy(s).withPrecision(p)
                            .withTarget(s == TreeStrategy.NATIVE ? Target.CPU_NATIVE : base.target());
                    // the native peer is ONNX Runtime's own float32 TreeEnsemble, as other converters emit it
                    String suffix = precisionList.size() > 1 && s != TreeStrategy.NATIVE ? " (" + p.cliName() + ")" : "";
                    String name = (s == TreeStrategy.NATIVE ? NATIVE_PEER : s.cliName()) + suffix;
                    Fit fit = compileWithin(ir, o, sizes);
                    if (fit.model() == null) {
                        compiles.add(BenchReport.Compile.skipped(name, fit.over()));
                        continue;
                    }
                    CompiledModel m = fit.model();
                    String label = label(m.report().strategy(), autoStrategy, s == TreeStrategy.NATIVE) + suffix;
                    compiles.add(new BenchReport.Compile(label, fit.millis(), m.report().onnxBytes(),
                            m.report().graphNodes(), null));
                    Candidate c = Candidates.ort(label, s == TreeStrategy.NATIVE, m.onnx(), po);
                    candidates.add(fit.maxBatch() >= maxBatch ? c : Candidates.upTo(c, fit.maxBatch(), fit.over()));
                    if (plainSession && (s == TreeStrategy.NATIVE || label.endsWith("[auto]"))) {
                        candidates.add(Candidates.plain(label + ", plain session", s == TreeStrategy.NATIVE,
                                m.onnx(), threads));
                    }
                }
            }
            Optional<PeerProvider> peers = BenchPeers.load();
            if (peers.isEmpty()) {
                po.noticeSink().notice("bench peers not installed (XGBoost4J, lightgbm4j, EJML reference; looked in "
                        + BenchPeers.where() + "): timing ONNX Runtime only; run ./ml2tensor bench from a source "
                        + "checkout for the peers");
            } else {
                peers.get().libraryPeer(model, format, ir.featureCount(), threads).ifPresent(candidates::add);
            }
            if (!noReference && peers.isPresent()) {
                Candidate ref = peers.get().reference(ir);
                candidates.add(referenceMaxBatch == null ? ref : Candidates.upTo(ref, referenceMaxBatch,
                        "reference timed up to batch " + referenceMaxBatch + " (--reference-max-batch)"));
            }
            List<BenchReport.Timing> timings = time(ir, candidates, batches, maxBatch);
            BenchReport report = new BenchReport(String.valueOf(model.getFileName()), ir.source().description(),
                    ir.featureCount(), auto.report().trees(), auto.report().maxDepth(), threads, run.device, autoStrategy, auto.report().strategyReason(), compiles,
                    timings);
            String md = BenchMarkdown.render(report);
            System.out.print(md);
            write(markdown, md);
            write(json, BenchJson.render(report));
        } finally {
            for (Candidate c : candidates) {
                c.close();
            }
        }
        return 0;
    }

    private static final String NATIVE_PEER = "peer: onnxruntime TreeEnsemble";

    /** A compiled strategy and the largest listed batch size its tensor-size limit allows (0 and why: none). */
    private record Fit(CompiledModel model, double millis, int maxBatch, String over) {
    }

    /**
     * Compiles with the expected batch size set to the largest batch size the strategy's limits allow, so a
     * GEMM graph whose intermediates grow with the batch is never run on batches that would exceed
     * {@code --max-tensor-bytes}. Only GEMM has batch-dependent limits; the others compile once.
     */
    private static Fit compileWithin(ModelIr ir, CompileOptions o, List<Integer> sizes) {
        List<Integer> tries = new ArrayList<>(sizes);
        java.util.Collections.reverse(tries);
        if (o.strategy() != TreeStrategy.GEMM) {
            tries = List.of(o.expectedBatchSize());
        }
        String over = null;
        for (int b : tries) {
            long t0 = System.nanoTime();
            try {
                CompiledModel m = ModelCompiler.compile(ir, o.withExpectedBatchSize(Math.max(1, b)));
                double ms = (System.nanoTime() - t0) / 1e6;
                return new Fit(m, ms, o.strategy() == TreeStrategy.GEMM ? b : Integer.MAX_VALUE, over);
            } catch (Ml2TensorException e) {
                if (e.code() != ErrorCode.LIMIT_EXCEEDED) {
                    throw e;
                }
                over = e.bareMessage(); // tries run largest first: keep the smallest batch that does not fit
            }
        }
        return new Fit(null, Double.NaN, 0, over);
    }

    private List<BenchReport.Timing> time(ModelIr ir, List<Candidate> candidates, List<Integer> sizes,
                                          int maxBatch) throws Exception {
        float[] rows = rowsCsv == null ? SyntheticRows.generate(ir, maxBatch, 42)
                : Candidates.csvRows(rowsCsv, ir.featureCount(), maxBatch);
        List<BenchReport.Timing> timings = new ArrayList<>();
        for (int batch : sizes) {
            List<Candidate> fit = candidates.stream().filter(c -> c.maxBatch() >= batch).toList();
            List<BenchRunner.Cell> cells = BenchRunner.run(fit, rows, ir.featureCount(), batch,
                    (long) (seconds * 1e9), Math.max(1, minCalls), batch == 1 ? 5000 : 1000);
            double bestPeer = cells.stream().filter(BenchRunner.Cell::peer)
                    .mapToDouble(BenchRunner.Cell::rowsPerSecond).max().orElse(Double.NaN);
            int next = 0;
            for (Candidate c : candidates) {
                if (c.maxBatch() < batch) {
                    timings.add(BenchReport.Timing.skipped(batch, c.name(), c.peer(), c.skipReason()));
                    continue;
                }
                BenchRunner.Cell cell = cells.get(next++);
                timings.add(new BenchReport.Timing(batch, cell.candidate(), cell.peer(), cell.rowsPerSecond(),
                        cell.p50Millis(), cell.p99Millis(), cell.nanos().length, cell.rowsPerSecond() / bestPeer,
                        null));
            }
        }
        return timings;
    }

    private static void write(Path file, String text) {
        if (file == null) {
            return;
        }
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw Ml2TensorException.of(ErrorCode.IO, "cannot write: " + e.getMessage()).at(file.toString())
                    .hint("check that the folder exists and is writable").cause(e).build();
        }
    }

    private List<TreeStrategy> strategies(CompiledModel auto) {
        boolean trees = auto.report().trees() > 0;
        if (!trees) {
            return List.of(TreeStrategy.AUTO);
        }
        List<TreeStrategy> out = new ArrayList<>();
        if (strategies.equalsIgnoreCase("all")) {
            out.addAll(org.ml2tensor.compiler.lowering.tree.TreeStrategies.portable());
        } else {
            for (String s : strategies.split(",")) {
                TreeStrategy t = CliValues.parse("--strategies", s, TreeStrategy::fromCli,
                        "all, auto, gemm, tree-traversal, perfect-tree-traversal");
                out.add(t == TreeStrategy.AUTO ? TreeStrategy.fromCli(auto.report().strategy()) : t);
            }
        }
        out.add(TreeStrategy.NATIVE);
        return out;
    }

    private static String label(String strategy, String autoStrategy, boolean nativePeer) {
        if (nativePeer) {
            return "peer: onnxruntime TreeEnsemble";
        }
        return strategy.equals(autoStrategy) ? strategy + " [auto]" : strategy;
    }
}
