package org.ml2tensor.serve;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.runtime.FloatType;
import org.ml2tensor.runtime.Output;
import org.ml2tensor.runtime.Predictions;
import org.ml2tensor.runtime.Predictor;
import org.ml2tensor.serve.metrics.ServeMetrics;

/**
 * Merges concurrent requests for one model into single ONNX Runtime calls. A bounded queue takes
 * validated requests; each of {@code workers} threads in turn gathers a batch — everything queued, up to
 * {@code maxBatchRows} rows, waiting at most {@code maxQueueDelayMicros} after the first request for more
 * — runs it as one call and splits the outputs back by row range. While one worker runs a batch the next
 * one gathers, so the queue fills exactly while the model is busy; when no batch is running the gathered
 * requests go at once (waiting would only add latency), and a batch counts as running only until its ONNX
 * Runtime call returns — its answers are handed out after that, and a gatherer waiting meanwhile is woken. A full queue refuses new requests
 * (the caller answers 503); closing stops intake and lets the queued requests finish.
 */
public final class DynamicBatcher {
    private final String model;
    private final String version;
    private final Predictor predictor;
    private final ModelSignature signature;
    private final ServeConfig.Batching limits;
    private final ServeMetrics metrics;
    private final int features;
    private final boolean float64;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final ReentrantLock gathering = new ReentrantLock(true);
    private final ArrayDeque<Job> queue = new ArrayDeque<>();
    private final List<Thread> workers = new ArrayList<>();
    private boolean closed;
    private int live;
    /** Batches being run now; a gathering worker waits for more requests only while one is. */
    private int running;
    private final ThreadLocal<ByteBuffer> scratch = new ThreadLocal<>();
    private Runnable onDrained;

    /**
     * One validated request waiting for its batch.
     *
     * @param rows     rows of {@code data}
     * @param data     the request's row-major elements
     * @param outputs  outputs to return, in order
     */
    public record Job(String id, int rows, TensorData data, List<InferRequest.RequestedOutput> outputs,
                      long enqueuedNanos, CompletableFuture<Reply> reply) {
    }

    /** Result of {@link #submit}. */
    public enum Admission { QUEUED, FULL, CLOSED }

    DynamicBatcher(String model, String version, Predictor predictor, ModelSignature signature,
                   ServeConfig.Batching limits, ServeMetrics metrics) {
        this.model = model;
        this.version = version;
        this.predictor = predictor;
        this.signature = signature;
        this.limits = limits;
        this.metrics = metrics;
        this.features = predictor.info().featureCount();
        this.float64 = predictor.info().inputType() == FloatType.FLOAT64;
        for (int i = 0; i < limits.workers(); i++) {
            Thread t = new Thread(this::work, "batch-" + model + "-v" + version + "-" + i);
            t.setDaemon(true);
            workers.add(t);
        }
        live = workers.size();
        metrics.queueDepth.bind(this::depth, model);
        workers.forEach(Thread::start);
    }

    /** Queues a job unless the queue is full or closed. */
    public Admission submit(Job job) {
        lock.lock();
        try {
            if (closed) {
                return Admission.CLOSED;
            }
            if (queue.size() >= limits.maxQueueRequests()) {
                return Admission.FULL;
            }
            queue.addLast(job);
            notEmpty.signal();
            return Admission.QUEUED;
        } finally {
            lock.unlock();
        }
    }

    /** Requests waiting. */
    public int depth() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Stops intake; queued jobs still run; {@code whenDrained} runs once the last batch has finished. */
    void close(Runnable whenDrained) {
        lock.lock();
        try {
            closed = true;
            onDrained = whenDrained;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the workers to exit after {@link #close}. */
    boolean awaitTermination(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (Thread t : workers) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            t.join(left);
            if (t.isAlive()) {
                return false;
            }
        }
        return true;
    }

    private void work() {
        try {
            while (true) {
                List<Job> batch = gather();
                if (batch == null) {
                    break;
                }
                List<Runnable> replies;
                try {
                    replies = run(batch);
                } finally {
                    endRun();
                }
                // Completed after the model is free again: the gathering worker must not wait for more
                // requests while this one hands out answers (that wait is only worth it while a batch runs).
                replies.forEach(Runnable::run);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lastOneOut();
        }
    }

    /** One batch less running; a gatherer waiting for more requests dispatches what it has once none runs. */
    private void endRun() {
        lock.lock();
        try {
            running--;
            if (running == 0) {
                notEmpty.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private void lastOneOut() {
        Runnable r = null;
        lock.lock();
        try {
            live--;
            if (live == 0 && onDrained != null) {
                r = onDrained;
                onDrained = null;
            }
        } finally {
            lock.unlock();
        }
        if (r != null) {
            metrics.queueDepth.unbind(model);
            r.run();
        }
    }

    /** The next batch, or null when closed and empty. One worker gathers at a time. */
    private List<Job> gather() throws InterruptedException {
        gathering.lockInterruptibly();
        try {
            lock.lockInterruptibly();
            try {
                while (queue.isEmpty()) {
                    if (closed) {
                        return null;
                    }
                    notEmpty.await();
                }
                List<Job> batch = new ArrayList<>();
                Job first = queue.pollFirst();
                batch.add(first);
                int rows = first.rows();
                long deadline = first.enqueuedNanos() + TimeUnit.MICROSECONDS.toNanos(limits.maxQueueDelayMicros());
                while (rows < limits.maxBatchRows()) {
                    Job next = queue.peekFirst();
                    if (next != null) {
                        if (rows + next.rows() > limits.maxBatchRows()) {
                            break;
                        }
                        queue.pollFirst();
                        batch.add(next);
                        rows += next.rows();
                        continue;
                    }
                    long wait = deadline - System.nanoTime();
                    if (wait <= 0 || closed || running == 0) {
                        // An idle model gains nothing from waiting: more requests queue up only while a
                        // batch runs, so a lone request (or a lull) is dispatched at once.
                        break;
                    }
                    notEmpty.awaitNanos(wait);
                }
                running++;
                return batch;
            } finally {
                lock.unlock();
            }
        } finally {
            gathering.unlock();
        }
    }

    /** Runs a batch; returns the completion of each request's reply, to run once the model is free. */
    private List<Runnable> run(List<Job> batch) {
        int rows = 0;
        for (Job j : batch) {
            rows += j.rows();
        }
        List<Runnable> replies = new ArrayList<>(batch.size());
        long start = System.nanoTime();
        Predictions p;
        try {
            p = predict(batch, rows);
        } catch (Ml2TensorException e) {
            if (batch.size() > 1 && e.code() == ErrorCode.INVALID_INPUT) {
                // One request the pre-checks let through spoils the batch: run them one by one.
                for (Job j : batch) {
                    replies.addAll(run(List.of(j)));
                }
                return replies;
            }
            ServeError.Kind kind = e.code() == ErrorCode.INVALID_INPUT ? ServeError.Kind.BAD_REQUEST
                    : ServeError.Kind.INTERNAL;
            for (Job j : batch) {
                replies.add(() -> j.reply().complete(Reply.failed(kind, e.getMessage())));
            }
            return replies;
        } catch (RuntimeException e) {
            for (Job j : batch) {
                replies.add(() -> j.reply().complete(Reply.failed(ServeError.Kind.INTERNAL, "inference failed: " + e)));
            }
            return replies;
        }
        long inferNanos = System.nanoTime() - start;
        metrics.inferenceSeconds.observe(inferNanos / 1e9, model);
        metrics.batchRows.observe(rows, model);
        metrics.batchRequests.observe(batch.size(), model);
        metrics.rows.add(rows, model);
        int at = 0;
        for (Job j : batch) {
            long queued = Math.max(0, start - j.enqueuedNanos());
            metrics.queueSeconds.observe(queued / 1e9, model);
            List<OutputTensor> outs = new ArrayList<>(j.outputs().size());
            for (InferRequest.RequestedOutput ro : j.outputs()) {
                Output o = p.output(ro.name()).orElseThrow();
                TensorMetadata meta = signature.output(ro.name()).orElseThrow();
                outs.add(new OutputTensor(ro.name(), meta.datatype(), shape(meta, j.rows(), o.width()), o, at,
                        j.rows(), ro.binary()));
            }
            at += j.rows();
            Reply r = new Reply.Ok(new InferResult(model, version, j.id(), outs,
                    new InferResult.Timing(queued, inferNanos, rows, batch.size())));
            replies.add(() -> j.reply().complete(r));
        }
        return replies;
    }

    private Predictions predict(List<Job> batch, int rows) {
        int width = features >= 0 ? features : batch.get(0).data().size() / Math.max(1, batch.get(0).rows());
        if (float64) {
            DoubleBuffer buf = scratch(rows * width * Double.BYTES).asDoubleBuffer();
            for (Job j : batch) {
                TensorData d = j.data();
                for (int i = 0; i < d.size(); i++) {
                    buf.put(d.getDouble(i));
                }
            }
            buf.flip();
            return predictor.predict(buf, rows);
        }
        FloatBuffer buf = scratch(rows * width * Float.BYTES).asFloatBuffer();
        for (Job j : batch) {
            if (j.data() instanceof TensorData.Floats f) {
                buf.put(f.values());
            } else {
                TensorData d = j.data();
                for (int i = 0; i < d.size(); i++) {
                    buf.put((float) d.getDouble(i));
                }
            }
        }
        buf.flip();
        return predictor.predict(buf, rows);
    }

    /** This worker's direct native-order buffer, grown when a batch needs more (ORT reads it without a copy). */
    private ByteBuffer scratch(int bytes) {
        ByteBuffer b = scratch.get();
        if (b == null || b.capacity() < bytes) {
            b = ByteBuffer.allocateDirect(Math.max(bytes, 4096)).order(ByteOrder.nativeOrder());
            scratch.set(b);
        }
        b.clear().limit(bytes);
        return b;
    }

    private static long[] shape(TensorMetadata meta, int rows, int width) {
        List<Long> s = meta.shape();
        if (s.size() <= 1) {
            return new long[] {rows};
        }
        long[] out = new long[s.size()];
        out[0] = rows;
        long product = 1;
        boolean known = true;
        for (int i = 1; i < s.size(); i++) {
            out[i] = s.get(i);
            known &= s.get(i) >= 0;
            product *= Math.max(1, s.get(i));
        }
        if (!known || product != width) {
            return new long[] {rows, width};
        }
        return out;
    }
}
