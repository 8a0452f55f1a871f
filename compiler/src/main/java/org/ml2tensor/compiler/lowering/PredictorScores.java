package org.ml2tensor.compiler.lowering;

import org.ml2tensor.compiler.onnx.Value;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.ScoreTransform;

/**
 * What a lowered predictor hands to {@link HeadLowering}: its raw scores {@code [N, k]} (scikit-learn's
 * {@code decision_function} where it has one), the transform to its output values and its head. A
 * meta-estimator captures this triple from each member ({@link LoweringContext#capture}) instead of letting
 * the member declare graph outputs, and derives from it whichever response it needs (labels, probabilities,
 * decision values, regression values).
 */
public record PredictorScores(Value raw, ScoreTransform transform, Head head) {
}
