package org.ml2tensor.compiler.lowering;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.onnx.DType;
import org.ml2tensor.compiler.onnx.GraphBuilder;

/**
 * State shared by the lowerings of one model: the graph under construction, the options, and the
 * decisions recorded for the compile report.
 */
public final class LoweringContext {
    private final GraphBuilder graph;
    private final CompileOptions options;
    private String strategy = "";
    private String strategyReason = "";
    private long bytesPerRow;
    private long preferredRows;

    public LoweringContext(GraphBuilder graph, CompileOptions options) {
        this.graph = graph;
        this.options = options;
    }

    public GraphBuilder graph() {
        return graph;
    }

    public CompileOptions options() {
        return options;
    }

    /** Element type of real-valued tensors in this graph. */
    public DType real() {
        return options.precision().dtype();
    }

    /** Records the strategy used (the first tree ensemble's, or the model kind). */
    public void recordStrategy(String name, String reason) {
        if (strategy.isEmpty()) {
            strategy = name;
            strategyReason = reason;
        }
    }

    /** Records that the graph holds about {@code bytes} of intermediates per input row (the maximum wins). */
    public void recordBytesPerRow(long bytes) {
        bytesPerRow = Math.max(bytesPerRow, bytes);
    }

    /** Rows per run that keep the recorded intermediates within the tensor limit, or 0 when unbounded. */
    public long maxRowsPerRun() {
        if (bytesPerRow == 0) {
            return 0;
        }
        return Math.max(1, options.maxTensorBytes() / bytesPerRow);
    }

    /** Records a cache-friendly rows-per-run hint (the smallest wins). */
    public void recordPreferredRows(long rows) {
        preferredRows = preferredRows == 0 ? rows : Math.min(preferredRows, rows);
    }

    /** The cache-friendly rows-per-run hint, or 0 when none was recorded. */
    public long preferredRows() {
        return preferredRows;
    }

    public String strategy() {
        return strategy;
    }

    public String strategyReason() {
        return strategyReason;
    }
}
