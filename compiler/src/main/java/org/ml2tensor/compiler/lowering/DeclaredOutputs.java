package org.ml2tensor.compiler.lowering;

import java.util.Map;

import org.ml2tensor.compiler.onnx.DType;
import org.ml2tensor.compiler.onnx.GraphBuilder;
import org.ml2tensor.compiler.onnx.Value;
import org.ml2tensor.contract.ModelContract;
import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.Predictor;
import org.ml2tensor.ir.ScoreTransform;

/**
 * Reads back, as {@link PredictorScores}, the graph outputs a member's lowering declared itself (lowerings
 * that do not go through {@link HeadLowering}: SVM, MLP, k-NN). Their raw scores are then the declared
 * probabilities (or decision values, or values): a meta-estimator that asks such a member for a response it
 * did not declare (e.g. the decision values of an SVC with probabilities) is refused by the lowering.
 */
final class DeclaredOutputs {
    /** Marks scores read back from declared probabilities (no decision values available). */
    static final String PROBABILITIES_ONLY = "probabilities-only";

    private DeclaredOutputs() {
    }

    static PredictorScores scores(LoweringContext ctx, Map<String, Value> declared, Predictor member) {
        GraphBuilder g = ctx.graph();
        if (member.head() instanceof Head.Regression r) {
            Value v = declared.get(ModelContract.VARIABLE);
            if (v == null) {
                throw GraphChecks.defect("a regressor member declared no values");
            }
            return new PredictorScores(v.rank() == 1 ? g.unsqueeze(v, 1) : v, ScoreTransform.IDENTITY, r);
        }
        if (!(member.head() instanceof Head.Classification c)) {
            throw GraphChecks.defect("an outlier detector cannot be a member of a meta-estimator");
        }
        Value proba = declared.get(ModelContract.PROBABILITIES);
        Value scores = declared.get(ModelContract.SCORES);
        Value label = declared.get(ModelContract.LABEL);
        Value raw = proba != null ? proba : scores;
        if (raw == null || label == null) {
            throw GraphChecks.defect("a classifier member declared no label and scores");
        }
        Value index = indexOf(g, c.labels(), label);
        return new PredictorScores(raw, ScoreTransform.IDENTITY,
                new Head.Classification(c.labels(), proba != null), index, proba != null && scores == null);
    }

    /** The class index of each label: an Equal against the class labels (a lookup for string labels). */
    private static Value indexOf(GraphBuilder g, ClassLabels labels, Value label) {
        if (labels instanceof ClassLabels.Strings s) {
            long[] codes = new long[s.size()];
            for (int i = 0; i < codes.length; i++) {
                codes[i] = i;
            }
            return g.labelEncoder(label, s.values(), codes, -1);
        }
        long[] v = ((ClassLabels.Ints) labels).values();
        Value hit = g.equal(g.unsqueeze(label, 1), g.longs("classes", v, 1, v.length));
        return g.argMax(g.cast(hit, DType.FLOAT), 1);
    }
}
