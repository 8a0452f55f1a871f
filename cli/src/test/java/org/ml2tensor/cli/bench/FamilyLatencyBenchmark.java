package org.ml2tensor.cli.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import ai.onnxruntime.OrtEnvironment;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.CompiledModel;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.importers.ModelFormat;
import org.ml2tensor.importers.ModelImporter;
import org.ml2tensor.ir.ModelIr;

/**
 * Small-batch latency of models without trees (linear, SVM, KNN, MLP, naive Bayes): {@link
 * org.ml2tensor.runtime.Predictor} against a plain ONNX Runtime session of the same compiled graph, interleaved in
 * one JVM like {@link LatencyBenchmark} (whose table it prints, one per model and batch). Usage: {@code
 * FamilyLatencyBenchmark BATCHES ROUNDS CALLS THREADS DIR...}, each DIR holding {@code model.pkl} and
 * {@code input.csv} (a conformance fixture).
 */
public final class FamilyLatencyBenchmark {
    private FamilyLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int[] batches = java.util.Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray();
        int rounds = Integer.parseInt(args[1]);
        int calls = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int maxBatch = java.util.Arrays.stream(batches).max().orElse(1);
        System.out.println("| batch | candidate | ONNX nodes | p50 µs (median of rounds) | × plain session (median) | spread (min–max) |");
        System.out.println("|---:|---|---:|---:|---:|---|");
        for (int a = 4; a < args.length; a++) {
            Path dir = Path.of(args[a]);
            Path model = dir.resolve("model.pkl");
            ModelIr ir = ModelImporter.load(model, ModelImporter.resolve(model, ModelFormat.AUTO));
            float[] rows = LatencyBenchmark.csv(dir.resolve("input.csv"), ir.featureCount(), maxBatch);
            CompiledModel m = ModelCompiler.compile(ir, CompileOptions.defaults());
            String name = dir.getFileName().toString().replaceAll("__skl.*$", "");
            for (int batch : batches) {
                Map<String, LatencyBenchmark.Runner> runners = new LinkedHashMap<>();
                Map<String, Integer> nodes = new LinkedHashMap<>();
                try {
                    runners.put(name + ", plain session", LatencyBenchmark.plain(env, m.onnx(), threads, "default"));
                    runners.put(name + ", Predictor", LatencyBenchmark.predictor(m.onnx(), threads, maxBatch, true));
                    runners.keySet().forEach(k -> nodes.put(k, m.report().graphNodes()));
                    System.out.println(String.format(Locale.ROOT, "<!-- %s: %s, %s input -->", name,
                            m.report().estimator(), m.report().inputType()));
                    LatencyBenchmark.report(batch, runners, nodes, rows, ir.featureCount(), rounds, calls);
                } finally {
                    for (LatencyBenchmark.Runner r : runners.values()) {
                        r.close();
                    }
                }
            }
        }
    }
}
