package org.ml2tensor.importers.sklearn;

import java.util.ArrayList;
import java.util.List;
import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.ir.Comparison;
import org.ml2tensor.ir.DecisionTree;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.ScoreTransform;
import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.importers.pickle.NdArray;
import org.ml2tensor.importers.pickle.PyValue;

/**
 * {@code GradientBoostingClassifier/Regressor}: {@code raw = init + learning_rate · Σ stages}, with the
 * learning rate folded into the leaves and the initial prediction of {@code init_} (a
 * {@code DummyClassifier} prior, {@code 'zero'}, or a {@code DummyRegressor} constant) as base scores.
 * Handles both the {@code _gb_losses} pickles (sklearn &lt; 1.4) and the {@code _loss} ones.
 */
final class GradientBoostingConverter implements SklearnConverter {
    private static final double EPS32 = Math.ulp(1.0f);

    private final boolean classifier;

    GradientBoostingConverter(boolean classifier) {
        this.classifier = classifier;
    }

    @Override
    public Estimator convert(SklearnObject est, ConversionContext ctx) {
        NdArray stages = est.array("estimators_");
        if (stages.ndim() != 2 || stages.dim(0) < 1 || stages.dim(1) < 1 || !stages.dtype().isObject()) {
            throw est.invalid("estimators_", "expected object[n_stages, K], found " + stages.typeName());
        }
        int k = stages.dim(1);
        double rate = est.number("learning_rate");
        String loss = est.optionalString("loss").orElse(classifier ? "log_loss" : "squared_error");
        ClassLabels labels = classifier ? ClassLabelReader.read(est, "classes_") : null;
        if (classifier) {
            int expected = labels.size() == 2 ? 1 : labels.size();
            if (k != expected) {
                throw est.invalid("estimators_", "has " + k + " trees per stage for " + labels.size() + " classes");
            }
        } else if (k != 1) {
            throw est.invalid("estimators_", "a regressor has " + k + " trees per stage");
        }
        List<PyValue> members = stages.objects();
        List<DecisionTree> trees = new ArrayList<>(members.size());
        int maxTreeFeatures = 0;
        for (int i = 0; i < members.size(); i++) {
            int stage = i / k;
            int column = i % k;
            SklearnObject member = est.child("estimators_", members.get(i),
                    "estimators_[" + stage + ", " + column + "]");
            TreeStructure tree = ctx.tree(member);
            if (tree.outputs() != 1) {
                throw member.invalid("tree_", "a boosting stage tree must have one output");
            }
            maxTreeFeatures = Math.max(maxTreeFeatures, tree.features());
            trees.add(tree.toIr(TreeLeaves.regressionValues(tree, rate), 1, column, null));
        }
        int features = TreeLeaves.featureCount(est, maxTreeFeatures);
        double[] base = initialRaw(est, k, loss);
        if (!classifier) {
            return new TreeEnsemble(trees, features, 1, Comparison.LESS_OR_EQUAL, base, ScoreTransform.IDENTITY,
                    new Head.Regression(1), true);
        }
        ScoreTransform transform = switch (loss) {
            case "exponential" -> ScoreTransform.LOGISTIC_2X;
            case "log_loss", "deviance" -> k == 1 ? ScoreTransform.LOGISTIC : ScoreTransform.SOFTMAX;
            default -> throw est.unsupported("loss", "GradientBoostingClassifier loss '" + loss + "' is not supported",
                    "use loss='log_loss' or 'exponential'");
        };
        return new TreeEnsemble(trees, features, k, Comparison.LESS_OR_EQUAL, base, transform,
                new Head.Classification(labels, true), true);
    }

    /** The raw scores of {@code init_}, as scikit-learn's {@code _init_raw_predictions} computes them. */
    private double[] initialRaw(SklearnObject est, int k, String loss) {
        PyValue init = est.optional("init_").orElse(null);
        if (init == null || init instanceof PyValue.PyStr s && s.value().equals("zero")) {
            return new double[k];
        }
        if (init instanceof PyValue.PyStr s) {
            throw est.unsupported("init_", "init_='" + s.value() + "' is not supported", "use init=None or 'zero'");
        }
        SklearnObject dummy = est.child("init_");
        String name = dummy.simpleName();
        if (!classifier) {
            if (!name.equals("DummyRegressor")) {
                throw est.unsupported("init_", "an init_ estimator of type " + name + " is not supported",
                        "use init=None (a DummyRegressor) or 'zero'");
            }
            double[] c = dummy.doubles("constant_");
            if (c.length != 1) {
                throw dummy.invalid("constant_", "expected one constant, found " + c.length);
            }
            return c;
        }
        if (!name.equals("DummyClassifier")) {
            throw est.unsupported("init_", "an init_ estimator of type " + name + " is not supported",
                    "use init=None (a DummyClassifier prior) or 'zero'");
        }
        double[] p = priorProbabilities(dummy);
        if (k == 1) {
            if (p.length != 2) {
                throw dummy.invalid("class_prior_", "expected 2 class priors, found " + p.length);
            }
            double q = clip(p[1]);
            double logit = Math.log(q / (1 - q));
            return new double[]{loss.equals("exponential") ? 0.5 * logit : logit};
        }
        if (p.length != k) {
            throw dummy.invalid("class_prior_", "expected " + k + " class priors, found " + p.length);
        }
        double[] raw = new double[k];
        double mean = 0;
        for (int i = 0; i < k; i++) {
            raw[i] = Math.log(clip(p[i]));
            mean += raw[i];
        }
        mean /= k;
        if (symmetricMultinomialLink(est)) {
            for (int i = 0; i < k; i++) {
                raw[i] -= mean;
            }
        }
        return raw;
    }

    /** sklearn ≥ 1.4 ({@code _loss} = HalfMultinomialLoss) centres the log priors; older versions do not. */
    private static boolean symmetricMultinomialLink(SklearnObject est) {
        return est.optional("_loss").filter(v -> v instanceof org.ml2tensor.importers.pickle.PyObject)
                .map(v -> ((org.ml2tensor.importers.pickle.PyObject) v).type().module())
                .filter(m -> m.startsWith("sklearn._loss")).isPresent();
    }

    private static double[] priorProbabilities(SklearnObject dummy) {
        String strategy = dummy.optionalString("strategy").orElse("prior");
        double[] prior = dummy.doubles("class_prior_");
        switch (strategy) {
            case "prior" -> {
                return prior;
            }
            case "most_frequent" -> {
                double[] p = new double[prior.length];
                int best = 0;
                for (int i = 1; i < prior.length; i++) {
                    if (prior[i] > prior[best]) {
                        best = i;
                    }
                }
                p[best] = 1;
                return p;
            }
            default -> throw dummy.unsupported("strategy", "DummyClassifier strategy '" + strategy
                    + "' is not supported as init_", "use strategy='prior'");
        }
    }

    private static double clip(double p) {
        return Math.min(Math.max(p, EPS32), 1 - EPS32);
    }
}
