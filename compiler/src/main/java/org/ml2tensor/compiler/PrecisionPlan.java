package org.ml2tensor.compiler;

import java.util.ArrayList;
import java.util.List;

import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.LinearModel;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.ir.Pipeline;
import org.ml2tensor.ir.Transformer;
import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.compiler.onnx.DType;

/**
 * Which element type each step of a model computes in, derived from the {@link Precision} option and
 * what the source library does:
 * <ul>
 *   <li>scikit-learn transformers and linear models compute in float64;</li>
 *   <li>scikit-learn's trees and XGBoost round the input to float32 and compare it with float32-exact
 *       thresholds ({@link TreeEnsemble#float32Inputs()});</li>
 *   <li>LightGBM and HistGradientBoosting compare float64 features with float64 thresholds.</li>
 * </ul>
 * With {@link Precision#AUTO} the graph input is float64 unless the whole model is a tree ensemble
 * whose library compares in float32 (then float32 input, float32 leaf sums); everything after the input
 * computes in the input type, and each tree ensemble compares in its library's type (a Cast where the
 * library casts). {@link Precision#FLOAT32} puts everything in float32 and lists the steps that are no
 * longer exact; {@link Precision#FLOAT64} puts everything in float64.
 */
public final class PrecisionPlan {
    private final Precision precision;
    private final DType input;
    private final List<String> inexact;

    private PrecisionPlan(Precision precision, DType input, List<String> inexact) {
        this.precision = precision;
        this.input = input;
        this.inexact = List.copyOf(inexact);
    }

    public static PrecisionPlan of(ModelIr ir, Precision precision) {
        return switch (precision) {
            case FLOAT64 -> new PrecisionPlan(precision, DType.DOUBLE, List.of());
            case FLOAT32 -> new PrecisionPlan(precision, DType.FLOAT, fastModeLosses(ir));
            case AUTO -> new PrecisionPlan(precision,
                    unwrapped(ir.estimator()) instanceof TreeEnsemble t && t.float32Inputs() ? DType.FLOAT : DType.DOUBLE,
                    List.of());
        };
    }

    /** The classifier of a {@code predict_log_proba} model (its precision is the classifier's), else {@code e}. */
    private static Estimator unwrapped(Estimator e) {
        return e instanceof org.ml2tensor.ir.LogProbabilities l ? l.classifier() : e;
    }

    public Precision precision() {
        return precision;
    }

    /** Element type of the graph input and of all arithmetic (transformers, linear scores, leaf sums). */
    public DType input() {
        return input;
    }

    /** Element type in which {@code e} compares features with thresholds. */
    public DType comparison(TreeEnsemble e) {
        if (precision == Precision.FLOAT32 || e.float32Inputs()) {
            return DType.FLOAT;
        }
        return DType.DOUBLE;
    }

    /** Steps whose results are no longer the library's, each with the reason (empty unless fast mode). */
    public List<String> inexactSteps() {
        return inexact;
    }

    private static List<String> fastModeLosses(ModelIr ir) {
        List<String> out = new ArrayList<>();
        String library = libraryName(ir.source().format());
        Estimator e = unwrapped(ir.estimator());
        if (e instanceof Pipeline p) {
            for (int i = 0; i < p.steps().size(); i++) {
                String loss = transformerLoss(p.steps().get(i));
                if (loss != null) {
                    out.add("step " + i + " (" + stepName(p.steps().get(i)) + "): " + loss);
                }
            }
            e = p.last();
            String last = finalLoss(e, library);
            if (last != null) {
                out.add("step " + p.steps().size() + " (" + stepName(e) + "): " + last);
            }
        } else {
            String loss = e instanceof Transformer t ? transformerLoss(t) : finalLoss(e, library);
            if (loss != null) {
                out.add(stepName(e) + ": " + loss);
            }
        }
        return out;
    }

    private static String transformerLoss(Transformer t) {
        if (t instanceof Transformer.Impute) {
            return null; // NaN is replaced by the fill value: the same float32 the library's next cast makes
        }
        return "scikit-learn computes it in float64; float32 arithmetic rounds differently, so a value next"
                + " to a split threshold or decision boundary of a later step can change sides";
    }

    private static String finalLoss(Estimator e, String library) {
        if (e instanceof org.ml2tensor.ir.Ensemble m) {
            return m.kind() + " combines its members' scores in float64 in scikit-learn; float32 scores differ by"
                    + " about 1e-7 relative and labels can change where two classes nearly tie";
        }
        if (e instanceof org.ml2tensor.ir.MultiTarget m) {
            return m.kind() + " (" + m.members().size() + " targets): each target's classifier computes its scores"
                    + " in float64 in scikit-learn; float32 scores differ by about 1e-7 relative and labels can change"
                    + " where two classes nearly tie";
        }
        if (e instanceof LinearModel) {
            return "scikit-learn computes scores in float64; float32 scores differ by about 1e-7 relative and"
                    + " labels can change where two classes nearly tie";
        }
        if (e instanceof org.ml2tensor.ir.QuadraticModel) {
            return "scikit-learn computes squared distances and log-likelihoods in float64; float32 differs by about 1e-7 relative and labels can change where two classes nearly tie";
        }
        if (e instanceof TreeEnsemble t && !t.float32Inputs()) {
            return library + " compares float64 features with float64 thresholds; a float32 input that rounds"
                    + " across a threshold (e.g. 1.182 → 1.18200004 against 1.1820000000000002) takes the other"
                    + " branch";
        }
        return null;
    }

    /** A short name of a step for the messages. */
    static String stepName(Estimator e) {
        if (e instanceof Transformer.Affine a) {
            return a.form() == Transformer.Affine.Form.MULTIPLY_ADD ? "scaler x*scale+offset" : "scaler (x-offset)/scale";
        }
        if (e instanceof Transformer.Projection) {
            return "projection";
        }
        if (e instanceof Transformer.Impute) {
            return "imputer";
        }
        if (e instanceof LinearModel) {
            return "linear model";
        }
        return e instanceof TreeEnsemble ? "tree ensemble" : e.getClass().getSimpleName();
    }

    private static String libraryName(String format) {
        return switch (format) {
            case "lightgbm" -> "LightGBM";
            case "sklearn" -> "HistGradientBoosting";
            case "xgboost" -> "XGBoost";
            default -> "the library";
        };
    }
}
