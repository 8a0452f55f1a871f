package org.ml2tensor.runtime.io;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.runtime.FloatType;
import org.ml2tensor.runtime.ModelInfo;
import org.ml2tensor.runtime.Predictions;
import org.ml2tensor.runtime.Predictor;
import org.ml2tensor.runtime.PredictorOptions;

/**
 * Batch prediction over a file in bounded memory: a {@link RowSource} fills one reusable
 * {@link RowBlock} (direct buffer of the model's float type, handed to the predictor without a copy),
 * each block's predictions go to a {@link PredictionSink}, and a {@link ProgressListener} hears after
 * every block. Memory: one block of {@code batchRows × features} plus one chunk of outputs.
 *
 * <pre>{@code
 * try (Predictor p = Predictor.open(model, PredictorOptions.defaults())) {
 *     StreamingPredict.predictFile(p, Path.of("x.csv"), Path.of("pred.csv"), StreamingPredict.Options.defaults());
 * }
 * }</pre>
 */
public final class StreamingPredict {
    private StreamingPredict() {
    }

    /**
     * @param batchRows        rows per block (and per predictor call)
     * @param checkColumnNames false takes columns by position whatever the header says (only the count
     *                         is checked): the same as {@code columns = BY_POSITION}
     * @param progress         receives a report after each block
     * @param columns          how columns are matched to features ({@link ColumnBinding})
     */
    public record Options(int batchRows, boolean checkColumnNames, ProgressListener progress, ColumnMatching columns) {
        public Options {
            if (batchRows < 1) {
                throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "batch rows must be at least 1, got " + batchRows).build();
            }
            Objects.requireNonNull(progress, "progress");
            Objects.requireNonNull(columns, "columns");
        }

        public Options(int batchRows, boolean checkColumnNames, ProgressListener progress) {
            this(batchRows, checkColumnNames, progress, ColumnMatching.AUTO);
        }

        /** Blocks of {@link PredictorOptions#DEFAULT_BATCH_SIZE} rows, columns matched AUTO, no progress. */
        public static Options defaults() {
            return new Options(PredictorOptions.DEFAULT_BATCH_SIZE, true, ProgressListener.NONE, ColumnMatching.AUTO);
        }

        public Options withBatchRows(int rows) {
            return new Options(rows, checkColumnNames, progress, columns);
        }

        /** {@code false} skips the name check: columns by position (see {@link #withColumns}). */
        public Options withCheckColumnNames(boolean check) {
            return new Options(batchRows, check, progress, columns);
        }

        public Options withProgress(ProgressListener listener) {
            return new Options(batchRows, checkColumnNames, listener, columns);
        }

        /** How input columns are matched to the model's features. */
        public Options withColumns(ColumnMatching matching) {
            return new Options(batchRows, checkColumnNames, progress, matching);
        }

        /** The matching in effect: {@code BY_POSITION} when names are not checked, else {@link #columns()}. */
        public ColumnMatching effectiveColumns() {
            return checkColumnNames ? columns : ColumnMatching.BY_POSITION;
        }
    }

    /** What a run did. */
    public record Summary(long rows, Duration elapsed) {
        public double rowsPerSecond() {
            double s = elapsed.toNanos() / 1e9;
            return s > 0 ? rows / s : Double.NaN;
        }
    }

    /**
     * Predicts every row of {@code input} ({@code .npy}, otherwise CSV) into {@code output}
     * ({@code .npy}, otherwise CSV), written atomically: on any failure no output file appears and an
     * existing one is left unchanged.
     */
    public static Summary predictFile(Predictor predictor, Path input, Path output, Options options) {
        ModelInfo info = predictor.info();
        if (info.hasStringColumns()) {
            if (isNpy(input)) {
                throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "the model reads string columns "
                        + info.featureNames() + " but .npy input holds numbers only").at(input.toString())
                        .hint("give a CSV file with a header naming the columns").build();
            }
            try (CsvCellReader source = CsvCellReader.open(input);
                 PredictionSink sink = openSink(output, info)) {
                return runCells(predictor, source, sink, options);
            }
        }
        try (RowSource source = openSource(input, info.acceptsMissing());
             PredictionSink sink = openSink(output, info)) {
            return run(predictor, source, sink, options);
        }
    }

    /** A reader for {@code input} chosen by extension: {@code .npy} or CSV. */
    public static RowSource openSource(Path input, boolean acceptsMissing) {
        return isNpy(input) ? NpyReader.open(input, acceptsMissing) : CsvRowReader.open(input, acceptsMissing);
    }

    /** An atomic writer for {@code output} chosen by extension: {@code .npy} or CSV. */
    public static PredictionSink openSink(Path output, ModelInfo info) {
        return isNpy(output) ? NpyPredictionWriter.toFile(output, info) : CsvPredictionWriter.toFile(output, info);
    }

    private static boolean isNpy(Path p) {
        return p.getFileName() != null && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy");
    }

    /**
     * Streams {@code source} through {@code predictor} into {@code sink} and commits it. The sink is
     * not closed (the caller owns it); on failure it is left uncommitted.
     *
     * @throws Ml2TensorException INVALID_INPUT for a width or header mismatch, bad cells, or no data rows
     */
    public static Summary run(Predictor predictor, RowSource source, PredictionSink sink, Options options) {
        ModelInfo info = predictor.info();
        ColumnBinding binding = ColumnBinding.bind(info, source.columnNames(), source.width(),
                options.effectiveColumns(), source.name());
        binding.notices().forEach(predictor.options().noticeSink()::notice);
        int width = Math.max(source.width(), info.featureCount());
        // Blocks are bounded in bytes as well as rows, so wide inputs never need a buffer beyond the limit.
        long rowBytes = (long) Math.max(1, width) * info.inputType().bytes();
        long maxBytes = predictor.options().maxBatchBytes();
        if (rowBytes > maxBytes) {
            throw Ml2TensorException.of(ErrorCode.LIMIT_EXCEEDED, "one row of " + width + " values takes " + rowBytes
                    + " bytes, more than the batch limit of " + maxBytes + " bytes").at(source.name())
                    .hint("pass fewer columns").build();
        }
        int blockRows = (int) Math.max(1, Math.min(options.batchRows(), maxBytes / rowBytes));
        RowBlock read = RowBlock.allocate(info.inputType(), blockRows, source.width());
        RowBlock block = binding.isIdentity() ? read
                : RowBlock.allocate(info.inputType(), blockRows, info.featureCount());
        long start = System.nanoTime();
        long rows = 0;
        while (true) {
            int n = source.read(read);
            if (n == 0) {
                break;
            }
            if (!binding.isIdentity()) {
                binding.apply(read, block);
            }
            Predictions chunk = block.type() == FloatType.FLOAT32
                    ? predictor.predict(block.floats(), n)
                    : predictor.predict(block.doubles(), n);
            sink.write(chunk);
            rows += n;
            long elapsed = System.nanoTime() - start;
            double total = source.totalRows().isPresent() ? source.totalRows().getAsLong() : -1;
            double fraction = total > 0 ? rows / total : source.fractionRead();
            options.progress().onProgress(new Progress(rows, source.totalRows(), fraction,
                    elapsed > 0 ? rows / (elapsed / 1e9) : Double.NaN, Duration.ofNanos(elapsed)));
        }
        if (rows == 0) {
            throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "empty input: no data rows").at(source.name())
                    .hint("the input needs at least one row of features").build();
        }
        sink.commit();
        return new Summary(rows, Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Streams CSV cells through a model with string columns: the header names the columns (matched to the
     * model's by name, in any order; other columns ignored), one batch of rows at a time.
     */
    public static Summary runCells(Predictor predictor, CsvCellReader source, PredictionSink sink, Options options) {
        long start = System.nanoTime();
        long rows = 0;
        List<Object[]> batch = new java.util.ArrayList<>();
        while (true) {
            int n = source.read(batch, options.batchRows());
            if (n == 0) {
                break;
            }
            Predictions chunk;
            try {
                chunk = predictor.predictCells(source.header(), batch, rows);
            } catch (Ml2TensorException e) {
                throw Ml2TensorException.of(e.code(), e.bareMessage() + " (data rows counted from 0)")
                        .at(source.name()).hint(e.hint()).cause(e).build();
            }
            sink.write(chunk);
            rows += n;
            long elapsed = System.nanoTime() - start;
            options.progress().onProgress(new Progress(rows, java.util.OptionalLong.empty(), source.fractionRead(),
                    elapsed > 0 ? rows / (elapsed / 1e9) : Double.NaN, Duration.ofNanos(elapsed)));
        }
        if (rows == 0) {
            throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "empty input: no data rows").at(source.name())
                    .hint("the input needs at least one row of features").build();
        }
        sink.commit();
        return new Summary(rows, Duration.ofNanos(System.nanoTime() - start));
    }
}
