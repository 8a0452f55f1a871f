package org.ml2tensor.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.spark.SparkEnv;
import org.ml2tensor.runtime.Device;
import org.ml2tensor.runtime.Predictor;
import org.ml2tensor.runtime.PredictorOptions;

/**
 * The predictors of one executor JVM: one shared {@link Predictor} per model (keyed by the SHA-256 of
 * its ONNX bytes) and device, opened lazily by the first task that needs it and used by all task
 * threads at once (ONNX Runtime sessions are thread-safe). They are closed when the executor stops —
 * by {@link Ml2TensorPlugin} when it is configured, and by a JVM shutdown hook otherwise — or by
 * {@link #closeAll()}.
 *
 * <p>Each task runs single-threaded ONNX Runtime calls (intra-op threads 1, no parallel chunks):
 * Spark's task slots already use the executor's cores.
 */
public final class Ml2TensorExecutors {
    private static final ConcurrentHashMap<String, Predictor> OPEN = new ConcurrentHashMap<>();
    private static final AtomicInteger OPENED = new AtomicInteger();
    private static final AtomicInteger CLOSED = new AtomicInteger();
    private static final AtomicBoolean NOTICE_SHOWN = new AtomicBoolean();
    private static final AtomicBoolean HOOK = new AtomicBoolean();

    private Ml2TensorExecutors() {
    }

    /** The shared predictor of this model and device, opened from {@code onnx} on first use. */
    static Predictor predictor(ModelSignature model, Device device, Supplier<byte[]> onnx) {
        String key = model.sha256() + "/" + device;
        Predictor p = OPEN.get(key);
        if (p != null) {
            return p;
        }
        registerShutdownHook();
        return OPEN.computeIfAbsent(key, k -> open(model, device, onnx.get()));
    }

    private static Predictor open(ModelSignature model, Device device, byte[] onnx) {
        List<String> notices = new ArrayList<>();
        PredictorOptions options = PredictorOptions.builder()
                .device(device)
                .intraOpThreads(1)
                .parallelRuns(1)
                .batchSize(Math.max(PredictorOptions.DEFAULT_BATCH_SIZE, model.preferredRows()))
                .noticeSink(notices::add)
                .build();
        Predictor p = Predictor.open(onnx, model.displayName(), options);
        OPENED.incrementAndGet();
        if (NOTICE_SHOWN.compareAndSet(false, true)) {
            String why = notices.isEmpty() ? "" : " (" + String.join("; ", notices) + ")";
            System.err.println("ml2tensor: executor " + executorId() + " scores on "
                    + p.provider().toString().toLowerCase(Locale.ROOT) + why);
        }
        return p;
    }

    private static String executorId() {
        SparkEnv env = SparkEnv.get();
        return env == null ? "(no SparkEnv)" : env.executorId();
    }

    private static void registerShutdownHook() {
        if (HOOK.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(Ml2TensorExecutors::closeAll, "ml2tensor-close-predictors"));
        }
    }

    /** Number of predictors open in this JVM now. */
    public static int openPredictors() {
        return OPEN.size();
    }

    /** Number of predictors opened in this JVM since it started. */
    public static int openedTotal() {
        return OPENED.get();
    }

    /** Number of predictors closed in this JVM since it started. */
    public static int closedTotal() {
        return CLOSED.get();
    }

    /** Closes every predictor of this JVM (each waits for its running calls); later tasks reopen them. */
    public static synchronized void closeAll() {
        for (String key : List.copyOf(OPEN.keySet())) {
            Predictor p = OPEN.remove(key);
            if (p != null) {
                p.close();
                CLOSED.incrementAndGet();
            }
        }
    }
}
