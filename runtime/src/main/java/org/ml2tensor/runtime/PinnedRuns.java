package org.ml2tensor.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Small one-run calls on one CPU session without per-call tensor objects: a {@link Slot} holds, for one row
 * count, the input tensor over its own direct buffer and every returned output preallocated ("pinned") over
 * direct buffers, which ONNX Runtime writes in place. A call copies its rows into the slot's input buffer, runs,
 * and copies the outputs into Java arrays; it creates no {@code OnnxTensor} and no result tensors through JNI.
 * At batch 1 that JNI work costs about as much as the native tree kernel itself (BENCHMARKS.md, Small batches).
 *
 * <p>A slot is built only after an ordinary run of the same row count, from the output shapes that run
 * produced, and is trusted only after one pinned run of the same rows reproduced that run's outputs bit for
 * bit (outputs pre-filled with a sentinel, so an output ONNX Runtime does not write in place is caught). Any
 * failed check or failed pinned run turns pinning off for the session: calls then run the ordinary way.
 * Float32, float64 and int64 outputs are pinned; string outputs (class labels) are requested from the same run
 * and fetched the ordinary way; other element types keep the ordinary path. Slots hold at most
 * {@link #MAX_SLOT_BYTES}. A slot is
 * owned by one call between {@link #acquire} and {@link #release}; idle slots are closed by {@link #close()}.
 */
final class PinnedRuns implements AutoCloseable {
    /** Largest slot (input and output buffers together). */
    static final long MAX_SLOT_BYTES = 256 << 10;
    /** Direct memory all live slots of one session may hold. */
    static final long MAX_LIVE_BYTES = 8 << 20;
    private static final int SENTINEL_FLOAT = 0x7fc0_d1e5;
    private static final long SENTINEL_DOUBLE = 0x7ff8_0000_d1e5_d1e5L;
    private static final long SENTINEL_LONG = 0x5eed_d1e5_5eed_d1e5L;

    private final OrtEnvironment env;
    private final OrtSession session;
    private final String inputName;
    private final FloatType inputType;
    private final List<TensorSpec> outputs;
    /** Names of the string outputs: requested from each run (ONNX Runtime cannot write strings into a buffer). */
    private final java.util.Set<String> stringOutputs = new java.util.LinkedHashSet<>();
    private final int maxIdle;
    private final ConcurrentHashMap<Integer, ConcurrentLinkedQueue<Slot>> idle = new ConcurrentHashMap<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    /** Slots built and not closed (idle or in use), and their bytes: a call builds one only below both limits. */
    private final AtomicInteger live = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong liveBytes = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean disabled;

    private PinnedRuns(OrtEnvironment env, OrtSession session, ModelInfo info, List<TensorSpec> outputs, int maxIdle) {
        this.env = env;
        this.session = session;
        this.inputName = info.inputName();
        this.inputType = info.inputType();
        this.outputs = outputs;
        this.maxIdle = maxIdle;
        outputs.stream().filter(o -> o.elementType() == ElementType.STRING).forEach(o -> stringOutputs.add(o.name()));
    }

    /**
     * Pinned runs of {@code session}, or null when the model does not allow them: string columns, no returned
     * output, or an output other than float32/float64/int64.
     */
    static PinnedRuns of(OrtEnvironment env, OrtSession session, ModelInfo info, List<TensorSpec> returned,
                         int maxIdle) {
        if (info.hasStringColumns() || info.inputName().isEmpty() || returned.isEmpty()) {
            return null;
        }
        boolean numeric = false;
        for (TensorSpec o : returned) {
            if (o.elementType() == ElementType.STRING) {
                continue; // fetched the ordinary way, next to the pinned ones
            }
            if (o.elementType() != ElementType.FLOAT32 && o.elementType() != ElementType.FLOAT64
                    && o.elementType() != ElementType.INT64) {
                return null;
            }
            numeric = true;
        }
        if (!numeric) {
            return null;
        }
        return new PinnedRuns(env, session, info, List.copyOf(returned), Math.max(1, maxIdle));
    }

    /** An idle slot for {@code rows} rows, or null (none built yet, or pinning is off). */
    Slot acquire(int rows) {
        if (disabled) {
            return null;
        }
        ConcurrentLinkedQueue<Slot> q = idle.get(rows);
        Slot s = q == null ? null : q.poll();
        if (s != null) {
            idleCount.decrementAndGet();
        }
        return s;
    }

    /** Returns a slot after its call; it is closed instead when pinning is off or enough slots are idle. */
    void release(Slot s) {
        if (disabled) {
            s.close();
            return;
        }
        if (idleCount.incrementAndGet() > maxIdle) {
            idleCount.decrementAndGet();
            s.close();
            return;
        }
        idle.computeIfAbsent(s.rows, r -> new ConcurrentLinkedQueue<>()).add(s);
        if (disabled) {
            drain(); // disabled meanwhile
        }
    }

    /** Turns pinning off for good and closes the idle slots (slots in use are closed on release). */
    void disable() {
        disabled = true;
        drain();
    }

    boolean enabled() {
        return !disabled;
    }

    /** Slots built and not yet closed. */
    int live() {
        return live.get();
    }

    /**
     * Runs the rows already in {@code slot}'s input buffer and returns the outputs copied into arrays.
     *
     * @throws OrtException when ONNX Runtime fails; the caller decides between a timeout and {@link #disable()}
     */
    List<Output> run(Slot slot, OrtSession.RunOptions runOptions) throws OrtException {
        try (OrtSession.Result result = session.run(slot.feeds, stringOutputs, slot.pinned, runOptions)) {
            List<Output> out = new ArrayList<>(outputs.size());
            for (int i = 0; i < outputs.size(); i++) {
                out.add(slot.buffers[i] == null ? strings(outputs.get(i), slot.rows, result) : slot.copyOut(i));
            }
            return out;
        }
    }

    private static Output strings(TensorSpec spec, int rows, OrtSession.Result result) throws OrtException {
        ai.onnxruntime.OnnxValue v = result.get(spec.name()).orElse(null);
        if (!(v instanceof OnnxTensor t) || t.getInfo().getShape().length == 0 || t.getInfo().getShape()[0] != rows) {
            throw new OrtException("string output '" + spec.name() + "' is missing or not " + rows + " rows");
        }
        long count = t.getInfo().getNumElements();
        String[] data = new String[(int) count];
        int[] next = {0};
        flatten(t.getValue(), data, next);
        if (next[0] != count) {
            throw new OrtException("string output '" + spec.name() + "' has an unexpected element count");
        }
        return new Output.Strings(spec.name(), rows, (int) (count / rows), data);
    }

    private static void flatten(Object value, String[] dst, int[] next) {
        if (value instanceof String s) {
            dst[next[0]++] = s;
        } else if (value instanceof String[] arr) {
            System.arraycopy(arr, 0, dst, next[0], arr.length);
            next[0] += arr.length;
        } else if (value instanceof Object[] arr) {
            for (Object o : arr) {
                flatten(o, dst, next);
            }
        }
    }

    /**
     * After an ordinary run of {@code in} gave {@code expected} with output shapes {@code shapes}, builds a slot
     * for its row count, checks that a pinned run of the same rows reproduces {@code expected} exactly, and keeps
     * it idle; turns pinning off when the check fails (unless {@code control} stopped the run). Does nothing when the slot would be too large.
     */
    void learn(InputRows in, List<Output> expected, Map<String, long[]> shapes, RunControl control) {
        if (disabled) {
            return;
        }
        int rows = in.rows();
        long bytes = (long) rows * in.width() * inputType.bytes();
        for (TensorSpec o : outputs) {
            long[] shape = shapes.get(o.name());
            if (shape == null || shape.length == 0 || shape[0] != rows) {
                return;
            }
            if (o.elementType() != ElementType.STRING) {
                bytes += elements(shape) * elementBytes(o.elementType());
            }
        }
        if (bytes > MAX_SLOT_BYTES || live.get() >= maxIdle || liveBytes.get() + bytes > MAX_LIVE_BYTES) {
            return; // a call that finds every slot busy or the budget spent runs the ordinary way
        }
        Slot slot;
        try {
            slot = new Slot(rows, in.width(), shapes, bytes);
        } catch (OrtException | RuntimeException e) {
            disable();
            return;
        }
        boolean keep = false;
        boolean stopped = false;
        try {
            slot.fill(in);
            slot.fillSentinels();
            keep = sameOutputs(run(slot, control.options()), expected);
        } catch (OrtException | RuntimeException e) {
            stopped = control.stopped(); // a time limit, not pinning, ended the check
        } finally {
            if (keep) {
                release(slot);
            } else {
                slot.close();
                if (!stopped) {
                    disable();
                }
            }
        }
    }

    private static boolean sameOutputs(List<Output> got, List<Output> expected) {
        if (got.size() != expected.size()) {
            return false;
        }
        for (int i = 0; i < got.size(); i++) {
            Output a = got.get(i);
            Output b = expected.get(i);
            if (!a.name().equals(b.name()) || a.rows() != b.rows() || a.width() != b.width()) {
                return false;
            }
            boolean same;
            if (a instanceof Output.Floats f && b instanceof Output.Floats g) {
                same = sameBits(f.data(), g.data());
            } else if (a instanceof Output.Doubles f && b instanceof Output.Doubles g) {
                same = sameBits(f.data(), g.data());
            } else if (a instanceof Output.Longs f && b instanceof Output.Longs g) {
                same = java.util.Arrays.equals(f.data(), g.data());
            } else if (a instanceof Output.Strings f && b instanceof Output.Strings g) {
                same = java.util.Arrays.equals(f.data(), g.data());
            } else {
                same = false;
            }
            if (!same) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameBits(float[] a, float[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameBits(double[] a, double[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(b[i])) {
                return false;
            }
        }
        return true;
    }

    private static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0 || (d > 0 && n > Long.MAX_VALUE / d)) {
                return Long.MAX_VALUE / 16;
            }
            n *= d;
        }
        return n;
    }

    private static int elementBytes(ElementType t) {
        return t == ElementType.FLOAT32 ? 4 : 8;
    }

    private static ByteBuffer direct(long bytes) {
        return ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
    }

    private void drain() {
        for (ConcurrentLinkedQueue<Slot> q : idle.values()) {
            Slot s;
            while ((s = q.poll()) != null) {
                idleCount.decrementAndGet();
                s.close();
            }
        }
    }

    /** Closes the idle slots; called when no call is running. */
    @Override
    public void close() {
        disabled = true;
        drain();
    }

    /** The tensors of one row count, owned by one call at a time. */
    final class Slot implements AutoCloseable {
        final int rows;
        private final Buffer input;
        private final Map<String, OnnxTensor> feeds;
        private final Map<String, OnnxTensor> pinned = new LinkedHashMap<>();
        /** Per output its pinned buffer, null for a string output. */
        private final Buffer[] buffers;
        private final int[] widths;
        private final List<OnnxTensor> owned = new ArrayList<>();
        private final long bytes;
        private boolean closed;

        private Slot(int rows, int width, Map<String, long[]> shapes, long bytes) throws OrtException {
            this.rows = rows;
            this.bytes = bytes;
            live.incrementAndGet();
            liveBytes.addAndGet(bytes);
            this.buffers = new Buffer[outputs.size()];
            this.widths = new int[outputs.size()];
            boolean ok = false;
            try {
                long[] inShape = {rows, width};
                ByteBuffer raw = direct((long) rows * width * inputType.bytes());
                OnnxTensor x;
                if (inputType == FloatType.FLOAT32) {
                    FloatBuffer f = raw.asFloatBuffer();
                    input = f;
                    x = OnnxTensor.createTensor(env, f, inShape);
                } else {
                    DoubleBuffer d = raw.asDoubleBuffer();
                    input = d;
                    x = OnnxTensor.createTensor(env, d, inShape);
                }
                owned.add(x);
                feeds = Map.of(inputName, x);
                for (int i = 0; i < outputs.size(); i++) {
                    TensorSpec o = outputs.get(i);
                    if (o.elementType() == ElementType.STRING) {
                        continue; // requested from each run, not pinned
                    }
                    long[] shape = shapes.get(o.name()).clone();
                    long count = elements(shape);
                    widths[i] = (int) (count / rows);
                    ByteBuffer b = direct(count * elementBytes(o.elementType()));
                    OnnxTensor t = switch (o.elementType()) {
                        case FLOAT32 -> OnnxTensor.createTensor(env, (FloatBuffer) (buffers[i] = b.asFloatBuffer()), shape);
                        case FLOAT64 -> OnnxTensor.createTensor(env, (DoubleBuffer) (buffers[i] = b.asDoubleBuffer()), shape);
                        default -> OnnxTensor.createTensor(env, (LongBuffer) (buffers[i] = b.asLongBuffer()), shape);
                    };
                    owned.add(t);
                    pinned.put(o.name(), t);
                }
                ok = true;
            } finally {
                if (!ok) {
                    close();
                }
            }
        }

        /** Copies all rows of {@code in} into the input buffer and returns it (position 0, limit the values). */
        Buffer fill(InputRows in) {
            if (input instanceof FloatBuffer f) {
                f.clear();
                in.copyTo(0, rows, f);
                f.flip();
            } else {
                DoubleBuffer d = (DoubleBuffer) input;
                d.clear();
                in.copyTo(0, rows, d);
                d.flip();
            }
            return input;
        }

        private void fillSentinels() {
            for (Buffer b : buffers) {
                if (b == null) {
                    continue;
                }
                for (int i = 0; i < b.capacity(); i++) {
                    if (b instanceof FloatBuffer f) {
                        f.put(i, Float.intBitsToFloat(SENTINEL_FLOAT));
                    } else if (b instanceof DoubleBuffer d) {
                        d.put(i, Double.longBitsToDouble(SENTINEL_DOUBLE));
                    } else {
                        ((LongBuffer) b).put(i, SENTINEL_LONG);
                    }
                }
            }
        }

        private Output copyOut(int i) {
            TensorSpec o = outputs.get(i);
            Buffer b = buffers[i];
            if (b instanceof FloatBuffer f) {
                float[] a = new float[f.capacity()];
                f.get(0, a);
                return new Output.Floats(o.name(), rows, widths[i], a);
            }
            if (b instanceof DoubleBuffer d) {
                double[] a = new double[d.capacity()];
                d.get(0, a);
                return new Output.Doubles(o.name(), rows, widths[i], a);
            }
            LongBuffer l = (LongBuffer) b;
            long[] a = new long[l.capacity()];
            l.get(0, a);
            return new Output.Longs(o.name(), rows, widths[i], a);
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            for (OnnxTensor t : owned) {
                t.close();
            }
            owned.clear();
            live.decrementAndGet();
            liveBytes.addAndGet(-bytes);
        }
    }
}
