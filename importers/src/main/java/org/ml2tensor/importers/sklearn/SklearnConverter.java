package org.ml2tensor.importers.sklearn;

import java.util.List;

import org.ml2tensor.ir.Estimator;

/**
 * Turns one kind of pickled scikit-learn estimator into an IR estimator. One implementation per
 * scikit-learn class (or a small family sharing one formula), registered by class name in
 * {@link SklearnRegistry#standard()}.
 */
public interface SklearnConverter {
    /**
     * @param estimator the pickled estimator, with typed accessors that report its object path
     * @param context   gives access to nested estimators (pipelines, ensembles) and shared decoding
     */
    Estimator convert(SklearnObject estimator, ConversionContext context);

    /**
     * The nested estimators this one converts (pipeline steps, column-transformer entries, …), so that
     * every unsupported estimator of a model can be reported at once before converting anything.
     */
    default List<SklearnObject> children(SklearnObject estimator) {
        return List.of();
    }

    /**
     * The estimator's {@code transform} where {@link #convert} gives a predictor (LinearDiscriminantAnalysis,
     * KMeans) and it stands where a transformer is expected (a pipeline step before the last); null: none.
     */
    default org.ml2tensor.ir.Transformer transformer(SklearnObject estimator, ConversionContext context) {
        return null;
    }
}
