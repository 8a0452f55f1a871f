package org.ml2tensor.runtime;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * The ONNX Runtime {@code RunOptions} shared by every run of one {@code predict} call, so that the call
 * can stop all of them: when one chunk fails (the others must not keep running on a session that the
 * caller may close next) and when the call's time limit passes. Closing it cancels the deadline and
 * releases the native options; it must happen only after every run of the call has returned.
 *
 * <p>At JVM shutdown (Ctrl-C, SIGTERM, SIGHUP, {@code System.exit}) every live run is terminated and the
 * shutdown waits briefly for the calls to return: otherwise the process could exit while ONNX Runtime
 * still runs a graph on another thread, and exiting under a running session can hang in its native
 * teardown.
 */
final class RunControl implements AutoCloseable {
    /** Every native run options object that a run may be using now, guarded by the class lock. */
    private static final Set<OrtSession.RunOptions> LIVE = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger CALLS = new AtomicInteger();
    private static final long SHUTDOWN_WAIT_MS = 3_000;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(RunControl::terminateAll, "ml2tensor-terminate-runs"));
    }

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ml2tensor-deadline");
        t.setDaemon(true);
        return t;
    });

    private final OrtSession.RunOptions options;
    /** Whether {@link #options} belongs to this call (closed with it) or to the predictor (shared). */
    private final boolean owned;
    private final Duration limit;
    private final ScheduledFuture<?> deadline;
    private volatile boolean stopped;
    private volatile boolean timedOut;
    private boolean closed;

    RunControl(Duration limit) {
        this(limit, true);
    }

    /**
     * The control of a call that makes exactly one run: without a time limit nothing can stop that run (no
     * other chunk can fail), so it gets no native {@code RunOptions} ({@link #options()} is null) and costs
     * nothing per call; with a limit it is an ordinary control.
     */
    static RunControl forSingleRun(Duration limit, OrtSession.RunOptions shared) {
        return limit == null ? new RunControl(shared) : new RunControl(limit, true);
    }

    /** A call without a limit whose one run uses the predictor's shared options (terminated only at shutdown). */
    private RunControl(OrtSession.RunOptions shared) {
        CALLS.incrementAndGet();
        this.options = shared;
        this.owned = false;
        this.limit = null;
        this.deadline = null;
    }

    private RunControl(Duration limit, boolean withOptions) {
        CALLS.incrementAndGet();
        this.owned = true;
        try {
            this.options = newOptions();
        } catch (RuntimeException e) {
            CALLS.decrementAndGet();
            throw e;
        }
        this.limit = limit;
        this.deadline = limit == null ? null : TIMER.schedule(this::expire, limit.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** New native run options, registered so that shutdown terminates their runs; {@link #release} them. */
    static OrtSession.RunOptions newOptions() {
        try {
            OrtSession.RunOptions o = new OrtSession.RunOptions();
            // A terminated run is reported by our own exception; ONNX Runtime need not log it too.
            o.setLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            synchronized (RunControl.class) {
                LIVE.add(o);
            }
            return o;
        } catch (OrtException e) {
            throw Ml2TensorException.of(ErrorCode.RUNTIME, "cannot create ONNX Runtime run options: " + e.getMessage())
                    .cause(e).build();
        }
    }

    /** Unregisters and closes options made by {@link #newOptions} (after every run using them returned). */
    static void release(OrtSession.RunOptions o) {
        synchronized (RunControl.class) {
            LIVE.remove(o);
            o.close();
        }
    }

    /** Terminates every live run and waits up to {@value #SHUTDOWN_WAIT_MS} ms for the calls to return. */
    static void terminateAll() {
        synchronized (RunControl.class) {
            for (OrtSession.RunOptions o : LIVE) {
                try {
                    o.setTerminate(true);
                } catch (OrtException | RuntimeException e) {
                    // Best effort at shutdown.
                }
            }
        }
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SHUTDOWN_WAIT_MS);
        while (CALLS.get() > 0 && System.nanoTime() < end) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The run options every run of the call gets. */
    OrtSession.RunOptions options() {
        return options;
    }

    /** Whether runs of this call should not start (a chunk failed or time ran out). */
    boolean stopped() {
        return stopped;
    }

    boolean timedOut() {
        return timedOut;
    }

    /** Terminates the runs in progress and keeps new ones from starting. */
    synchronized void stop() {
        stopped = true;
        // Shared options are never terminated for one call: the predictor's next calls use them too.
        if (!closed && owned) {
            try {
                options.setTerminate(true);
            } catch (OrtException e) {
                // The stopped flag still keeps further chunks from starting.
            }
        }
    }

    private void expire() {
        timedOut = true;
        stop();
    }

    /** The error of a call that ran past its limit. */
    Ml2TensorException timeout(String source) {
        return Ml2TensorException.of(ErrorCode.LIMIT_EXCEEDED, "prediction exceeded the time limit of "
                        + describe(limit) + "; ONNX Runtime was stopped")
                .at(source).hint("raise the limit (--timeout) if the model is expected to take this long").build();
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            if (deadline != null) {
                deadline.cancel(false);
            }
            if (owned) {
                release(options);
            }
            CALLS.decrementAndGet();
        }
    }
}
