package org.ml2tensor.conformance.reference;

/**
 * What the reference evaluator computes for a batch, mirroring the graph outputs: labels (integer or
 * string) and one of probabilities / scores / values. Unused parts are null. {@code raw} holds a predictor's
 * raw scores before its transform (its {@code decision_function}), which meta-estimators read from members.
 * A multi-output classifier gives {@code targetLabels [N][T]} (each label as the graph's text: the decimal
 * integer or the string) instead of {@code intLabels}/{@code stringLabels}, and its probability blocks side by
 * side in {@code probabilities}. A model compiled with method {@code predict_log_proba} gives
 * {@code logProbabilities} (and its labels) in place of {@code probabilities}.
 */
public record ReferenceOutputs(long[] intLabels, String[] stringLabels, double[][] probabilities, double[][] scores,
                               double[][] values, double[][] raw, String[][] targetLabels,
                               double[][] logProbabilities) {
    public ReferenceOutputs(long[] intLabels, String[] stringLabels, double[][] probabilities, double[][] scores,
                            double[][] values, double[][] raw, String[][] targetLabels) {
        this(intLabels, stringLabels, probabilities, scores, values, raw, targetLabels, null);
    }

    public ReferenceOutputs(long[] intLabels, String[] stringLabels, double[][] probabilities, double[][] scores,
                            double[][] values, double[][] raw) {
        this(intLabels, stringLabels, probabilities, scores, values, raw, null);
    }

    public ReferenceOutputs(long[] intLabels, String[] stringLabels, double[][] probabilities, double[][] scores,
                            double[][] values) {
        this(intLabels, stringLabels, probabilities, scores, values, null, null);
    }
}
