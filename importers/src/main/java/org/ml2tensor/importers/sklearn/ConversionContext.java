package org.ml2tensor.importers.sklearn;

import org.ml2tensor.importers.ReadBudget;
import java.util.IdentityHashMap;
import java.util.Map;
import org.ml2tensor.compiler.ir.Estimator;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.importers.pickle.PyObject;

/**
 * State of one conversion: the registry for nested estimators, a nesting bound, and a cache of decoded
 * trees keyed by pickle object identity (so a pickle that references one tree many times is decoded once).
 */
public final class ConversionContext {
    private static final int MAX_NESTING = 16;
    /** Budget charged per converted estimator: its IR object and the graph nodes it lowers to. */
    private static final long ESTIMATOR_COST = 4096;

    private final SklearnRegistry registry;
    private final Map<PyObject, TreeStructure> trees = new IdentityHashMap<>();
    private int nesting;

    ConversionContext(SklearnRegistry registry) {
        this.registry = registry;
    }

    /** Converts an estimator with the converter registered for its class. */
    public Estimator convert(SklearnObject estimator) {
        SklearnConverter converter = registry.require(estimator);
        if (nesting >= MAX_NESTING) {
            throw Ml2TensorException.of(ErrorCode.UNSUPPORTED, "estimators nest more than " + MAX_NESTING
                    + " levels deep").at(estimator.path()).build();
        }
        ReadBudget.charge(ESTIMATOR_COST, "estimator " + estimator.path());
        nesting++;
        try {
            return converter.convert(estimator, this);
        } catch (IllegalArgumentException e) {
            throw Ml2TensorException.of(ErrorCode.INVALID_MODEL, "inconsistent model: " + e.getMessage())
                    .at(estimator.path()).hint("the pickle does not describe a valid fitted "
                            + estimator.simpleName()).cause(e).build();
        } finally {
            nesting--;
        }
    }

    /** The decoded {@code tree_} of a tree estimator (cached by identity). */
    TreeStructure tree(SklearnObject treeEstimator) {
        SklearnObject tree = treeEstimator.child("tree_");
        TreeStructure cached = trees.get(tree.raw());
        if (cached == null) {
            cached = TreeStructure.read(tree);
            trees.put(tree.raw(), cached);
        }
        return cached;
    }
}
