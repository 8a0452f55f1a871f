package org.ml2tensor.serve;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.ml2tensor.runtime.Output;

/**
 * One output tensor of one request: a row range of a (possibly batched) ONNX Runtime output, without a
 * copy. {@code binary} says whether the REST answer carries it in the binary-data extension.
 *
 * @param datatype the model's declared data type (int64 labels of an int32 graph output are narrowed back)
 * @param shape    {@code [rows, ...]}
 */
public record OutputTensor(String name, Datatype datatype, long[] shape, Output source, int firstRow, int rows,
                           boolean binary) {

    /** Elements of this tensor. */
    public int size() {
        return rows * source.width();
    }

    /** Element {@code i} (row-major within this tensor) as a double; NaN for strings. */
    public double getDouble(int i) {
        int at = firstRow * source.width() + i;
        if (source instanceof Output.Floats f) {
            return f.data()[at];
        }
        if (source instanceof Output.Doubles d) {
            return d.data()[at];
        }
        if (source instanceof Output.Longs l) {
            return l.data()[at];
        }
        return Double.NaN;
    }

    /** Element {@code i} as a long (integer outputs). */
    public long getLong(int i) {
        int at = firstRow * source.width() + i;
        return source instanceof Output.Longs l ? l.data()[at] : (long) getDouble(i);
    }

    /** Element {@code i} as text (strings, or any element for logging). */
    public String getText(int i) {
        int at = firstRow * source.width() + i;
        return source instanceof Output.Strings s ? s.data()[at] : source.text(firstRow + i / source.width(),
                i % source.width());
    }

    /** The little-endian binary encoding of the elements (BYTES: 4-byte length + UTF-8 per element). */
    public byte[] toBytes() {
        int n = size();
        if (datatype == Datatype.BYTES) {
            byte[][] parts = new byte[n][];
            int total = 0;
            for (int i = 0; i < n; i++) {
                parts[i] = getText(i).getBytes(StandardCharsets.UTF_8);
                total += 4 + parts[i].length;
            }
            ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
            for (byte[] p : parts) {
                b.putInt(p.length).put(p);
            }
            return b.array();
        }
        ByteBuffer b = ByteBuffer.allocate(n * datatype.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            switch (datatype) {
                case FP32 -> b.putFloat((float) getDouble(i));
                case FP64 -> b.putDouble(getDouble(i));
                case INT64, UINT64 -> b.putLong(getLong(i));
                case INT32, UINT32 -> b.putInt((int) getLong(i));
                case INT16, UINT16 -> b.putShort((short) getLong(i));
                case INT8, UINT8, BOOL -> b.put((byte) getLong(i));
                default -> throw new IllegalStateException("no binary encoding for output " + name + " of type "
                        + datatype);
            }
        }
        return b.array();
    }
}
