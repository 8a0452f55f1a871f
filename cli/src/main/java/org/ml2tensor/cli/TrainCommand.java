package org.ml2tensor.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.Precision;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.train.Estimators;
import org.ml2tensor.train.Settings;
import org.ml2tensor.train.SklearnVersion;
import org.ml2tensor.train.TrainingRun;
import org.ml2tensor.train.data.MissingValues;

/** {@code ml2tensor train ESTIMATOR --input data.csv --target y -o model.onnx|model.joblib}. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Trains a scikit-learn estimator out of core with partial_fit semantics (chunk by chunk, the "
                + "same coefficients scikit-learn's partial_fit gives on the same chunks) and writes ONNX or a "
                + "scikit-learn pickle.")
final class TrainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ESTIMATOR",
            description = "scikit-learn class: SGDClassifier, SGDRegressor, Perceptron, PassiveAggressiveClassifier, "
                    + "PassiveAggressiveRegressor, MultinomialNB, ComplementNB, BernoulliNB, GaussianNB, CategoricalNB, "
                    + "MiniBatchKMeans, IncrementalPCA, StandardScaler, MinMaxScaler, MaxAbsScaler, or SCALER+ESTIMATOR.")
    String estimator;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "Training data: .csv with a header, "
            + "or a 2-D float .npy (memory-mapped).")
    Path input;

    @Option(names = "--target", paramLabel = "COLUMN", description = "CSV: the target column's name; .npy: 'last'.")
    String target;

    @Option(names = "--labels", paramLabel = "FILE", description = "A separate CSV of targets, row for row "
            + "(column --target, or its only column).")
    Path labels;

    @Option(names = "--weight-column", paramLabel = "COLUMN", description = "CSV column of sample weights.")
    String weightColumn;

    @Option(names = "--classes", paramLabel = "A,B,...", split = ",",
            description = "All class labels (classifiers; scikit-learn's classes=). Numeric.")
    List<Double> classes;

    @Option(names = "--chunk-rows", defaultValue = "400000", paramLabel = "N",
            description = "Rows per partial_fit call (default: ${DEFAULT-VALUE}).")
    int chunkRows;

    @Option(names = "--epochs", defaultValue = "1", paramLabel = "N", description = "Passes over the file (default: 1).")
    int epochs;

    @Option(names = "--fit", description = "Emulate scikit-learn's fit instead: all rows in memory, max_iter epochs "
            + "with tol stopping (SGD classifiers).")
    boolean fullFit;

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "scikit-learn constructor parameter, e.g. "
            + "loss=log_loss, alpha=1e-4, random_state=0, class_weight=0:1,1:3 (repeatable).")
    List<String> set = new ArrayList<>();

    @Option(names = "--sklearn", defaultValue = "1.9", paramLabel = "VERSION",
            description = "Whose partial_fit to reproduce where releases differ: 1.9 or 1.2 (default: ${DEFAULT-VALUE}).")
    String sklearn;

    @Option(names = "--holdout-rows", defaultValue = "0", paramLabel = "N",
            description = "Keep the first N rows out of training and report accuracy / log-loss / R² on them.")
    long holdoutRows;

    @Option(names = "--missing", defaultValue = "error", paramLabel = "POLICY",
            description = "Missing cells: error (stop with file:line) or drop (skip the row) (default: ${DEFAULT-VALUE}).")
    String missing;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "model.onnx (compiled) or model.joblib / "
            + "model.pkl (scikit-learn pickle, loads in scikit-learn 1.2-1.9).")
    Path output;

    @Option(names = "--precision", defaultValue = "float32", paramLabel = "P",
            description = "ONNX graph precision: float32 or float64 (default: ${DEFAULT-VALUE}).")
    String precision;

    @Option(names = "--checkpoint", paramLabel = "DIR", description = "Write state.bin + model.joblib here every "
            + "--checkpoint-every chunks, on a malformed row and on Ctrl-C.")
    Path checkpoint;

    @Option(names = "--checkpoint-every", defaultValue = "10", paramLabel = "N", description = "Chunks between "
            + "checkpoints (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--resume", description = "Continue from --checkpoint DIR (same estimator, parameters and input).")
    boolean resume;

    @Option(names = {"-q", "--quiet"}, description = "No progress lines.")
    boolean quiet;

    @Override
    public Integer call() {
        if (output == null && !resume && checkpoint == null) {
            throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "give -o model.onnx or -o model.joblib")
                    .build();
        }
        SklearnVersion version = CliValues.parse("--sklearn", sklearn, SklearnVersion::parse, "1.2, 1.9");
        MissingValues mv = CliValues.parse("--missing", missing, s -> switch (s) {
            case "error" -> MissingValues.ERROR;
            case "drop" -> MissingValues.DROP_ROW;
            default -> throw new IllegalArgumentException(s);
        }, "error, drop");
        Precision p = CliValues.parse("--precision", precision, s -> Precision.valueOf(s.toUpperCase(Locale.ROOT)),
                "float32, float64");
        double[] cls = classes == null ? null : classes.stream().mapToDouble(Double::doubleValue).toArray();
        if (Estimators.isClassifier(estimator) && cls == null) {
            throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "classes must be passed on the first call to "
                    + "partial_fit: give --classes").hint("e.g. --classes 0,1").build();
        }
        TrainingRun.Config config = new TrainingRun.Config(estimator, Settings.parse(set), version, input, target, labels,
                weightColumn, cls, chunkRows, epochs, holdoutRows, mv, output,
                CompileOptions.defaults().withPrecision(p), checkpoint, checkpointEvery, resume, fullFit);
        TrainingRun run = new TrainingRun(config, line -> {
            if (quiet) {
                return;
            }
            if (line.startsWith("\r")) {
                System.err.print(line);
            } else {
                System.err.println(line);
            }
            System.err.flush();
        });
        Thread hook = new Thread(() -> run.requestStop(30), "ml2tensor-train-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        TrainingRun.Summary s;
        try {
            s = run.run();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for the checkpoint above
            }
        }
        if (s.interrupted()) {
            return 130;
        }
        System.out.printf(Locale.ROOT, "trained %s on %,d rows (%d chunks) in %.2f s%n", estimator, s.rowsTrained(),
                s.chunks(), s.seconds());
        if (s.evaluation() != null) {
            System.out.println("held out: " + s.evaluation().summary());
        }
        if (output != null) {
            System.out.println("wrote " + output);
        }
        return 0;
    }
}
