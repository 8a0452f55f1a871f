package org.ml2tensor.importers.sklearn;

import java.util.ArrayList;
import java.util.List;

import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.Pipeline;
import org.ml2tensor.ir.Predictor;
import org.ml2tensor.ir.TargetTransform;
import org.ml2tensor.ir.Transformer;
import org.ml2tensor.ir.UFunc;

/**
 * {@code TransformedTargetRegressor}: {@code transformer_.inverse_transform(regressor_.predict(X))}. The
 * inverse is known for a {@code FunctionTransformer} whose {@code inverse_func} is None or a numpy ufunc (what
 * {@code func=}/{@code inverse_func=} build), and for the fitted scalers (StandardScaler, RobustScaler:
 * {@code X *= scale_; X += center}; MinMaxScaler: {@code X -= min_; X /= scale_}; MaxAbsScaler:
 * {@code X *= scale_}); arbitrary Python functions are refused by name.
 */
final class TransformedTargetRegressorConverter implements SklearnConverter {
    @Override
    public Estimator convert(SklearnObject est, ConversionContext ctx) {
        Estimator regressor = ctx.convert(est.child("regressor_"));
        Estimator last = regressor instanceof Pipeline p ? p.last() : regressor;
        if (!(last instanceof Predictor p) || !(p.head() instanceof Head.Regression)) {
            throw est.unsupported("regressor_", "TransformedTargetRegressor needs a regressor, not "
                    + last.getClass().getSimpleName(), "use a regressor");
        }
        int targets = regressor.outputWidth();
        SklearnObject t = est.child("transformer_");
        Transformer inverse;
        if (t.simpleName().equals("FunctionTransformer")) {
            if (t.has("inv_kw_args") && !(t.get("inv_kw_args") instanceof org.ml2tensor.importers.pickle.PyValue.PyNone)) {
                throw t.unsupported("inv_kw_args", "FunctionTransformer(inv_kw_args=...) is not supported",
                        "use inv_kw_args=None");
            }
            UFunc u = FunctionTransformerConverter.ufunc(t, "inverse_func");
            inverse = new Transformer.Elementwise(targets, u);
        } else {
            Transformer forward = ctx.transformer(t);
            if (!(forward instanceof Transformer.Affine a)) {
                throw t.unsupported("inverse_transform", "the inverse of " + t.simpleName() + " is not supported"
                        + " as a target transformer", "use a scaler (StandardScaler, MinMaxScaler, MaxAbsScaler,"
                        + " RobustScaler) or func=/inverse_func= numpy ufuncs");
            }
            inverse = invert(a);
        }
        if (inverse.inputWidth() != targets) {
            throw est.invalid("transformer_", "the target transformer reads " + inverse.inputWidth()
                    + " columns for " + targets + " targets");
        }
        return new TargetTransform(regressor, inverse);
    }

    /** The scalers' {@code inverse_transform}, in their operation order. */
    static Transformer.Affine invert(Transformer.Affine a) {
        Transformer.Affine.Form inverse = a.form() == Transformer.Affine.Form.SUBTRACT_DIVIDE
                ? Transformer.Affine.Form.MULTIPLY_ADD : Transformer.Affine.Form.SUBTRACT_DIVIDE;
        return new Transformer.Affine(inverse, a.offset(), a.scale());
    }

    @Override
    public List<SklearnObject> children(SklearnObject est) {
        List<SklearnObject> out = new ArrayList<>();
        out.add(est.child("regressor_"));
        if (est.has("transformer_")) {
            out.add(est.child("transformer_"));
        }
        return out;
    }
}
