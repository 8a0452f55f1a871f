package org.ml2tensor.compiler.lowering;

import org.ml2tensor.compiler.onnx.Value;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.ScoreTransform;

/**
 * What a lowered predictor hands to {@link HeadLowering}: its raw scores {@code [N, k]} (scikit-learn's
 * {@code decision_function} where it has one), the transform to its output values and its head. A
 * meta-estimator captures this triple from each member ({@link LoweringContext#capture}) instead of letting
 * the member declare graph outputs, and derives from it whichever response it needs (labels, probabilities,
 * decision values, regression values). {@code labelIndex}, when not null, is the class index {@code [N]}
 * (int64) where the library's label does not follow from {@code raw} by the head's rule (OneVsRest's tie rule);
 * {@code probabilitiesOnly} marks scores read back from a member's declared probabilities, which carry no
 * decision values.
 */
public record PredictorScores(Value raw, ScoreTransform transform, Head head, Value labelIndex,
                              boolean probabilitiesOnly) {
    /** Scores whose label is the head's rule over {@code raw} (margin sign or first maximum). */
    public PredictorScores(Value raw, ScoreTransform transform, Head head) {
        this(raw, transform, head, null, false);
    }

    public PredictorScores(Value raw, ScoreTransform transform, Head head, Value labelIndex) {
        this(raw, transform, head, labelIndex, false);
    }
}
