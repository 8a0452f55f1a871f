package org.ml2tensor.importers.sklearn;

import java.util.Locale;
import java.util.Set;

import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Transformer;
import org.ml2tensor.ir.UFunc;
import org.ml2tensor.importers.pickle.PyGlobal;
import org.ml2tensor.importers.pickle.PyValue;

/**
 * {@code FunctionTransformer} with {@code func=None} (identity) or a numpy ufunc referenced by name
 * ({@code numpy.log1p}, numpy 1.x's {@code numpy.core._multiarray_umath.log1p}, …). Any other function is
 * refused by name: ml2tensor never runs code from a pickle.
 */
final class FunctionTransformerConverter implements SklearnConverter {
    /** Modules numpy's ufuncs are pickled under. */
    static final Set<String> UFUNC_MODULES = Set.of("numpy", "numpy.core._multiarray_umath",
            "numpy._core._multiarray_umath", "numpy.core.umath", "numpy._core.umath");

    static UFunc ufunc(SklearnObject est, String attr) {
        PyValue f = est.optional(attr).orElse(PyValue.PyNone.NONE);
        if (f instanceof PyValue.PyNone) {
            return UFunc.IDENTITY;
        }
        if (f instanceof PyGlobal g && UFUNC_MODULES.contains(g.module())) {
            for (UFunc u : UFunc.values()) {
                if (u != UFunc.IDENTITY && u.name().toLowerCase(Locale.ROOT).equals(g.name())) {
                    return u;
                }
            }
            if (g.name().equals("absolute")) {
                return UFunc.ABS;
            }
        }
        String name = f instanceof PyGlobal g ? g.qualifiedName() : f.typeName();
        throw est.unsupported(attr, est.simpleName() + "(" + attr + "=" + name + ") is not supported",
                "use None or one of the numpy ufuncs log1p, expm1, log, exp, sqrt, abs, square");
    }

    @Override
    public Estimator convert(SklearnObject est, ConversionContext ctx) {
        if (est.has("kw_args")) {
            throw est.unsupported("kw_args", "FunctionTransformer(kw_args=...) is not supported", "use kw_args=None");
        }
        UFunc u = ufunc(est, "func");
        int width = est.count("n_features_in_", 1, Integer.MAX_VALUE);
        return new Transformer.Elementwise(width, u);
    }
}
