package org.ml2tensor.compiler.lowering;

import java.util.ArrayList;
import java.util.List;

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
    private final List<String> trace = new ArrayList<>();
    private final List<Integer> traceDepth = new ArrayList<>();
    private int depth;
    private final java.util.ArrayDeque<PredictorScores[]> captures = new java.util.ArrayDeque<>();
    private org.ml2tensor.ir.Ensemble baggedLog;
    private org.ml2tensor.ir.LogProbabilities.Kind baggedKind;

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

    private final java.util.Map<Object, org.ml2tensor.compiler.onnx.Value> shared = new java.util.HashMap<>();

    /**
     * The value computed once per graph for {@code key} (e.g. the extended input of sibling forests reading the
     * same input): {@code compute} runs the first time, later calls with an equal key get the same value.
     */
    public org.ml2tensor.compiler.onnx.Value shared(Object key,
                                                     java.util.function.Supplier<org.ml2tensor.compiler.onnx.Value> compute) {
        org.ml2tensor.compiler.onnx.Value v = shared.get(key);
        if (v == null) {
            v = compute.get();
            shared.put(key, v);
        }
        return v;
    }

    /** Records one line of the lowered step graph (for {@code inspect}), at the current nesting depth. */
    public void trace(String line) {
        trace.add(line);
        traceDepth.add(depth);
    }

    /** Number of trace lines so far (the index the next {@link #trace} line gets). */
    int traceSize() {
        return trace.size();
    }

    /** Appends the number of ONNX nodes a step emitted to its trace line {@code index}. */
    void traceOps(int index, int nodes) {
        if (index < trace.size()) {
            trace.set(index, trace.get(index) + " [" + nodes + " nodes]");
        }
    }

    void enter() {
        depth++;
    }

    void leave() {
        depth--;
    }

    /**
     * Runs {@code lowering} (the ordinary lowering of a predictor or pipeline) with {@link HeadLowering}
     * handing the predictor's {@link PredictorScores} back here instead of declaring graph outputs: this is
     * how a meta-estimator lowers its members. Captures nest (a member may itself be a meta-estimator).
     */
    public PredictorScores capture(Runnable lowering) {
        return capture(lowering, null);
    }

    /**
     * Runs {@code lowering} with {@code slot} on top of the capture stack: scores it hands over land in
     * {@code slot}, graph outputs it declares are taken (not added to the graph) and returned by name.
     */
    private java.util.Map<String, org.ml2tensor.compiler.onnx.Value> runCapturing(Runnable lowering,
            PredictorScores[] slot) {
        java.util.Map<String, org.ml2tensor.compiler.onnx.Value> declared = new java.util.LinkedHashMap<>();
        captures.push(slot);
        var previous = graph.interceptOutputs((name, v) -> {
            if (captures.peek() != slot) {
                return false;
            }
            declared.put(name, v);
            return true;
        });
        try {
            lowering.run();
        } finally {
            captures.pop();
            graph.interceptOutputs(previous);
        }
        return declared;
    }

    /**
     * The class index {@code [N]} a classifier's lowering gives: from the scores it hands over (its label index,
     * else the head's rule), or read back from the {@code label} it declares (a lowering such as k-NN's that
     * declares a label and nothing else).
     */
    org.ml2tensor.compiler.onnx.Value captureLabelIndex(Runnable lowering, org.ml2tensor.ir.ClassLabels labels) {
        PredictorScores[] slot = new PredictorScores[1];
        java.util.Map<String, org.ml2tensor.compiler.onnx.Value> declared = runCapturing(lowering, slot);
        GraphBuilder g = graph;
        if (slot[0] != null) {
            PredictorScores l = slot[0];
            if (l.labelIndex() != null) {
                return l.labelIndex();
            }
            org.ml2tensor.compiler.onnx.Value raw = l.raw();
            return raw.shape().size(1) == 1
                    ? g.cast(g.squeeze(g.greater(raw, g.scalar(raw.dtype(), 0.0)), 1),
                            org.ml2tensor.compiler.onnx.DType.INT64)
                    : g.argMax(raw, 1);
        }
        org.ml2tensor.compiler.onnx.Value label = declared.get(org.ml2tensor.contract.ModelContract.LABEL);
        if (label == null) {
            throw GraphChecks.defect("the labeller declared no label");
        }
        if (labels instanceof org.ml2tensor.ir.ClassLabels.Strings st) {
            long[] codes = new long[st.size()];
            for (int i = 0; i < codes.length; i++) {
                codes[i] = i;
            }
            return g.labelEncoder(label, st.values(), codes, -1);
        }
        long[] v = ((org.ml2tensor.ir.ClassLabels.Ints) labels).values();
        org.ml2tensor.compiler.onnx.Value hit = g.equal(g.unsqueeze(label, 1), g.longs("classes", v, 1, v.length));
        return g.argMax(g.cast(hit, org.ml2tensor.compiler.onnx.DType.FLOAT), 1);
    }

    /**
     * As {@link #capture(Runnable)}; a predictor whose lowering declares its graph outputs itself (instead of
     * handing scores to {@link HeadLowering}) has them taken here and read back as scores of {@code member}'s
     * head: {@code probabilities}, else {@code scores} (its decision values), else {@code variable}, with the
     * class index recovered from {@code label}.
     */
    public PredictorScores capture(Runnable lowering, org.ml2tensor.ir.Predictor member) {
        PredictorScores[] slot = new PredictorScores[1];
        java.util.Map<String, org.ml2tensor.compiler.onnx.Value> declared = runCapturing(lowering, slot);
        if (slot[0] == null && member != null && !declared.isEmpty()) {
            slot[0] = DeclaredOutputs.scores(this, declared, member);
        }
        if (slot[0] == null) {
            throw GraphChecks.defect("a member of a meta-estimator produced no scores");
        }
        return slot[0];
    }

    /**
     * While {@code lowering} runs, the ensemble {@code bag} delivers its members' log-probabilities combined as
     * BaggingClassifier's {@code predict_log_proba} does ({@code kind}), instead of its mean probabilities.
     */
    void withBaggedLog(org.ml2tensor.ir.Ensemble bag, org.ml2tensor.ir.LogProbabilities.Kind kind, Runnable lowering) {
        org.ml2tensor.ir.Ensemble before = baggedLog;
        org.ml2tensor.ir.LogProbabilities.Kind beforeKind = baggedKind;
        baggedLog = bag;
        baggedKind = kind;
        try {
            lowering.run();
        } finally {
            baggedLog = before;
            baggedKind = beforeKind;
        }
    }

    /** The bagged log-probability kind requested for exactly this ensemble (identity), or null. */
    org.ml2tensor.ir.LogProbabilities.Kind baggedLogFor(org.ml2tensor.ir.Ensemble e) {
        return baggedLog == e ? baggedKind : null;
    }

    /** Hands scores to the innermost {@link #capture}; false when nothing captures (declare outputs). */
    boolean deliver(PredictorScores scores) {
        PredictorScores[] slot = captures.peek();
        if (slot == null) {
            return false;
        }
        if (slot[0] != null) {
            throw GraphChecks.defect("a member of a meta-estimator produced scores twice");
        }
        slot[0] = scores;
        return true;
    }

    /** The lowered step graph, one indented line per step, in lowering order. */
    public List<String> traceLines() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < trace.size(); i++) {
            out.add("  ".repeat(traceDepth.get(i)) + trace.get(i));
        }
        return out;
    }
}
