package org.ml2tensor.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * Copies the outputs of each batch run into arrays covering all rows of a call, so that every ORT
 * {@code Result} can be closed right after its batch. A single-batch float/double/int64 output adopts
 * the heap array ORT's copying getters return, without a second copy.
 */
final class OutputCollector {
    private final int totalRows;
    private final String source;
    private final long maxBytes;
    /** Bytes the columns whose width is known will take for all rows of the call. */
    private long bytes;
    private final Map<String, Column> columns = new LinkedHashMap<>();

    OutputCollector(List<TensorSpec> outputs, int totalRows, String source, long maxBytes) {
        this.totalRows = totalRows;
        this.source = source;
        this.maxBytes = maxBytes;
        for (TensorSpec o : outputs) {
            columns.put(o.name(), new Column(o));
        }
    }

    /** Copies the outputs of rows {@code [from, from + rows)}; chunks may arrive from several threads. */
    synchronized void add(int from, int rows, OrtSession.Result result) throws OrtException {
        for (Column c : columns.values()) {
            OnnxValue v = result.get(c.spec.name()).orElseThrow(
                    () -> runtime("ONNX Runtime returned no output '" + c.spec.name() + "'"));
            if (!(v instanceof OnnxTensor t)) {
                throw runtime("output '" + c.spec.name() + "' is not a tensor");
            }
            c.add(from, rows, t);
        }
    }

    /** The shape each output had in the last run that filled it (absent before any run). */
    synchronized Map<String, long[]> shapes() {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (Column c : columns.values()) {
            if (c.lastShape != null) {
                out.put(c.spec.name(), c.lastShape.clone());
            }
        }
        return out;
    }

    /** The outputs for all rows; columns never filled (zero rows) get their declared width. */
    synchronized List<Output> finish() {
        List<Output> out = new ArrayList<>();
        for (Column c : columns.values()) {
            out.add(c.finish());
        }
        return out;
    }

    private Ml2TensorException runtime(String message) {
        return Ml2TensorException.of(ErrorCode.RUNTIME, message).at(source).build();
    }

    /** Heap bytes per value once copied (strings: a reference plus a short string, counted as 48). */
    private static long elementBytes(ElementType t) {
        return switch (t) {
            case FLOAT64, INT64, UINT64, INT32, UINT32, INT16, UINT16, INT8, UINT8, BOOL -> 8;
            case STRING -> 48;
            default -> 4;
        };
    }

    /** Element types returned as {@link Output}s; others are not requested from ORT. */
    static boolean supported(TensorSpec spec) {
        if (!spec.tensor() || spec.rank() < 1) {
            return false;
        }
        return switch (spec.elementType()) {
            case FLOAT32, FLOAT16, FLOAT64, INT64, INT32, UINT32, INT16, UINT16, INT8, UINT8, BOOL, STRING -> true;
            default -> false;
        };
    }

    private final class Column {
        final TensorSpec spec;
        int width = -1;
        long[] lastShape;
        float[] floats;
        double[] doubles;
        long[] longs;
        String[] strings;

        Column(TensorSpec spec) {
            this.spec = spec;
        }

        void add(int from, int rows, OnnxTensor t) throws OrtException {
            TensorInfo info = t.getInfo();
            long[] shape = info.getShape();
            lastShape = shape;
            if (shape.length == 0 || shape[0] != rows) {
                throw runtime("output '" + spec.name() + "' has shape " + java.util.Arrays.toString(shape)
                        + "; its first dimension must be the batch size " + rows);
            }
            long w = 1;
            for (int i = 1; i < shape.length; i++) {
                w = shape[i] < 0 || w > Long.MAX_VALUE / Math.max(1, shape[i]) / Math.max(1, totalRows)
                        ? Long.MAX_VALUE / Math.max(1, totalRows) : w * shape[i];
            }
            if (w == 0) {
                throw Ml2TensorException.of(ErrorCode.UNSUPPORTED, "output '" + spec.name() + "' has shape "
                                + java.util.Arrays.toString(shape) + ": zero values per row, so it predicts nothing")
                        .at(source).hint("export the model with non-empty outputs").build();
            }
            if (width < 0) {
                if (w * totalRows > Integer.MAX_VALUE - 16) {
                    throw Ml2TensorException.of(ErrorCode.LIMIT_EXCEEDED, "output '" + spec.name() + "' would hold "
                                    + w * totalRows + " values, more than one Java array can")
                            .at(source).hint("predict fewer rows per call").build();
                }
                long need = w * totalRows * elementBytes(spec.elementType());
                if (need > maxBytes - bytes) {
                    throw Ml2TensorException.of(ErrorCode.LIMIT_EXCEEDED, "output '" + spec.name() + "' has shape "
                                    + java.util.Arrays.toString(shape) + " at run time: " + w + " values per row, "
                                    + need + " bytes for the call's " + totalRows + " rows, over the output limit of "
                                    + maxBytes + " bytes")
                            .at(source).hint("a width far beyond the model's inputs is hostile or broken; if it is genuine, "
                                    + "predict fewer rows per call or raise PredictorOptions.maxOutputBytes / --max-output-bytes")
                            .build();
                }
                bytes += need;
                width = (int) w;
            } else if (w != width) {
                throw runtime("output '" + spec.name() + "' changed width between batches: " + width + " then " + w);
            }
            int offset = from * width;
            int count = rows * width;
            boolean whole = rows == totalRows;
            switch (spec.elementType()) {
                case FLOAT32, FLOAT16 -> {
                    FloatBuffer b = t.getFloatBuffer();
                    if (whole && b.hasArray() && b.arrayOffset() == 0 && b.array().length == count) {
                        floats = b.array();
                    } else {
                        b.get(ensureFloats(), offset, count);
                    }
                }
                case FLOAT64 -> {
                    DoubleBuffer b = t.getDoubleBuffer();
                    if (whole && b.hasArray() && b.arrayOffset() == 0 && b.array().length == count) {
                        doubles = b.array();
                    } else {
                        b.get(ensureDoubles(), offset, count);
                    }
                }
                case INT64, UINT64 -> {
                    LongBuffer b = t.getLongBuffer();
                    if (whole && b.hasArray() && b.arrayOffset() == 0 && b.array().length == count) {
                        longs = b.array();
                    } else {
                        b.get(ensureLongs(), offset, count);
                    }
                }
                case INT32, UINT32 -> {
                    IntBuffer b = t.getIntBuffer();
                    long[] dst = ensureLongs();
                    boolean unsigned = spec.elementType() == ElementType.UINT32;
                    for (int i = 0; i < count; i++) {
                        int v = b.get(i);
                        dst[offset + i] = unsigned ? Integer.toUnsignedLong(v) : v;
                    }
                }
                case INT16, UINT16 -> {
                    ShortBuffer b = t.getShortBuffer();
                    long[] dst = ensureLongs();
                    boolean unsigned = spec.elementType() == ElementType.UINT16;
                    for (int i = 0; i < count; i++) {
                        short v = b.get(i);
                        dst[offset + i] = unsigned ? Short.toUnsignedLong(v) : v;
                    }
                }
                case INT8, UINT8, BOOL -> {
                    ByteBuffer b = t.getByteBuffer();
                    long[] dst = ensureLongs();
                    boolean signed = spec.elementType() == ElementType.INT8;
                    for (int i = 0; i < count; i++) {
                        byte v = b.get(i);
                        dst[offset + i] = signed ? v : Byte.toUnsignedLong(v);
                    }
                }
                case STRING -> {
                    String[] dst = ensureStrings();
                    int[] next = {offset};
                    flattenStrings(t.getValue(), dst, next);
                    if (next[0] != offset + count) {
                        throw runtime("string output '" + spec.name() + "' has an unexpected element count");
                    }
                }
                default -> throw runtime("output '" + spec.name() + "' has unsupported type " + spec.elementType());
            }
        }

        private float[] ensureFloats() {
            if (floats == null) {
                floats = new float[totalRows * width];
            }
            return floats;
        }

        private double[] ensureDoubles() {
            if (doubles == null) {
                doubles = new double[totalRows * width];
            }
            return doubles;
        }

        private long[] ensureLongs() {
            if (longs == null) {
                longs = new long[totalRows * width];
            }
            return longs;
        }

        private String[] ensureStrings() {
            if (strings == null) {
                strings = new String[totalRows * width];
            }
            return strings;
        }

        Output finish() {
            if (width < 0) {
                width = declaredWidth();
            }
            int n = totalRows * width;
            return switch (spec.elementType()) {
                case FLOAT32, FLOAT16 -> new Output.Floats(spec.name(), totalRows, width, floats == null ? new float[n] : floats);
                case FLOAT64 -> new Output.Doubles(spec.name(), totalRows, width, doubles == null ? new double[n] : doubles);
                case STRING -> new Output.Strings(spec.name(), totalRows, width, strings == null ? new String[n] : strings);
                default -> new Output.Longs(spec.name(), totalRows, width, longs == null ? new long[n] : longs);
            };
        }

        private int declaredWidth() {
            int w = 1;
            for (int i = 1; i < spec.shape().size(); i++) {
                long d = spec.shape().get(i);
                w *= d < 0 ? 0 : (int) d;
            }
            return w;
        }
    }

    private static void flattenStrings(Object value, String[] dst, int[] next) {
        if (value instanceof String s) {
            dst[next[0]++] = s;
        } else if (value instanceof String[] arr) {
            for (String s : arr) {
                dst[next[0]++] = s;
            }
        } else if (value != null && value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                flattenStrings(Array.get(value, i), dst, next);
            }
        }
    }
}
