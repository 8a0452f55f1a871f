package org.ml2tensor.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import org.ml2tensor.io.AtomicFiles;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.runtime.Predictor;
import org.ml2tensor.runtime.PredictorOptions;
import org.ml2tensor.runtime.io.ColumnMatching;
import org.ml2tensor.runtime.io.StreamingPredict;

/** {@code ml2tensor predict MODEL --input X --output Y}. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Runs a model on rows from a CSV (header of feature names; nan or empty = missing) or a 2-D "
                + ".npy file and writes predictions as CSV or .npy, streaming in bounded memory. MODEL is an .onnx "
                + "file or any supported source model (compiled on the fly).")
final class PredictCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "An .onnx file or a source model.")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "X.csv|X.npy", description = "Input rows.")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "Y.csv|Y.npy|-",
            description = "Where predictions go: written atomically; a device, FIFO or - (standard output, CSV) "
                    + "receives them once complete. Must not be the input or the model.")
    Path output;

    @Option(names = "--batch-size", defaultValue = "" + PredictorOptions.DEFAULT_BATCH_SIZE, paramLabel = "N",
            description = "Rows per ONNX Runtime call (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--columns", defaultValue = "auto", paramLabel = "auto|by-name|by-position",
            description = "How CSV columns meet the model's features: by-name (header names, any order, extra "
                    + "columns ignored), by-position (header not checked), or auto: by name when the model has real "
                    + "feature names, else by position with one notice (default: ${DEFAULT-VALUE}). Generated names "
                    + "(LightGBM Column_N, XGBoost fN) count as none.")
    String columns;

    @Option(names = "--no-name-check", description = "Take columns by position without checking the header "
            + "(the same as --columns by-position).")
    boolean noNameCheck;

    @Mixin
    RunSettings run;

    @Mixin
    CompileSettings compile;

    @Override
    public Integer call() {
        if (batchSize < 1) {
            throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "the batch size must be at least 1 row; got " + batchSize)
                    .at("--batch-size").build();
        }
        PredictorOptions options = run.options(batchSize);
        compile.options(); // invalid compile options fail (exit 2) before any file is read
        ColumnMatching matching = noNameCheck ? ColumnMatching.BY_POSITION : CliValues.parse("--columns", columns,
                ColumnMatching::fromCli, "auto, by-name, by-position");
        AtomicFiles.refuseSameFile(output, input, model);
        LoadedModel loaded = LoadedModel.open(model, compile, options);
        ProgressBar bar = ProgressBar.forTerminal(run.quiet);
        try (Predictor predictor = Predictor.open(loaded.onnx(), loaded.name(), options)) {
            StreamingPredict.Summary s = StreamingPredict.predictFile(predictor, input, output,
                    StreamingPredict.Options.defaults().withBatchRows(batchSize).withProgress(bar).withColumns(matching));
            bar.finish();
            if (!run.quiet) {
                System.err.printf("predicted %d rows in %.2f s (%.0f rows/s) on %s -> %s%n", s.rows(),
                        s.elapsed().toNanos() / 1e9, s.rowsPerSecond(), predictor.provider(), output);
            }
        }
        return 0;
    }
}
