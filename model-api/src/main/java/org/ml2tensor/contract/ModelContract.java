package org.ml2tensor.contract;

/**
 * The names every ml2tensor ONNX file uses: its graph input, its graph outputs and its
 * {@code metadata_props} keys. The runtime and other tools read models through these names.
 *
 * <p>Metadata values are plain strings; list values ({@link #CLASS_LABELS}, {@link #FEATURE_NAMES}) are
 * JSON arrays of strings, e.g. {@code ["0","1","2"]}.
 *
 * <p><b>Multi-output classifiers</b> (task {@link #TASK_MULTI_CLASSIFICATION}: scikit-learn's
 * {@code MultiOutputClassifier}, {@code ClassifierChain}, multilabel {@code OneVsRestClassifier} and
 * {@code MLPClassifier}, multi-output trees and forests) predict {@code T} targets per row: {@link #LABEL} is
 * {@code [N, T]} (target {@code t} in column {@code t}; int64, or string when any target has string classes)
 * and {@link #PROBABILITIES} is {@code [N, Σ K_t]}, each target's {@code predict_proba} block {@code [N, K_t]}
 * side by side in target order. {@link #TARGET_CLASS_LABELS} lists each target's classes (a JSON array of
 * arrays, e.g. {@code [["0","1"],["a","b","c"]]}); {@link #CLASS_LABELS} is then absent. A multilabel target
 * has classes {@code ["0","1"]} and the block {@code [1 − p, p]}, where scikit-learn's multilabel
 * {@code predict_proba} returns {@code p} alone: its column {@code t} is our column {@code 2t + 1}.
 */
public final class ModelContract {
    private ModelContract() {
    }

    /**
     * The numeric graph input: the model's numeric columns (all of them for most models) in schema order,
     * {@code [N, numericCount]} float32 (or float64 with --precision float64).
     */
    public static final String INPUT = "input";
    /** The string graph input {@code [N, stringCount]}: the string columns in schema order (only when there are any). */
    public static final String INPUT_STRINGS = "input_strings";
    /** Classifier/outlier labels {@code [N]}: int64, or string for string classes. */
    public static final String LABEL = "label";
    /** Classifier probabilities {@code [N, classes]} (predict_proba). */
    public static final String PROBABILITIES = "probabilities";
    /**
     * Classifier log-probabilities {@code [N, classes]} (predict_log_proba), in place of {@link #PROBABILITIES} in a
     * model compiled with method {@code predict_log_proba}; same element type; {@code -inf} where the library's is.
     */
    public static final String LOG_PROBABILITIES = "log_probabilities";
    /** Decision values: classifiers without predict_proba {@code [N, k]}, outlier detectors {@code [N, 1]}. */
    public static final String SCORES = "scores";
    /** Regressor predictions and transformer outputs {@code [N, k]}. */
    public static final String VARIABLE = "variable";

    /** Producer name written to {@code ModelProto.producer_name}. */
    public static final String PRODUCER = "ml2tensor";

    private static final String P = "ml2tensor.";
    /**
     * {@code classification}, {@code multi_classification} (several targets, see the class comment),
     * {@code regression}, {@code transform} or {@code outlier}.
     */
    public static final String TASK = P + "task";
    /** The {@link #TASK} value of a classifier of several targets ({@code label [N, T]}). */
    public static final String TASK_MULTI_CLASSIFICATION = "multi_classification";
    /**
     * Multi-output classifiers: a JSON array with one JSON array of class labels per target, in target order
     * (the probability blocks' order), e.g. {@code [["0","1"],["low","mid","high"]]}.
     */
    public static final String TARGET_CLASS_LABELS = P + "target_class_labels";
    /** JSON array of class labels in score-column order. */
    public static final String CLASS_LABELS = P + "class_labels";
    /** {@code int64} or {@code string}: the dtype of the {@code label} output. */
    public static final String CLASS_LABEL_TYPE = P + "class_label_type";
    /** JSON array of input feature names (absent when the source had none). */
    public static final String FEATURE_NAMES = P + "feature_names";
    /**
     * JSON array of the input columns' types ({@code float}, {@code int}, {@code string}) in schema order;
     * absent when every column is {@code float}.
     */
    public static final String FEATURE_TYPES = P + "feature_types";
    /** Number of input features. */
    public static final String FEATURE_COUNT = P + "feature_count";
    /** Whether the model accepts NaN inputs as missing values: {@code true} or {@code false}. */
    public static final String ACCEPTS_MISSING = P + "accepts_missing";
    /**
     * JSON array of the names of the columns that may hold missing values, when only some may (a
     * ColumnTransformer that imputes some columns and feeds others straight to a linear model).
     */
    public static final String MISSING_COLUMNS = P + "missing_columns";
    /** Source format: {@code sklearn}, {@code xgboost}, {@code lightgbm}, {@code ir}. */
    public static final String SOURCE_FORMAT = P + "source_format";
    /** Source description, e.g. {@code sklearn.ensemble._forest.RandomForestClassifier}. */
    public static final String SOURCE_DESCRIPTION = P + "source_description";
    /** Hex SHA-256 of the source model file. */
    public static final String SOURCE_SHA256 = P + "source_sha256";
    /** ml2tensor version that compiled the model. */
    public static final String COMPILER_VERSION = P + "compiler_version";
    /** Tree strategy used ({@code gemm}, {@code tree-traversal}, {@code perfect-tree-traversal}, {@code native}) or {@code linear}. */
    public static final String STRATEGY = P + "strategy";
    /** Why the strategy was chosen (human readable). */
    public static final String STRATEGY_REASON = P + "strategy_reason";
    /**
     * Largest number of rows one run should get so that the graph's intermediates stay within the
     * compiler's tensor limit; runtimes split larger inputs (absent when any batch size is fine).
     */
    public static final String MAX_ROWS_PER_RUN = P + "max_rows_per_run";
    /**
     * Rows per run that keep one intermediate tensor cache-sized (about 1 MiB); CPU runtimes split large
     * inputs into chunks of this size and run them in parallel (absent: no preference).
     */
    public static final String PREFERRED_ROWS_PER_RUN = P + "preferred_rows_per_run";
    /** The {@code --precision} the model was compiled with: {@code auto}, {@code float32} or {@code float64}. */
    public static final String PRECISION = P + "precision";
    /**
     * JSON array of the steps whose results are not the library's in this precision, each with the reason
     * (fast float32 mode only; absent when every step computes as the library does).
     */
    public static final String INEXACT_STEPS = P + "inexact_steps";
    /**
     * Base64 of a serialised ONNX model computing the same outputs with ONNX-ML's native {@code TreeEnsemble}
     * kernel (the compiler's {@code native} lowering): a runtime on ONNX Runtime's CPU provider may run calls of
     * at most {@link #CPU_COMPANION_MAX_ROWS} rows with it. Written only where that kernel computes as the
     * library does (float32 comparisons and float32 sums, no inexact step); the main graph stays portable.
     */
    public static final String CPU_COMPANION = P + "cpu_companion";
    /** Hex SHA-256 of the decoded {@link #CPU_COMPANION} bytes; a runtime ignores a companion that does not match. */
    public static final String CPU_COMPANION_SHA256 = P + "cpu_companion_sha256";
    /** Largest call (rows) a CPU runtime routes to the {@link #CPU_COMPANION}; larger calls run the main graph. */
    public static final String CPU_COMPANION_MAX_ROWS = P + "cpu_companion_max_rows";
    /** What runs when, for people reading the metadata ({@code ml2tensor inspect}). */
    public static final String CPU_COMPANION_ROUTING = P + "cpu_companion_routing";
}
