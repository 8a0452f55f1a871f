package org.ml2tensor.importers;

import java.util.Locale;

/** Source model formats ml2tensor reads. */
public enum ModelFormat {
    /** Detect from the file's first bytes. */
    AUTO,
    /** scikit-learn pickle or joblib file (any compression). */
    SKLEARN,
    /** XGBoost JSON or UBJSON model ({@code save_model}). */
    XGBOOST,
    /** LightGBM text model ({@code save_model}). */
    LIGHTGBM,
    /** An ONNX model (already compiled, or from another producer). */
    ONNX;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ModelFormat fromCli(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
}
