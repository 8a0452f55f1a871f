package org.ml2tensor.conformance.reference;

/**
 * What the reference evaluator computes for a batch, mirroring the graph outputs: labels (integer or
 * string) and one of probabilities / scores / values. Unused parts are null.
 */
public record ReferenceOutputs(long[] intLabels, String[] stringLabels, double[][] probabilities, double[][] scores,
                               double[][] values) {
}
