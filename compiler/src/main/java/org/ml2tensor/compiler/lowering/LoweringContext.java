package org.ml2tensor.compiler.lowering;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.PrecisionPlan;
import org.ml2tensor.compiler.onnx.DType;
import org.ml2tensor.compiler.onnx.GraphBuilder;

/**
 * State shared by the lowerings of one model: the graph under construction, the options, and the
 * decisions recorded for the compile report.
 */
public final class LoweringContext {
    private final GraphBuilder graph;
    private final CompileOptions options;
    private final PrecisionPlan plan;
    private DType comparison;
    private String strategy = "";
    private String strategyReason = "";
    private long bytesPerRow;
    private long preferredRows;

    public LoweringContext(GraphBuilder graph, CompileOptions options, PrecisionPlan plan) {
        this.graph = graph;
        this.options = options;
        this.plan = plan;
        this.comparison = plan.input();
    }

    public GraphBuilder graph() {
        return graph;
    }

    public CompileOptions options() {
        return options;
    }

    /** Element type of real-valued tensors in this graph (the input's: see {@link PrecisionPlan}). */
    public DType real() {
        return plan.input();
    }

    /** Which type each step computes in. */
    public PrecisionPlan plan() {
        return plan;
    }

    /** Element type in which the tree ensemble being lowered compares features with thresholds. */
    public DType comparison() {
        return comparison;
    }

    /** Sets the comparison type for the tree ensemble about to be lowered. */
    public void compareIn(DType type) {
        comparison = type;
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
