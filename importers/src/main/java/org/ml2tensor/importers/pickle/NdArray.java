package org.ml2tensor.importers.pickle;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.importers.ReadBudget;

/**
 * A numpy array read from a pickle: dtype, shape, memory order and either raw element bytes (a view of
 * the pickle stream, not a copy) or, for object arrays, the element values. Accessors return elements in
 * C (row-major) order whatever the stored order, and fail with {@link ErrorCode#INVALID_MODEL} when the
 * array cannot be read as asked.
 */
public final class NdArray implements PyValue {
    private DType dtype;
    private int[] shape;
    private int size;
    private boolean fortran;
    private PyBytes raw;
    private List<PyValue> objects;

    private NdArray() {
    }

    /** An array created by {@code _reconstruct} whose contents arrive with the following BUILD. */
    static NdArray pending() {
        NdArray a = new NdArray();
        a.dtype = DType.scalar('f', 8);
        a.shape = new int[]{0};
        a.raw = new PyBytes(new byte[0], 0, 0, false);
        return a;
    }

    static NdArray of(DType dtype, int[] shape, boolean fortran, PyBytes data) {
        NdArray a = new NdArray();
        a.setBytes(dtype, shape, fortran, data);
        return a;
    }

    static NdArray ofObjects(DType dtype, int[] shape, boolean fortran, List<PyValue> items) {
        NdArray a = new NdArray();
        a.setObjects(dtype, shape, fortran, items);
        return a;
    }

    void setBytes(DType dtype, int[] shape, boolean fortran, PyBytes data) {
        if (dtype.isObject()) {
            throw format("an object array carries bytes instead of a list of values");
        }
        long n = elementCount(shape);
        if (dtype.itemSize() <= 0 && n > 0) {
            throw format("dtype " + dtype.describe() + " has no item size");
        }
        long expected = n * dtype.itemSize();
        if (expected != data.length()) {
            throw format("array of shape " + Arrays.toString(shape) + " and dtype " + dtype.describe()
                    + " needs " + expected + " bytes but " + data.length() + " were given");
        }
        this.dtype = dtype;
        this.shape = shape.clone();
        this.size = (int) n;
        this.fortran = fortran;
        this.raw = data;
        this.objects = null;
    }

    void setObjects(DType dtype, int[] shape, boolean fortran, List<PyValue> items) {
        long n = elementCount(shape);
        if (n != items.size()) {
            throw format("object array of shape " + Arrays.toString(shape) + " holds " + items.size()
                    + " values");
        }
        this.dtype = dtype;
        this.shape = shape.clone();
        this.size = (int) n;
        this.fortran = fortran;
        this.raw = null;
        ReadBudget.charge(8L * items.size(), "object array");
        this.objects = Collections.unmodifiableList(new ArrayList<>(items));
    }

    private static long elementCount(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw format("negative array dimension " + d);
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw format("array of shape " + Arrays.toString(shape) + " is too large");
            }
        }
        return n;
    }

    public DType dtype() {
        return dtype;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int ndim() {
        return shape.length;
    }

    /** Dimension {@code i}. */
    public int dim(int i) {
        return shape[i];
    }

    /** Number of elements. */
    public int size() {
        return size;
    }

    public boolean isFortranOrder() {
        return fortran;
    }

    /** Position in storage of the element with C-order index {@code c}. */
    private int storageIndex(int c) {
        if (!fortran || shape.length < 2) {
            return c;
        }
        int f = 0;
        int stride = 1;
        int rest = c;
        int[] idx = new int[shape.length];
        for (int k = shape.length - 1; k >= 0; k--) {
            idx[k] = rest % shape[k];
            rest /= shape[k];
        }
        for (int k = 0; k < shape.length; k++) {
            f += idx[k] * stride;
            stride *= shape[k];
        }
        return f;
    }

    private ByteBuffer buffer() {
        return ByteBuffer.wrap(raw.backing()).order(dtype.order());
    }

    /** Elements as doubles (bool, integer, float dtypes, or object arrays of numbers), in C order. */
    public double[] toDoubles() {
        ReadBudget.charge(8L * size + 16, "array of " + size + " numbers");
        double[] out = new double[size];
        if (objects != null) {
            for (int i = 0; i < size; i++) {
                out[i] = numberOf(objects.get(storageIndex(i)));
            }
            return out;
        }
        requireNumeric(dtype);
        ByteBuffer bb = buffer();
        int base = raw.offset();
        if (dtype.kind() == 'f' && dtype.itemSize() == 8 && !(fortran && shape.length > 1)) {
            bb.position(base);
            bb.slice().order(dtype.order()).asDoubleBuffer().get(out, 0, size);
            return out;
        }
        int w = dtype.itemSize();
        for (int i = 0; i < size; i++) {
            out[i] = readDouble(bb, base + storageIndex(i) * w, dtype);
        }
        return out;
    }

    /** Elements as longs (bool and integer dtypes, or object arrays of ints), in C order. */
    public long[] toLongs() {
        ReadBudget.charge(8L * size + 16, "array of " + size + " integers");
        long[] out = new long[size];
        if (objects != null) {
            for (int i = 0; i < size; i++) {
                PyValue v = objects.get(storageIndex(i));
                if (v instanceof PyValue.PyInt n) {
                    out[i] = n.value();
                } else if (v instanceof PyValue.PyBool b) {
                    out[i] = b.value() ? 1 : 0;
                } else {
                    throw invalid("expected integers in an object array, found " + v.typeName());
                }
            }
            return out;
        }
        if (!dtype.isInteger()) {
            throw invalid("expected an integer array, found " + dtype.describe());
        }
        ByteBuffer bb = buffer();
        int base = raw.offset();
        int w = dtype.itemSize();
        for (int i = 0; i < size; i++) {
            out[i] = readLong(bb, base + storageIndex(i) * w, dtype);
        }
        return out;
    }

    /** The elements of an object array, in C order. */
    public List<PyValue> objects() {
        if (objects == null) {
            throw invalid("expected an object array, found " + dtype.describe());
        }
        if (!fortran || shape.length < 2) {
            return objects;
        }
        ReadBudget.charge(8L * size + 16, "object array");
        List<PyValue> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(objects.get(storageIndex(i)));
        }
        return out;
    }

    /** Elements of a numpy unicode ({@code <U}) or bytes ({@code S}) array, or an object array of str. */
    public List<String> toStrings() {
        ReadBudget.charge((objects != null ? 8L : 48L + 2L * Math.max(0, dtype.itemSize())) * size + 16,
                "array of " + size + " strings");
        List<String> out = new ArrayList<>(size);
        if (objects != null) {
            for (PyValue v : objects()) {
                if (!(v instanceof PyValue.PyStr s)) {
                    throw invalid("expected str values in an object array, found " + v.typeName());
                }
                out.add(s.value());
            }
            return out;
        }
        if (dtype.kind() != 'U' && dtype.kind() != 'S') {
            throw invalid("expected a string array, found " + dtype.describe());
        }
        Charset cs = dtype.kind() == 'S' ? StandardCharsets.ISO_8859_1
                : dtype.order() == ByteOrder.BIG_ENDIAN ? Charset.forName("UTF-32BE") : Charset.forName("UTF-32LE");
        int w = dtype.itemSize();
        for (int i = 0; i < size; i++) {
            int at = raw.offset() + storageIndex(i) * w;
            int len = w;
            int unit = dtype.kind() == 'S' ? 1 : 4;
            while (len >= unit && isZero(raw.backing(), at + len - unit, unit)) {
                len -= unit;
            }
            out.add(new String(raw.backing(), at, len - len % unit, cs));
        }
        return out;
    }

    private static boolean isZero(byte[] b, int at, int n) {
        for (int i = 0; i < n; i++) {
            if (b[at + i] != 0) {
                return false;
            }
        }
        return true;
    }

    public boolean hasField(String name) {
        return dtype.field(name).isPresent();
    }

    /** One numeric field of a structured array as doubles, in C order. */
    public double[] fieldDoubles(String name) {
        DType.Field f = requireField(name);
        requireNumeric(f.type());
        ByteBuffer bb = ByteBuffer.wrap(raw.backing()).order(f.type().order());
        ReadBudget.charge(8L * size + 16, "field '" + name + "' of " + size + " records");
        double[] out = new double[size];
        int w = dtype.itemSize();
        int base = raw.offset() + f.offset();
        for (int i = 0; i < size; i++) {
            out[i] = readDouble(bb, base + storageIndex(i) * w, f.type());
        }
        return out;
    }

    /** One integer field of a structured array as longs, in C order. */
    public long[] fieldLongs(String name) {
        DType.Field f = requireField(name);
        if (!f.type().isInteger()) {
            throw invalid("field '" + name + "' is " + f.type().describe() + ", not an integer");
        }
        ByteBuffer bb = ByteBuffer.wrap(raw.backing()).order(f.type().order());
        ReadBudget.charge(8L * size + 16, "field '" + name + "' of " + size + " records");
        long[] out = new long[size];
        int w = dtype.itemSize();
        int base = raw.offset() + f.offset();
        for (int i = 0; i < size; i++) {
            out[i] = readLong(bb, base + storageIndex(i) * w, f.type());
        }
        return out;
    }

    private DType.Field requireField(String name) {
        if (raw == null) {
            throw invalid("expected a structured array, found " + dtype.describe());
        }
        return dtype.field(name).orElseThrow(() -> invalid("structured array has no field '" + name
                + "' (fields: " + dtype.fields().stream().map(DType.Field::name).toList() + ")"));
    }

    private static void requireNumeric(DType t) {
        if (!t.isNumeric()) {
            throw invalid("expected a numeric array, found " + t.describe());
        }
    }

    private static double numberOf(PyValue v) {
        if (v instanceof PyValue.PyFloat f) {
            return f.value();
        }
        if (v instanceof PyValue.PyInt i) {
            return i.value();
        }
        if (v instanceof PyValue.PyBool b) {
            return b.value() ? 1 : 0;
        }
        if (v instanceof PyValue.PyBigInt b) {
            return b.value().doubleValue();
        }
        throw invalid("expected numbers in an object array, found " + v.typeName());
    }

    static double readDouble(ByteBuffer bb, int at, DType t) {
        return switch (t.kind()) {
            case 'f' -> switch (t.itemSize()) {
                case 8 -> bb.getDouble(at);
                case 4 -> bb.getFloat(at);
                default -> halfToFloat(bb.getShort(at));
            };
            case 'u' -> t.itemSize() == 8 ? unsignedToDouble(bb.getLong(at)) : readLong(bb, at, t);
            default -> readLong(bb, at, t);
        };
    }

    static long readLong(ByteBuffer bb, int at, DType t) {
        boolean unsigned = t.kind() != 'i';
        return switch (t.itemSize()) {
            case 1 -> unsigned ? bb.get(at) & 0xffL : bb.get(at);
            case 2 -> unsigned ? bb.getShort(at) & 0xffffL : bb.getShort(at);
            case 4 -> unsigned ? bb.getInt(at) & 0xffffffffL : bb.getInt(at);
            default -> {
                long v = bb.getLong(at);
                if (unsigned && v < 0) {
                    throw invalid("uint64 value " + Long.toUnsignedString(v) + " does not fit a signed 64-bit integer");
                }
                yield v;
            }
        };
    }

    private static double unsignedToDouble(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }

    private static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits >>> 15) << 31;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    private static Ml2TensorException invalid(String msg) {
        return Ml2TensorException.of(ErrorCode.INVALID_MODEL, msg).build();
    }

    private static Ml2TensorException format(String msg) {
        return Ml2TensorException.of(ErrorCode.MODEL_FORMAT, msg).build();
    }

    @Override
    public String typeName() {
        return (dtype == null ? "?" : dtype.describe()) + Arrays.toString(shape);
    }

    @Override
    public String toString() {
        return "ndarray " + typeName();
    }
}
