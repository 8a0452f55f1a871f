package org.ml2tensor.importers.sklearn;

import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.LinearModel;
import org.ml2tensor.ir.ScoreTransform;

/**
 * {@code SGDClassifier}: with {@code loss='log_loss'} (1.2's {@code 'log'}) the outputs are
 * {@code predict_proba}'s one-vs-rest logistic probabilities (binary {@code [1-σ(d), σ(d)]}, multiclass σ(d_k)
 * divided by the row sum); with {@code 'modified_huber'} {@code (clip(d,-1,1)+1)/2}, normalised the same way
 * (a zero row becomes uniform); with any other loss there is no {@code predict_proba}, so the outputs are the
 * decision values. Labels always come from the decision values ({@code predict}).
 */
final class SgdClassifierConverter implements SklearnConverter {
    @Override
    public Estimator convert(SklearnObject est, ConversionContext ctx) {
        ClassLabels labels = ClassLabelReader.read(est, "classes_");
        LinearParts p = LinearParts.read(est);
        p.requireInputs(est, TreeLeaves.featureCount(est, p.inputs()));
        int expected = labels.size() == 2 ? 1 : labels.size();
        if (p.outputs() != expected) {
            throw est.invalid("coef_", "expected " + expected + " coefficient rows for " + labels.size()
                    + " classes, found " + p.outputs());
        }
        String loss = est.optionalString("loss").orElse("hinge");
        ScoreTransform t = switch (loss) {
            case "log_loss", "log" -> expected == 1 ? ScoreTransform.LOGISTIC : ScoreTransform.LOGISTIC_NORMALIZED;
            case "modified_huber" -> ScoreTransform.MODIFIED_HUBER;
            default -> ScoreTransform.IDENTITY;
        };
        return new LinearModel(p.weights(), p.intercepts(), t,
                new Head.Classification(labels, t != ScoreTransform.IDENTITY));
    }
}
