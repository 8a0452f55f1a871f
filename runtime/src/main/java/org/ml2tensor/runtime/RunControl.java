package org.ml2tensor.runtime;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * The ONNX Runtime {@code RunOptions} shared by every run of one {@code predict} call, so that the call
 * can stop all of them: when one chunk fails (the others must not keep running on a session that the
 * caller may close next) and when the call's time limit passes. Closing it cancels the deadline and
 * releases the native options; it must happen only after every run of the call has returned.
 */
final class RunControl implements AutoCloseable {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ml2tensor-deadline");
        t.setDaemon(true);
        return t;
    });

    private final OrtSession.RunOptions options;
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
    static RunControl forSingleRun(Duration limit) {
        return new RunControl(limit, limit != null);
    }

    private RunControl(Duration limit, boolean withOptions) {
        if (!withOptions) {
            this.options = null;
            this.limit = null;
            this.deadline = null;
            return;
        }
        try {
            this.options = new OrtSession.RunOptions();
            // A terminated run is reported by our own exception; ONNX Runtime need not log it too.
            options.setLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
        } catch (OrtException e) {
            throw Ml2TensorException.of(ErrorCode.RUNTIME, "cannot create ONNX Runtime run options: " + e.getMessage())
                    .cause(e).build();
        }
        this.limit = limit;
        this.deadline = limit == null ? null : TIMER.schedule(this::expire, limit.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The run options every run of the call gets; null for a {@link #forSingleRun} call without a limit. */
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
        if (!closed && options != null) {
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
            if (options != null) {
                options.close();
            }
        }
    }
}
