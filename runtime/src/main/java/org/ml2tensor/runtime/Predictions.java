package org.ml2tensor.runtime;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ml2tensor.contract.ModelContract;

/**
 * The outputs of one {@link Predictor} call, copied out of ONNX Runtime, in graph output order.
 * Typed accessors follow the ml2tensor output contract: {@link #labels()}, {@link #probabilities()},
 * {@link #logProbabilities()}, {@link #scores()} and {@link #values()}; {@link #output(String)} reaches any output by name.
 */
public final class Predictions {
    private final int rows;
    private final Map<String, Output> outputs;

    Predictions(int rows, List<Output> outputs) {
        this.rows = rows;
        Map<String, Output> m = new LinkedHashMap<>();
        for (Output o : outputs) {
            m.put(o.name(), o);
        }
        this.outputs = java.util.Collections.unmodifiableMap(m);
    }

    /** Number of predicted rows. */
    public int rows() {
        return rows;
    }

    /** All returned tensor outputs in graph order. */
    public List<Output> outputs() {
        return List.copyOf(outputs.values());
    }

    public Optional<Output> output(String name) {
        return Optional.ofNullable(outputs.get(name));
    }

    public boolean has(String name) {
        return outputs.containsKey(name);
    }

    /** The {@code label} output: classes of a classifier, ±1 of an outlier detector. */
    public Labels labels() {
        Output o = require(ModelContract.LABEL);
        if (o instanceof Labels l) {
            return l;
        }
        throw new IllegalStateException("output 'label' is not an integer or string tensor: " + o.getClass().getSimpleName());
    }

    /** The {@code probabilities} output {@code [rows, classes]} of a classifier. */
    public Matrix probabilities() {
        return matrix(ModelContract.PROBABILITIES);
    }

    /**
     * The {@code log_probabilities} output {@code [rows, classes]} of a classifier compiled with method
     * {@code predict_log_proba} (scikit-learn's {@code predict_log_proba}; {@code -inf} where the library's is).
     */
    public Matrix logProbabilities() {
        return matrix(ModelContract.LOG_PROBABILITIES);
    }

    /** The {@code scores} output: decision values {@code [rows, k]}. */
    public Matrix scores() {
        return matrix(ModelContract.SCORES);
    }

    /** The {@code variable} output: regression predictions or transformed features {@code [rows, k]}. */
    public Matrix values() {
        return matrix(ModelContract.VARIABLE);
    }

    /** A numeric output by name. */
    public Matrix matrix(String name) {
        Output o = require(name);
        if (o instanceof Matrix m) {
            return m;
        }
        throw new IllegalStateException("output '" + name + "' is not a float tensor");
    }

    private Output require(String name) {
        Output o = outputs.get(name);
        if (o == null) {
            throw new IllegalStateException("the model has no output '" + name + "'; its outputs are " + outputs.keySet());
        }
        return o;
    }
}
