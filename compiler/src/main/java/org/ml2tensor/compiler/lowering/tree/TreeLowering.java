package org.ml2tensor.compiler.lowering.tree;

import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.compiler.lowering.LoweringContext;
import org.ml2tensor.compiler.onnx.Value;

/** One way of lowering a tree ensemble to ONNX ops, producing raw scores {@code [N, C]}. */
interface TreeLowering {
    /**
     * @param xext   the extended input ({@link FeatureLayout})
     * @param layout how node splits map onto {@code xext} columns
     */
    Value rawScores(LoweringContext ctx, TreeEnsemble ensemble, FeatureLayout layout, Value xext);
}
