package org.ml2tensor.importers.sklearn;

import org.ml2tensor.importers.ReadBudget;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Transformer;
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

    /** Converts a nested estimator that must be a transformer (a pipeline step, a column-transformer entry). */
    public Transformer transformer(SklearnObject estimator) {
        Estimator e = convert(estimator);
        if (e instanceof Transformer t) {
            return t;
        }
        Transformer asTransformer = registry.require(estimator).transformer(estimator, this);
        if (asTransformer != null) {
            return asTransformer;
        }
        throw Ml2TensorException.of(ErrorCode.UNSUPPORTED, estimator.simpleName() + " is a predictor where a"
                + " transformer is expected").at(estimator.path())
                .hint("only the last step of a pipeline may be a predictor").build();
    }

    /**
     * The model's {@code transform} (compile with method {@code transform}): a transformer as it is, a predictor
     * that has one (LinearDiscriminantAnalysis; a pipeline ending in it) as that transformer; any other
     * predictor is refused by name.
     */
    public Transformer transformOf(SklearnObject root) {
        Estimator e = convert(root);
        if (e instanceof Transformer t) {
            return t;
        }
        Transformer asTransformer = registry.require(root).transformer(root, this);
        if (asTransformer != null) {
            return asTransformer;
        }
        throw Ml2TensorException.of(ErrorCode.UNSUPPORTED, root.simpleName() + " has no transform method")
                .at(root.path()).hint("compile it without --method transform (its predictions are the outputs)")
                .build();
    }

    /**
     * Fails with one error listing every estimator of the tree under {@code root} that has no converter,
     * each with its object path, e.g. {@code Pipeline.steps[0] (ColumnTransformer).transformers_[1] (Foo)}.
     */
    void requireAllSupported(SklearnObject root) {
        List<SklearnObject> missing = new ArrayList<>();
        scan(root, missing, 0);
        if (missing.size() == 1) {
            throw UnsupportedEstimators.refusal(missing.get(0).className(), missing.get(0).path());
        }
        if (!missing.isEmpty()) {
            List<String> where = new ArrayList<>();
            java.util.Set<String> hints = new java.util.LinkedHashSet<>();
            for (SklearnObject est : missing) {
                where.add(est.path() + (est.path().endsWith(")") ? "" : " (" + est.simpleName() + ")") + " ["
                        + est.className() + "]");
                hints.add(UnsupportedEstimators.insteadOf(est.className()));
            }
            throw Ml2TensorException.of(ErrorCode.UNSUPPORTED, missing.size() + " estimators are not supported: "
                            + String.join("; ", where))
                    .hint(hints.size() == 1 ? hints.iterator().next() : UnsupportedEstimators.LIST_HINT).build();
        }
    }

    private void scan(SklearnObject est, List<SklearnObject> missing, int depth) {
        var converter = registry.find(est.className());
        if (converter.isEmpty()) {
            missing.add(est);
            return;
        }
        if (depth >= MAX_NESTING) {
            return;
        }
        List<SklearnObject> children;
        try {
            children = converter.get().children(est);
        } catch (Ml2TensorException e) {
            return; // reported with its context when the estimator is converted
        }
        for (SklearnObject c : children) {
            scan(c, missing, depth + 1);
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
