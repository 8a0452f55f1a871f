package org.ml2tensor.importers.sklearn;

import org.ml2tensor.compiler.ir.Estimator;

/** Turns one kind of pickled scikit-learn estimator into an IR estimator. */
@FunctionalInterface
public interface SklearnConverter {
    /**
     * @param estimator the pickled estimator, with typed accessors that report its object path
     * @param context   gives access to nested estimators (pipelines, ensembles) and shared decoding
     */
    Estimator convert(SklearnObject estimator, ConversionContext context);
}
