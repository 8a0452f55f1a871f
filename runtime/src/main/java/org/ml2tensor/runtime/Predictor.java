package org.ml2tensor.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.ml2tensor.contract.ModelContract;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * Runs one ONNX model with ONNX Runtime: open it once, call {@code predict} from any number of threads,
 * close it when done.
 *
 * <pre>{@code
 * try (Predictor p = Predictor.open(Path.of("model.onnx"), PredictorOptions.defaults())) {
 *     Predictions out = p.predict(new float[][] {{5.1f, 3.5f, 1.4f, 0.2f}});
 *     long[] classes = out.labels().asLongs();
 *     float[][] proba = out.probabilities().toFloatArrays();
 * }
 * }</pre>
 *
 * <p>Inputs are checked against the model (width, column names, NaN when the model does not accept
 * missing values) and fail with {@link ErrorCode#INVALID_INPUT}. Inputs larger than
 * {@link PredictorOptions#batchSize()} rows run in batches through pooled direct buffers; a direct
 * native-order buffer of the model's float type is fed without any copy. Every ORT tensor and result
 * is closed before {@code predict} returns. {@link #close()} is idempotent and waits for running calls.
 *
 * <p>Models that keep tensors in external files are refused unless
 * {@link PredictorOptions#externalDataDir()} names the folder they may come from ({@link ExternalData}).
 * A call stops with LIMIT_EXCEEDED when {@link PredictorOptions#runTimeout()} passes; when one chunk
 * of a parallel call fails, the others are terminated and waited for before the call returns.
 */
public final class Predictor implements AutoCloseable {
    private final OrtEnvironment env;
    private final SessionFactory.Opened opened;
    /** The native TreeEnsemble session small CPU calls run on, or null ({@link CpuCompanion}). */
    private final CpuCompanion companion;
    /** Small one-run calls on the CPU with reused input and pinned output tensors ({@link PinnedRuns}), or null. */
    private final PinnedRuns mainPinned;
    private final PinnedRuns companionPinned;
    private final ModelInfo info;
    private final PredictorOptions options;
    /** Rows per ONNX Runtime call allowed by the model's own limit (metadata); the options' byte bound applies too. */
    private final int maxRowsPerRun;
    /** Rows per chunk of a CPU call (the compiler's cache-sized hint; a serial call honours it when present). */
    private final int preferredRowsPerRun;
    private static final int DEFAULT_PREFERRED_ROWS = 16_384;
    /**
     * Calls of at most this many rows run as one ONNX Runtime run on the calling thread, never as parallel
     * chunks: at small batches the graph's per-node dispatch dominates, and two runs on two threads pay it twice
     * plus the hand-over (BENCHMARKS.md, Small batches).
     */
    static final int SMALL_CALL_ROWS = 64;
    private ExecutorService workers;
    private final List<TensorSpec> returnedOutputs;
    private final Set<String> returnedOutputNames;
    private final DirectBufferPool pool = new DirectBufferPool(Math.max(2, Runtime.getRuntime().availableProcessors()));
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private Predictor(OrtEnvironment env, SessionFactory.Opened opened, ModelInfo info, PredictorOptions options) {
        this.env = env;
        this.opened = opened;
        this.companion = CpuCompanion.open(env, info, opened.provider(), options);
        this.info = info;
        this.options = options;
        this.maxRowsPerRun = metadataRows(info, ModelContract.MAX_ROWS_PER_RUN, Integer.MAX_VALUE);
        this.preferredRowsPerRun = metadataRows(info, ModelContract.PREFERRED_ROWS_PER_RUN, DEFAULT_PREFERRED_ROWS);
        this.returnedOutputs = info.outputs().stream().filter(OutputCollector::supported).toList();
        this.returnedOutputNames = new LinkedHashSet<>();
        returnedOutputs.forEach(o -> returnedOutputNames.add(o.name()));
        int slots = 64 + 2 * Math.max(2, Runtime.getRuntime().availableProcessors());
        boolean cpu = opened.provider() == Provider.CPU;
        this.mainPinned = cpu ? PinnedRuns.of(env, opened.session(), info, returnedOutputs, slots) : null;
        this.companionPinned = companion == null ? null
                : PinnedRuns.of(env, companion.session(), info, returnedOutputs, slots);
    }

    /** Opens an ONNX model file. Unreadable files fail with IO, non-ONNX files with MODEL_FORMAT. */
    public static Predictor open(Path model, PredictorOptions options) {
        Objects.requireNonNull(model, "model");
        return open(new ModelSource.File(model), options, CudaProbe.system());
    }

    /** Opens a serialised ONNX {@code ModelProto}. */
    public static Predictor open(byte[] model, PredictorOptions options) {
        return open(model, "<in-memory model>", options);
    }

    /**
     * Opens a serialised ONNX {@code ModelProto}; {@code displayName} names it in messages (e.g. the
     * source model file of a model compiled in memory).
     */
    public static Predictor open(byte[] model, String displayName, PredictorOptions options) {
        Objects.requireNonNull(model, "model");
        return open(new ModelSource.Bytes(model, Objects.requireNonNull(displayName, "displayName")), options,
                CudaProbe.system());
    }

    static Predictor open(ModelSource given, PredictorOptions options, CudaProbe probe) {
        Objects.requireNonNull(options, "options");
        // ONNX Runtime always gets checked bytes: external data is refused or embedded (ExternalData), and a
        // file cannot change between the check and the load.
        ModelSource model = new ModelSource.Bytes(
                ExternalData.embed(given.bytes(), given.displayName(), options.externalDataDir().orElse(null)),
                given.displayName());
        OrtEnvironment env = environment();
        SessionFactory.Opened opened = SessionFactory.open(env, model, options, probe);
        try {
            ModelInfo info = ModelInfoReader.read(opened.session(), model.displayName());
            return new Predictor(env, opened, info, options);
        } catch (OrtException e) {
            opened.close();
            throw OrtErrors.loading(e, model.displayName());
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    /** The process's ONNX Runtime environment, its natives loaded from the per-user cache ({@link OrtNatives}). */
    static OrtEnvironment environment() {
        OrtNatives.prepare();
        try {
            return OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "ml2tensor");
        } catch (RuntimeException | LinkageError e) {
            throw Ml2TensorException.of(ErrorCode.RUNTIME, "the ONNX Runtime native library failed to load: " + e)
                    .hint("ONNX Runtime 1.26 ships natives for linux-x64 and win-x64; check the platform and "
                            + "that the temp folder allows executables (or set -Donnxruntime.native.path)")
                    .cause(e).build();
        }
    }

    /** The model's metadata and signature. */
    public ModelInfo info() {
        return info;
    }

    /** The execution provider in use. */
    public Provider provider() {
        return opened.provider();
    }

    public PredictorOptions options() {
        return options;
    }

    /**
     * The largest call (rows) that runs on the model's CPU companion (one native {@code TreeEnsemble} kernel,
     * see {@link PredictorOptions#cpuCompanion()}), or 0 when every call runs the main graph.
     */
    public int cpuCompanionMaxRows() {
        return companion == null ? 0 : companion.maxRows();
    }

    /** Live pinned slots of the main graph and of the companion, -1 where pinning is off or absent (tests). */
    int[] pinnedSlots() {
        return new int[] {mainPinned == null || !mainPinned.enabled() ? -1 : mainPinned.live(),
                companionPinned == null || !companionPinned.enabled() ? -1 : companionPinned.live()};
    }

    /** What runs when, in one line: the main graph only, or the CPU companion up to its row count. */
    public String routing() {
        String main = info.metadata().getOrDefault(ModelContract.STRATEGY, "the model's graph");
        return companion == null ? "every call runs the main graph (" + main + ") on " + provider()
                : "calls of at most " + companion.maxRows() + " rows run the CPU companion (native TreeEnsemble"
                + " kernel); larger calls run the main graph (" + main + ")";
    }

    /**
     * Checks column names (e.g. a CSV header) against the model: the count must equal the feature
     * count and, when the model records real feature names (not generated ones such as LightGBM's
     * {@code Column_0…}, see {@link FeatureNames}), the names must match in order.
     *
     * @throws Ml2TensorException INVALID_INPUT describing the first difference
     */
    public void checkColumns(List<String> columns) {
        int expected = info.featureCount();
        List<String> names = info.featureNames();
        if (expected >= 0 && columns.size() != expected) {
            throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "the input has " + columns.size()
                            + " columns but the model expects " + expected + " features"
                            + (names.isEmpty() ? "" : " " + abbreviate(names)))
                    .at(info.source()).hint("pass exactly the feature columns the model was trained on").build();
        }
        if (!FeatureNames.areReal(names) || names.equals(columns)) {
            return; // no names, or generated ones (Column_0…, f0…): columns are taken by position
        }
        Set<String> expectedSet = new HashSet<>(names);
        Set<String> actualSet = new HashSet<>(columns);
        if (expectedSet.equals(actualSet)) {
            int i = firstDifference(names, columns);
            throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "the input columns are the model's features in a "
                            + "different order: column " + i + " is '" + columns.get(i) + "' but the model expects '"
                            + names.get(i) + "'")
                    .at(info.source()).hint("reorder the columns to " + abbreviate(names)).build();
        }
        List<String> missing = new ArrayList<>(names);
        missing.removeAll(actualSet);
        List<String> unexpected = new ArrayList<>(columns);
        unexpected.removeAll(expectedSet);
        throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "the input column names do not match the model's "
                        + "feature names: missing " + abbreviate(missing) + ", unexpected " + abbreviate(unexpected))
                .at(info.source()).hint("the model expects the columns " + abbreviate(names)).build();
    }

    /**
     * Predicts rows given as maps from column name to value — the way to feed models with string columns
     * (a DataFrame pipeline's categorical columns). Numbers for numeric columns, strings for string columns,
     * null or NaN for missing values; keys are the model's feature names ({@code x0, x1, …} for models
     * fitted on arrays), extra keys are ignored.
     */
    public Predictions predictRows(List<? extends Map<String, ?>> rows) {
        List<String> names = CellRows.schemaNames(info);
        List<Object[]> cells = new ArrayList<>(rows.size());
        for (int r = 0; r < rows.size(); r++) {
            Map<String, ?> row = rows.get(r);
            Object[] c = new Object[names.size()];
            for (int i = 0; i < c.length; i++) {
                if (!row.containsKey(names.get(i))) {
                    throw invalidInput("row " + r + " lacks the column '" + names.get(i) + "'",
                            "the model reads the columns " + abbreviate(names));
                }
                c[i] = row.get(names.get(i));
            }
            cells.add(c);
        }
        return predictCells(names, cells);
    }

    /**
     * Predicts rows of cells whose columns are named {@code columns} (a CSV header, say): matched to the
     * model's columns by name in any order (extra columns ignored) when the model has feature names,
     * by position otherwise. Cells as for {@link #predictRows}; strings in numeric columns are parsed.
     */
    public Predictions predictCells(List<String> columns, List<Object[]> rows) {
        return predictCells(columns, rows, 0);
    }

    /** {@link #predictCells(List, List)} with row numbers in errors counted from {@code firstRow}. */
    public Predictions predictCells(List<String> columns, List<Object[]> rows, long firstRow) {
        int[] source = CellRows.mapColumns(info, columns);
        CellRows cells = CellRows.of(info, source, rows, firstRow);
        ReentrantReadWriteLock.ReadLock lock = lifecycle.readLock();
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the predictor of " + info.source() + " is closed");
            }
            OutputCollector collector = new OutputCollector(returnedOutputs, cells.rows, info.source(), options.maxOutputBytes());
            int chunk = Math.max(1, Math.min(cells.rows, rowsPerRun(cells.numericWidth + cells.stringWidth)));
            try (RunControl control = new RunControl(options.runTimeout().orElse(null))) {
                for (int from = 0; from < cells.rows; from += chunk) {
                    runCells(cells, from, Math.min(cells.rows, from + chunk), collector, control);
                }
            }
            return new Predictions(cells.rows, collector.finish());
        } finally {
            lock.unlock();
        }
    }

    private void runCells(CellRows cells, int from, int to, OutputCollector collector, RunControl control) {
        int n = to - from;
        List<OnnxTensor> tensors = new ArrayList<>();
        try {
            Map<String, OnnxTensor> feeds = new java.util.HashMap<>();
            if (!info.inputName().isEmpty()) {
                int w = cells.numericWidth;
                long[] shape = {n, w};
                OnnxTensor t;
                if (info.inputType() == FloatType.FLOAT32) {
                    float[] f = new float[n * w];
                    for (int i = 0; i < f.length; i++) {
                        f[i] = (float) cells.numbers[from * w + i];
                    }
                    t = OnnxTensor.createTensor(env, FloatBuffer.wrap(f), shape);
                } else {
                    t = OnnxTensor.createTensor(env, DoubleBuffer.wrap(
                            java.util.Arrays.copyOfRange(cells.numbers, from * w, to * w)), shape);
                }
                tensors.add(t);
                feeds.put(info.inputName(), t);
            }
            if (info.hasStringColumns()) {
                int w = cells.stringWidth;
                OnnxTensor t = OnnxTensor.createTensor(env,
                        java.util.Arrays.copyOfRange(cells.strings, from * w, to * w), new long[]{n, w});
                tensors.add(t);
                feeds.put(info.stringInputName(), t);
            }
            try (OrtSession.Result result = opened.session().run(feeds, returnedOutputNames, control.options())) {
                collector.add(from, n, result);
            }
        } catch (OrtException e) {
            if (control.timedOut()) {
                throw control.timeout(info.source());
            }
            throw OrtErrors.running(e, info.source());
        } finally {
            tensors.forEach(OnnxTensor::close);
        }
    }

    /** Predicts rows of features; every row must have the model's feature count. */
    public Predictions predict(float[][] rows) {
        return run(new InputRows.FloatArrays(rows, arrayWidth(rows.length, i -> rows[i].length)));
    }

    /** Predicts rows after checking {@code columnNames} with {@link #checkColumns}. */
    public Predictions predict(float[][] rows, List<String> columnNames) {
        checkColumns(columnNames);
        return predict(rows);
    }

    /** Predicts rows of features; a float32 model receives them rounded to float. */
    public Predictions predict(double[][] rows) {
        return run(new InputRows.DoubleArrays(rows, arrayWidth(rows.length, i -> rows[i].length)));
    }

    /** Predicts rows after checking {@code columnNames} with {@link #checkColumns}. */
    public Predictions predict(double[][] rows, List<String> columnNames) {
        checkColumns(columnNames);
        return predict(rows);
    }

    /**
     * Predicts {@code rows} rows stored row-major in {@code data} from its position to its limit, which
     * must hold exactly {@code rows × features} values. A direct native-order buffer feeds a float32
     * model without copying; other buffers are copied once per batch into a pooled direct buffer. The
     * buffer's position is not changed.
     */
    public Predictions predict(FloatBuffer data, int rows) {
        return run(new InputRows.Floats(data, rows, bufferWidth(data.remaining(), rows)));
    }

    /** Like {@link #predict(FloatBuffer, int)} for doubles (zero copy for float64 models). */
    public Predictions predict(DoubleBuffer data, int rows) {
        return run(new InputRows.Doubles(data, rows, bufferWidth(data.remaining(), rows)));
    }

    /** Predicts {@code rows} rows stored row-major in {@code data} (length {@code rows × features}). */
    public Predictions predict(float[] data, int rows) {
        return predict(FloatBuffer.wrap(data), rows);
    }

    /** Predicts {@code rows} rows stored row-major in {@code data} (length {@code rows × features}). */
    public Predictions predict(double[] data, int rows) {
        return predict(DoubleBuffer.wrap(data), rows);
    }

    private void requireNumericOnly() {
        if (info.hasStringColumns()) {
            throw invalidInput("the model reads string columns " + info.featureTypes(),
                    "give rows with predictRows(maps) or predictCells(columns, rows)");
        }
    }

    private int arrayWidth(int n, java.util.function.IntUnaryOperator rowLength) {
        requireNumericOnly();
        int width = info.featureCount() >= 0 ? info.featureCount() : (n == 0 ? 0 : rowLength.applyAsInt(0));
        for (int i = 0; i < n; i++) {
            int len = rowLength.applyAsInt(i);
            if (len != width) {
                throw invalidInput("row " + i + " has " + len + " values but the model expects " + width + " features",
                        "every row needs one value per feature, in the model's feature order");
            }
        }
        return width;
    }

    private int bufferWidth(int values, int rows) {
        requireNumericOnly();
        if (rows < 0) {
            throw invalidInput("row count must not be negative, got " + rows, null);
        }
        int width = info.featureCount();
        if (width >= 0) {
            if ((long) rows * width != values) {
                throw invalidInput("the buffer holds " + values + " values but " + rows + " rows × " + width
                        + " features = " + (long) rows * width, "set the buffer's position and limit to exactly the rows to predict");
            }
            return width;
        }
        if (rows == 0 ? values != 0 : values % rows != 0) {
            throw invalidInput("the buffer holds " + values + " values, not a whole number of " + rows + " rows", null);
        }
        return rows == 0 ? 0 : values / rows;
    }

    private Predictions run(InputRows in) {
        ReentrantReadWriteLock.ReadLock lock = lifecycle.readLock();
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the predictor of " + info.source() + " is closed");
            }
            return runOpen(in);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Rows per run for rows of {@code width} values: the options' batch size, limited by their byte bound
     * and by {@link ModelContract#MAX_ROWS_PER_RUN}, which the compiler records to keep the graph's
     * intermediates within its tensor limit.
     */
    private int rowsPerRun(int width) {
        long rowBytes = (long) Math.max(1, width) * info.inputType().bytes();
        if (rowBytes > options.maxBatchBytes()) {
            throw Ml2TensorException.of(ErrorCode.LIMIT_EXCEEDED, "one row of " + width + " features takes "
                            + rowBytes + " bytes, more than the batch limit of " + options.maxBatchBytes() + " bytes")
                    .at(info.source()).hint("raise PredictorOptions.maxBatchBytes, or pass fewer features").build();
        }
        return Math.min(options.rowsPerBatch(width, info.inputType().bytes()), maxRowsPerRun);
    }

    private static int metadataRows(ModelInfo info, String key, int absent) {
        String value = info.metadata().get(key);
        if (value == null) {
            return absent;
        }
        try {
            return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            return absent;
        }
    }

    private Predictions runOpen(InputRows in) {
        int n = in.rows();
        OutputCollector collector = new OutputCollector(returnedOutputs, n, info.source(), options.maxOutputBytes());
        if (n == 0 || returnedOutputs.isEmpty()) {
            return new Predictions(n, collector.finish());
        }
        int parallel = provider() == Provider.CPU ? options.effectiveParallelRuns() : 1;
        int chunk = Math.min(n, rowsPerRun(in.width()));
        if (companion != null && n <= companion.maxRows() && chunk == n) {
            // A small call on the CPU companion: one native kernel, one run on the calling thread.
            return runSingle(in, collector, companion.session(), companionPinned);
        }
        if (provider() == Provider.CPU && info.metadata().containsKey(ModelContract.PREFERRED_ROWS_PER_RUN)) {
            chunk = Math.max(1, Math.min(chunk, preferredRowsPerRun));
        }
        if (chunk == n && n <= SMALL_CALL_ROWS) {
            // A small call is one run on the calling thread: no executor hop, no RunOptions without a time limit.
            return runSingle(in, collector, opened.session(), mainPinned);
        }
        if (parallel > 1 && n > 1) {
            // Cache-sized chunks, at least one per worker.
            int perWorker = (int) Math.min(Integer.MAX_VALUE, ((long) n + parallel - 1) / parallel);
            chunk = Math.max(1, Math.min(chunk, Math.min(preferredRowsPerRun, perWorker)));
        }
        try (RunControl control = new RunControl(options.runTimeout().orElse(null))) {
            if (parallel > 1 && chunk < n) {
                runParallel(in, chunk, collector, control);
            } else {
                for (int from = 0; from < n; from += chunk) {
                    if (control.timedOut()) {
                        throw control.timeout(info.source());
                    }
                    runChunk(in, from, Math.min(n, from + chunk), collector, control);
                }
            }
        }
        return new Predictions(n, collector.finish());
    }

    /**
     * Runs all rows of a call as one run on {@code session}, on the calling thread: on a slot of pinned tensors
     * when {@code pinned} has one for this row count, otherwise the ordinary way (after which {@code pinned}
     * builds a slot for the next call of this size).
     */
    private Predictions runSingle(InputRows in, OutputCollector collector, OrtSession session, PinnedRuns pinned) {
        int n = in.rows();
        PinnedRuns.Slot slot = pinned == null ? null : pinned.acquire(n);
        if (slot != null) {
            try {
                Buffer data = slot.fill(in);
                if (!info.acceptsMissing()) {
                    checkNoMissing(data, 0, in.width());
                }
                try (RunControl control = RunControl.forSingleRun(options.runTimeout().orElse(null))) {
                    try {
                        return new Predictions(n, pinned.run(slot, control.options()));
                    } catch (OrtException e) {
                        if (control.timedOut()) {
                            throw control.timeout(info.source());
                        }
                        pinned.disable(); // the ordinary run below reports a genuine failure
                    }
                }
            } finally {
                pinned.release(slot);
            }
        }
        try (RunControl control = RunControl.forSingleRun(options.runTimeout().orElse(null))) {
            runChunk(in, 0, n, collector, control, session);
            List<Output> outputs = collector.finish();
            if (pinned != null && pinned.enabled()) {
                pinned.learn(in, outputs, collector.shapes(), control);
            }
            return new Predictions(n, outputs);
        }
    }

    /**
     * Runs the chunks of one call on the worker pool. The first failure stops the other runs (through
     * the call's {@link RunControl}) and keeps queued chunks from starting; the call returns only after
     * every chunk has finished, so no run outlives it (a caller may close the predictor next).
     */
    private void runParallel(InputRows in, int chunk, OutputCollector collector, RunControl control) {
        int n = in.rows();
        ExecutorService pool = workers();
        List<Future<?>> futures = new ArrayList<>();
        Throwable first = null;
        boolean interrupted = false;
        for (int from = 0; from < n && first == null; from += chunk) {
            int start = from;
            int end = Math.min(n, from + chunk);
            try {
                futures.add(pool.submit(() -> {
                    if (!control.stopped()) {
                        runChunk(in, start, end, collector, control);
                    }
                    return null;
                }));
            } catch (RuntimeException | Error e) {
                first = e;
                control.stop();
            }
        }
        for (Future<?> f : futures) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (ExecutionException e) {
                    if (first == null) {
                        first = e.getCause();
                        control.stop();
                    }
                    break;
                } catch (InterruptedException e) {
                    // Stop the runs, but still wait for them: none may outlive this call.
                    interrupted = true;
                    if (first == null) {
                        first = Ml2TensorException.of(ErrorCode.RUNTIME, "interrupted while predicting")
                                .at(info.source()).cause(e).build();
                    }
                    control.stop();
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (control.timedOut()) {
            throw control.timeout(info.source());
        }
        if (first instanceof RuntimeException re) {
            throw re;
        }
        if (first instanceof Error err) {
            throw err;
        }
        if (first != null) {
            throw Ml2TensorException.of(ErrorCode.RUNTIME, "prediction failed: " + first).at(info.source())
                    .cause(first).build();
        }
    }

    private ExecutorService workers() {
        synchronized (this) {
            if (workers == null) {
                int size = options.effectiveParallelRuns();
                AtomicInteger id = new AtomicInteger();
                workers = Executors.newFixedThreadPool(size, r -> {
                    Thread t = new Thread(r, "ml2tensor-predict-" + id.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
            }
            return workers;
        }
    }

    /** Runs rows {@code [from, to)} and copies their outputs into {@code collector}. */
    private void runChunk(InputRows in, int from, int to, OutputCollector collector, RunControl control) {
        runChunk(in, from, to, collector, control, opened.session());
    }

    /** Runs rows {@code [from, to)} on {@code session} (the main graph's or the companion's). */
    private void runChunk(InputRows in, int from, int to, OutputCollector collector, RunControl control,
                          OrtSession session) {
        int width = in.width();
        FloatType type = info.inputType();
        ByteBuffer scratch = null;
        try {
            Buffer data = in.view(from, to, type);
            if (data == null) {
                scratch = pool.acquire((long) (to - from) * width * type.bytes());
                data = fill(in, from, to, scratch, type);
            }
            if (!info.acceptsMissing()) {
                checkNoMissing(data, from, width);
            }
            long[] shape = {to - from, width};
            try (OnnxTensor tensor = type == FloatType.FLOAT32
                    ? OnnxTensor.createTensor(env, (FloatBuffer) data, shape)
                    : OnnxTensor.createTensor(env, (DoubleBuffer) data, shape);
                 OrtSession.Result result = session.run(Map.of(info.inputName(), tensor), returnedOutputNames,
                         control.options())) {
                collector.add(from, to - from, result);
            }
        } catch (OrtException e) {
            if (control.timedOut()) {
                throw control.timeout(info.source());
            }
            throw OrtErrors.running(e, info.source());
        } finally {
            pool.release(scratch);
        }
    }

    private static Buffer fill(InputRows in, int from, int to, ByteBuffer scratch, FloatType type) {
        scratch.clear();
        if (type == FloatType.FLOAT32) {
            FloatBuffer fb = scratch.asFloatBuffer();
            in.copyTo(from, to, fb);
            return fb.flip();
        }
        DoubleBuffer db = scratch.asDoubleBuffer();
        in.copyTo(from, to, db);
        return db.flip();
    }

    private void checkNoMissing(Buffer data, int firstRow, int width) {
        int start = data.position();
        int end = data.limit();
        if (data instanceof FloatBuffer fb) {
            for (int i = start; i < end; i++) {
                if (Float.isNaN(fb.get(i))) {
                    throw missing(firstRow, width, i - start);
                }
            }
        } else {
            DoubleBuffer db = (DoubleBuffer) data;
            for (int i = start; i < end; i++) {
                if (Double.isNaN(db.get(i))) {
                    throw missing(firstRow, width, i - start);
                }
            }
        }
    }

    private Ml2TensorException missing(int firstRow, int width, int index) {
        int row = firstRow + index / width;
        int col = index % width;
        return invalidInput("missing value (NaN) at row " + row + ", " + info.featureLabel(col)
                        + "; this model does not accept missing values",
                "impute missing values before predicting, or use a model trained to handle them");
    }

    private Ml2TensorException invalidInput(String message, String hint) {
        return Ml2TensorException.of(ErrorCode.INVALID_INPUT, message).at(info.source()).hint(hint).build();
    }

    private static String abbreviate(List<String> names) {
        if (names.size() <= 12) {
            return names.toString();
        }
        return names.subList(0, 10) + " … (" + names.size() + " in all)";
    }

    private static int firstDifference(List<String> a, List<String> b) {
        int i = 0;
        while (i < a.size() && a.get(i).equals(b.get(i))) {
            i++;
        }
        return i;
    }

    /** Releases the session; waits for running {@code predict} calls. Calling it again does nothing. */
    @Override
    public void close() {
        ReentrantReadWriteLock.WriteLock lock = lifecycle.writeLock();
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                synchronized (this) {
                    if (workers != null) {
                        workers.shutdownNow();
                    }
                }
                if (mainPinned != null) {
                    mainPinned.close();
                }
                if (companionPinned != null) {
                    companionPinned.close();
                }
                if (companion != null) {
                    companion.close();
                }
                opened.close();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "Predictor[" + info.source() + " on " + provider() + "]";
    }
}
