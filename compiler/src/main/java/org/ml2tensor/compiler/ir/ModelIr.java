package org.ml2tensor.compiler.ir;

import java.util.List;
import java.util.Objects;

/**
 * A whole model ready for lowering: one estimator over a dense feature vector of {@code featureCount}
 * numbers (NaN = missing).
 *
 * @param estimator    what computes the outputs
 * @param featureCount width of the input rows
 * @param featureNames names of the input columns (empty when the source had none)
 * @param source       where the model came from (format, description, fingerprint)
 */
public record ModelIr(Estimator estimator, int featureCount, List<String> featureNames, SourceInfo source) {
    public ModelIr {
        Objects.requireNonNull(estimator, "estimator");
        Objects.requireNonNull(source, "source");
        featureNames = featureNames == null ? List.of() : List.copyOf(featureNames);
        if (featureCount <= 0) {
            throw new IllegalArgumentException("featureCount must be positive: " + featureCount);
        }
        if (!featureNames.isEmpty() && featureNames.size() != featureCount) {
            throw new IllegalArgumentException("featureNames has " + featureNames.size()
                    + " names for " + featureCount + " features");
        }
    }
}
