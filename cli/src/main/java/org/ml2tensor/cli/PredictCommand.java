package org.ml2tensor.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import org.ml2tensor.compiler.AtomicFiles;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.runtime.Predictor;
import org.ml2tensor.runtime.PredictorOptions;
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

    @Option(names = "--output", required = true, paramLabel = "Y.csv|Y.npy|-",
            description = "Where predictions go: written atomically; a device, FIFO or - (standard output, CSV) "
                    + "receives them once complete. Must not be the input or the model.")
    Path output;

    @Option(names = "--batch-size", defaultValue = "" + PredictorOptions.DEFAULT_BATCH_SIZE, paramLabel = "N",
            description = "Rows per ONNX Runtime call (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

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
        AtomicFiles.refuseSameFile(output, input, model);
        LoadedModel loaded = LoadedModel.open(model, compile, options);
        ProgressBar bar = ProgressBar.forTerminal(quiet);
        try (Predictor predictor = Predictor.open(loaded.onnx(), loaded.name(), options)) {
            StreamingPredict.Summary s = StreamingPredict.predictFile(predictor, input, output,
                    StreamingPredict.Options.defaults().withBatchRows(batchSize).withProgress(bar));
            bar.finish();
            if (!quiet) {
                System.err.printf("predicted %d rows in %.2f s (%.0f rows/s) on %s -> %s%n", s.rows(),
                        s.elapsed().toNanos() / 1e9, s.rowsPerSecond(), predictor.provider(), output);
            }
        }
        return 0;
    }
}
