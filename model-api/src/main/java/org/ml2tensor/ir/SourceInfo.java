package org.ml2tensor.ir;

/**
 * Provenance of a model.
 *
 * @param format      source format: {@code sklearn}, {@code xgboost}, {@code lightgbm}, {@code ir}
 * @param description human description, e.g. the estimator class {@code sklearn.ensemble.RandomForestClassifier}
 * @param sha256      hex SHA-256 of the source file bytes, or empty when built in code
 */
public record SourceInfo(String format, String description, String sha256) {
    public SourceInfo {
        format = format == null ? "" : format;
        description = description == null ? "" : description;
        sha256 = sha256 == null ? "" : sha256;
    }

    /** Provenance for a model built directly in code (tests, demos). */
    public static SourceInfo inCode(String description) {
        return new SourceInfo("ir", description, "");
    }
}
