package org.ml2tensor.cli.bench;

import java.util.List;

/**
 * Everything one {@code ml2tensor bench} run measured, rendered by {@link BenchMarkdown} and {@link BenchJson}.
 *
 * @param model        the source model's file name
 * @param description  what the importer read (library, estimator)
 * @param features     input width
 * @param trees        trees in the model (0 for models without trees)
 * @param maxDepth     deepest tree (0 for models without trees)
 * @param threads      ONNX Runtime intra-op threads (and the peers' threads)
 * @param device       the device asked for
 * @param autoStrategy the strategy {@code auto} chose, and {@code autoReason} why
 * @param compiles     one row per strategy compiled (or skipped)
 * @param timings      one row per batch size and candidate
 */
public record BenchReport(String model, String description, int features, int trees, int maxDepth, int threads, String device,
                          String autoStrategy, String autoReason, List<Compile> compiles, List<Timing> timings) {

    /** A strategy's compile: wall time, serialised size, ONNX nodes; or why it was skipped. */
    public record Compile(String label, double millis, long onnxBytes, int graphNodes, String skipped) {
        public static Compile skipped(String label, String why) {
            return new Compile(label, Double.NaN, 0, 0, why);
        }
    }

    /** One candidate at one batch size: a measured cell, or why it was not timed. */
    public record Timing(int batch, String candidate, boolean peer, double rowsPerSecond, double p50Millis,
                         double p99Millis, int calls, double vsBestPeer, String skipped) {
        public static Timing skipped(int batch, String candidate, boolean peer, String why) {
            return new Timing(batch, candidate, peer, Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN, why);
        }
    }
}
