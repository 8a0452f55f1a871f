package org.ml2tensor.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A whole model ready for lowering: one estimator over the typed columns of {@link #schema()}.
 *
 * @param estimator what computes the outputs
 * @param schema    the input columns (names, types, whether rows are matched by name)
 * @param source    where the model came from (format, description, fingerprint)
 */
public record ModelIr(Estimator estimator, InputSchema schema, SourceInfo source) {
    public ModelIr {
        Objects.requireNonNull(estimator, "estimator");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(source, "source");
        if (estimator.inputWidth() != schema.width()) {
            throw new IllegalArgumentException("estimator reads " + estimator.inputWidth()
                    + " columns but the schema has " + schema.width());
        }
        for (int i = 0; i < schema.width(); i++) {
            if (estimator.inputType(i).isNumeric() != schema.column(i).type().isNumeric()) {
                throw new IllegalArgumentException("column " + schema.column(i).name() + " is "
                        + schema.column(i).type().jsonName() + " but the estimator reads it as "
                        + estimator.inputType(i).jsonName());
            }
        }
    }

    /**
     * A model over {@code featureCount} columns typed as the estimator reads them, named {@code featureNames}
     * (matched by name) or, when that is empty, {@code x0…} (positional).
     */
    public ModelIr(Estimator estimator, int featureCount, List<String> featureNames, SourceInfo source) {
        this(estimator, schemaOf(estimator, featureCount, featureNames == null ? List.of() : featureNames), source);
    }

    private static InputSchema schemaOf(Estimator estimator, int featureCount, List<String> names) {
        if (featureCount <= 0) {
            throw new IllegalArgumentException("featureCount must be positive: " + featureCount);
        }
        List<ColumnType> types = new ArrayList<>();
        for (int i = 0; i < featureCount; i++) {
            types.add(i < estimator.inputWidth() ? estimator.inputType(i) : ColumnType.FLOAT);
        }
        return InputSchema.of(types, names);
    }

    /** Number of input columns. */
    public int featureCount() {
        return schema.width();
    }

    /** Names of the input columns when the source had them, else empty. */
    public List<String> featureNames() {
        return schema.named() ? schema.names() : List.of();
    }
}
