package org.ml2tensor.compiler.lowering.tree;

import java.util.List;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.TreeStrategy;
import org.ml2tensor.compiler.lowering.LoweringContext;
import org.ml2tensor.compiler.onnx.DType;
import org.ml2tensor.compiler.onnx.Value;
import org.ml2tensor.ir.TreeEnsemble;

/**
 * One way of lowering a tree ensemble to ONNX ops, producing raw scores {@code [N, C]}. A plug-in describes
 * itself completely, so that the selector ({@code auto}), the tuner ({@code tuned}), the size guards and the
 * runtime's chunking never special-case a strategy: it owns its feature layout, declares every constant
 * table it emits (checked against {@code --max-tensor-bytes} before anything is allocated) and estimates
 * its live intermediates per input row. Plug-ins are registered once, in {@link TreeStrategies}.
 */
interface TreeStrategyPlugin {

    /** The strategy this plug-in implements (one concrete {@link TreeStrategy} constant). */
    TreeStrategy strategy();

    /** Whether the graph uses standard ONNX ops only and so runs on every execution provider. */
    default boolean portable() {
        return true;
    }

    /** Why a strategy cannot be used under some options, and what to do instead. */
    record Unavailable(String why, String hint) {
    }

    /**
     * Null when this strategy can lower an ensemble that compares in {@code comparison} under {@code o}
     * (target, precision), else why not.
     */
    default Unavailable unavailable(CompileOptions o, DType comparison) {
        return null;
    }

    /** How node splits map onto the columns of the extended input this strategy reads. */
    FeatureLayout layout(TreeEnsemble e);

    /**
     * Every constant table the lowering will emit (and, where they grow with the expected batch, the
     * intermediates), sized for graph arithmetic in {@code real}; {@link TreeLimits#overLimit} checks them.
     */
    List<TreeLimits.Table> tables(TreeEnsemble e, CompileOptions o, DType real);

    /** Bytes of live intermediates per input row (the runtime sizes its runs with it). */
    long bytesPerRow(TreeEnsemble e, CompileOptions o, DType real);

    /**
     * Emits the ops. Called only after {@link #tables} passed the limits.
     *
     * @param xext   the extended input of {@link #layout}
     * @param layout the layout {@link #layout} returned for {@code e}
     */
    Value rawScores(LoweringContext ctx, TreeEnsemble e, FeatureLayout layout, Value xext);
}
