package org.ml2tensor.cli;

import org.ml2tensor.importers.ImportOptions;
import picocli.CommandLine.Option;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.DeviceHint;
import org.ml2tensor.compiler.Precision;
import org.ml2tensor.compiler.Target;
import org.ml2tensor.compiler.TreeStrategy;
import org.ml2tensor.compiler.onnx.Opsets;
import org.ml2tensor.importers.ModelFormat;

/** Options shared by the commands that compile a source model. */
public final class CompileSettings {
    @Option(names = "--format", defaultValue = "auto", paramLabel = "FORMAT",
            description = "Source format: auto, sklearn, xgboost, lightgbm (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--strategy", defaultValue = "auto", paramLabel = "STRATEGY",
            description = "Tree lowering: auto, tuned, gemm, tree-traversal, perfect-tree-traversal, native "
                    + "(native needs --target cpu-native) (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--precision", defaultValue = "auto", paramLabel = "P",
            description = "auto: every step computes in the type the library computes in (exact on double"
                    + " inputs); float32: fast mode, float32 everywhere, prints the steps that are no longer"
                    + " exact; float64: double everywhere (default: ${DEFAULT-VALUE}).")
    String precision;

    @Option(names = "--opset", defaultValue = "" + Opsets.DEFAULT, paramLabel = "N",
            description = "ONNX opset, 13..21 (default: ${DEFAULT-VALUE}, IR version 8).")
    int opset;

    @Option(names = "--target", defaultValue = "portable", paramLabel = "T",
            description = "portable (default-domain ops only) or cpu-native (may use ONNX-ML TreeEnsemble).")
    String target;

    @Option(names = "--expected-batch", defaultValue = "1000", paramLabel = "N",
            description = "Typical batch size; steers --strategy auto/tuned (default: ${DEFAULT-VALUE}).")
    int expectedBatch;

    @Option(names = "--target-device", defaultValue = "cpu", paramLabel = "D",
            description = "cpu or cuda: the device the model will run on; steers --strategy auto (default: ${DEFAULT-VALUE}).")
    String targetDevice;

    @Option(names = "--max-tensor-bytes", defaultValue = "536870912", paramLabel = "BYTES",
            description = "Largest constant or intermediate tensor a strategy may create (default: ${DEFAULT-VALUE}).")
    long maxTensorBytes;

    @Option(names = "--read-budget", defaultValue = "auto", paramLabel = "SIZE",
            description = "Most a model read may create (objects, decoded streams, IR), e.g. 2g; auto = "
                    + "max(256m, 12 x file size). Raise it only for trusted files (default: ${DEFAULT-VALUE}).")
    String readBudget;

    @Option(names = "--method", defaultValue = "predict", paramLabel = "M",
            description = "predict; transform: compile scikit-learn's transform of a predictor that has one "
                    + "(LinearDiscriminantAnalysis, a pipeline ending in it), the model then outputs variable; "
                    + "predict_log_proba: a classifier's label and log_probabilities, computed as scikit-learn's "
                    + "predict_log_proba (default: ${DEFAULT-VALUE}).")
    String method;

    /** The import options: {@code --read-budget}, {@code --method}. */
    ImportOptions importOptions() {
        ImportOptions.Method m = CliValues.parse("--method", method,
                s -> ImportOptions.Method.valueOf(s.trim().toUpperCase(java.util.Locale.ROOT)), "predict, transform, predict_log_proba");
        if (readBudget.equalsIgnoreCase("auto")) {
            return ImportOptions.defaults().withMethod(m);
        }
        long bytes = CliValues.parse("--read-budget", readBudget, CompileSettings::size, "auto or a size such as 2g");
        return ImportOptions.defaults().withReadBudget(bytes).withMethod(m);
    }

    /** {@code 123}, {@code 64k}, {@code 512m}, {@code 2g}: a positive number of bytes. */
    static long size(String s) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        int shift = switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        long n = Long.parseLong(shift == 0 ? t : t.substring(0, t.length() - 1));
        if (n <= 0 || n > Long.MAX_VALUE >> shift) {
            throw new IllegalArgumentException("out of range");
        }
        return n << shift;
    }

    ModelFormat format() {
        return CliValues.parse("--format", format, ModelFormat::fromCli, "auto, sklearn, xgboost, lightgbm");
    }

    TreeStrategy strategy() {
        return CliValues.parse("--strategy", strategy, TreeStrategy::fromCli,
                org.ml2tensor.compiler.lowering.tree.TreeStrategies.cliNames());
    }

    CompileOptions options() {
        Precision p = CliValues.parse("--precision", precision,
                Precision::fromCli, "auto, float32, float64");
        Target t = CliValues.parse("--target", target,
                s -> Target.valueOf(s.toUpperCase(java.util.Locale.ROOT).replace('-', '_')), "portable, cpu-native");
        DeviceHint d = CliValues.parse("--target-device", targetDevice,
                s -> DeviceHint.valueOf(s.toUpperCase(java.util.Locale.ROOT)), "cpu, cuda");
        return new CompileOptions(strategy(), t, p, opset, Math.max(1, expectedBatch), d, maxTensorBytes);
    }
}
