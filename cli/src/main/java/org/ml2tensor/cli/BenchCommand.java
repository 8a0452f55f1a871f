package org.ml2tensor.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import org.ml2tensor.runtime.SyntheticRows;
import org.ml2tensor.cli.bench.BenchRunner;
import org.ml2tensor.cli.bench.Candidate;
import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.CompiledModel;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.compiler.Target;
import org.ml2tensor.compiler.TreeStrategy;
import org.ml2tensor.compiler.ir.ModelIr;
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

    @Option(names = "--seconds", defaultValue = "2", paramLabel = "S",
            description = "Measuring time per candidate and batch size (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--no-reference", description = "Leave out the single-threaded EJML reference peer.")
    boolean noReference;

    @Option(names = "--markdown", paramLabel = "FILE", description = "Also write the tables as Markdown to FILE.")
    Path markdown;

    @Mixin
    RunSettings run;

    @Mixin
    CompileSettings compile;

    @Override
    public Integer call() throws Exception {
        ModelFormat format = ModelImporter.resolve(model, compile.format());
        ModelIr ir = ModelImporter.load(model, format);
        int threads = run.threads > 0 ? run.threads : 2;
        int maxBatch = batches.stream().mapToInt(Integer::intValue).max().orElse(1);
        PredictorOptions po = PredictorOptions.builder().device(run.device()).parallelRuns(threads).intraOpThreads(1)
                .batchSize(Math.max(maxBatch, 1)).build();
        CompileOptions base = compile.options();
        StringBuilder md = new StringBuilder();
        md.append("### ").append(model.getFileName()).append("\n\n")
                .append("Model: ").append(ir.source().description()).append(", ").append(ir.featureCount())
                .append(" features. Threads: ").append(threads).append(". Device: ").append(run.device).append(".\n\n");

        // Compile every strategy: time, size, chosen by auto.
        ModelCompiler.compile(ir, base.withStrategy(TreeStrategy.AUTO));
        CompiledModel auto = ModelCompiler.compile(ir, base.withStrategy(TreeStrategy.AUTO));
        String autoStrategy = auto.report().strategy();
        Map<String, CompiledModel> compiled = new LinkedHashMap<>();
        md.append("| strategy | compile ms | .onnx bytes | ONNX nodes |\n|---|---:|---:|---:|\n");
        for (TreeStrategy s : strategies(auto)) {
            CompileOptions o = base.withStrategy(s).withTarget(s == TreeStrategy.NATIVE ? Target.CPU_NATIVE : base.target());
            long t0 = System.nanoTime();
            CompiledModel m;
            try {
                m = ModelCompiler.compile(ir, o);
            } catch (Ml2TensorException e) {
                if (e.code() == ErrorCode.LIMIT_EXCEEDED) {
                    md.append("| ").append(s.cliName()).append(" | skipped: ").append(e.bareMessage()).append(" | | |\n");
                    continue;
                }
                throw e;
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            String label = label(m.report().strategy(), autoStrategy, s == TreeStrategy.NATIVE);
            compiled.put(label, m);
            md.append(String.format(Locale.ROOT, "| %s | %.0f | %d | %d |%n", label, ms, m.report().onnxBytes(),
                    m.report().graphNodes()));
        }
        md.append('\n');

        List<Candidate> candidates = new ArrayList<>();
        try {
            for (Map.Entry<String, CompiledModel> e : compiled.entrySet()) {
                candidates.add(newOrtCandidate(e.getKey(), e.getKey().startsWith("peer:"), e.getValue().onnx(), po));
            }
            if (format == ModelFormat.XGBOOST) {
                candidates.add(newPeer("xgboost", model, ir.featureCount(), threads));
            } else if (format == ModelFormat.LIGHTGBM) {
                candidates.add(newPeer("lightgbm", model, ir.featureCount(), threads));
            }
            if (!noReference) {
                candidates.add(newReference(ir));
            }
            float[] rows = SyntheticRows.generate(ir, maxBatch, 42);
            md.append("| batch | candidate | rows/s | p50 ms | p99 ms | calls | vs best peer |\n")
                    .append("|---:|---|---:|---:|---:|---:|---:|\n");
            for (int batch : batches) {
                List<BenchRunner.Cell> cells = BenchRunner.run(candidates, rows, ir.featureCount(), batch,
                        (long) (seconds * 1e9), 3, batch == 1 ? 5000 : 1000);
                double bestPeer = cells.stream().filter(BenchRunner.Cell::peer)
                        .mapToDouble(BenchRunner.Cell::rowsPerSecond).max().orElse(Double.NaN);
                for (BenchRunner.Cell c : cells) {
                    md.append(String.format(Locale.ROOT, "| %d | %s | %,.0f | %.3f | %.3f | %d | %.2f× |%n", batch,
                            c.candidate(), c.rowsPerSecond(), c.p50Millis(), c.p99Millis(), c.nanos().length,
                            c.rowsPerSecond() / bestPeer));
                }
            }
        } finally {
            for (Candidate c : candidates) {
                c.close();
            }
        }
        System.out.print(md);
        if (markdown != null) {
            try {
                Files.writeString(markdown, md.toString(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw Ml2TensorException.of(ErrorCode.IO, "cannot write: " + e.getMessage()).at(markdown.toString())
                        .cause(e).build();
            }
        }
        return 0;
    }

    private List<TreeStrategy> strategies(CompiledModel auto) {
        boolean trees = auto.report().trees() > 0;
        if (!trees) {
            return List.of(TreeStrategy.AUTO);
        }
        List<TreeStrategy> out = new ArrayList<>();
        if (strategies.equalsIgnoreCase("all")) {
            out.addAll(List.of(TreeStrategy.GEMM, TreeStrategy.TREE_TRAVERSAL, TreeStrategy.PERFECT_TREE_TRAVERSAL));
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

    private static Candidate newOrtCandidate(String name, boolean peer, byte[] onnx, PredictorOptions po) {
        return org.ml2tensor.cli.bench.Candidates.ort(name, peer, onnx, po);
    }

    private static Candidate newPeer(String kind, Path file, int width, int threads) throws Exception {
        return kind.equals("xgboost") ? org.ml2tensor.cli.bench.Candidates.xgboost(file, width, threads)
                : org.ml2tensor.cli.bench.Candidates.lightgbm(file, width, threads);
    }

    private static Candidate newReference(ModelIr ir) {
        return org.ml2tensor.cli.bench.Candidates.reference(ir);
    }
}
