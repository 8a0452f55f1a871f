package org.ml2tensor.spark;

import java.util.Arrays;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.Platform;

/**
 * Builds the output rows of a scored partition as Spark {@link UnsafeRow}s, byte by byte: the input
 * row's bytes (its null bits, its fixed-width slots, its variable-length part moved behind the new
 * slots) followed by the model's outputs, in one reused buffer. This is the layout Spark's own
 * {@code UnsafeProjection} writes for {@code input ++ outputs}, so the rows equal (byte for byte) what
 * Spark would build from a joined row, without reading every input field through the generic row
 * interface. The returned row is valid until the next {@link #begin}; Spark copies each emitted row
 * at once (the DataFrame's scan projects it).
 *
 * <p>Layout reminder ({@code UnsafeRow}): one null bit per field, in 8-byte words; one 8-byte slot per
 * field (a fixed-width value, or {@code offset << 32 | size} of its variable-length bytes, the offset
 * relative to the row's start); then the variable-length bytes, each value padded to 8 bytes.
 * An {@code array<double>} is {@code UnsafeArrayData}: the element count (8 bytes), one null bit per
 * element in 8-byte words, then the elements. A Spark ML vector is its {@code VectorUDT} struct
 * {@code (type: byte, size: int, indices: array<int>, values: array<double>)}; a dense one is
 * {@code (1, null, null, values)}.
 */
final class AppendedRows {
    private static final int B = Platform.BYTE_ARRAY_OFFSET;

    private final int inputFields;
    private final int inputBitsetBytes;
    private final int inputFixedBytes;
    private final int outputBitsetBytes;
    private final int outputFixedBytes;
    /** Ordinals of the input fields stored in the variable-length part (strings, decimals > 18 digits, nested values). */
    private final int[] variableInputs;
    private final UnsafeRow row;
    private byte[] buffer = new byte[256];
    private int cursor;

    /**
     * @param input   the input rows' schema
     * @param outputs number of appended fields
     */
    AppendedRows(StructType input, int outputs) {
        this.inputFields = input.fields().length;
        int total = inputFields + outputs;
        this.inputBitsetBytes = UnsafeRow.calculateBitSetWidthInBytes(inputFields);
        this.inputFixedBytes = inputBitsetBytes + 8 * inputFields;
        this.outputBitsetBytes = UnsafeRow.calculateBitSetWidthInBytes(total);
        this.outputFixedBytes = outputBitsetBytes + 8 * total;
        int[] variable = new int[inputFields];
        int n = 0;
        for (int i = 0; i < inputFields; i++) {
            if (!UnsafeRow.isFixedLength(input.fields()[i].dataType())) {
                variable[n++] = i;
            }
        }
        this.variableInputs = Arrays.copyOf(variable, n);
        this.row = new UnsafeRow(total);
    }

    /**
     * Starts the output row of one input row of {@code size} bytes at {@code base}/{@code offset}
     * (an {@link UnsafeRow}'s memory): copies its null bits and fixed slots, moves its variable-length
     * part behind the output slots, and leaves every output field zero and not null.
     */
    void begin(Object base, long offset, int size) {
        int variableBytes = size - inputFixedBytes;
        ensure(outputFixedBytes + variableBytes);
        byte[] b = buffer;
        int inputWords = inputBitsetBytes >>> 3;
        for (int w = 0; w < inputWords; w++) {
            Platform.putLong(b, B + 8L * w, Platform.getLong(base, offset + 8L * w));
        }
        for (int w = inputWords; w < outputBitsetBytes >>> 3; w++) {
            Platform.putLong(b, B + 8L * w, 0L);
        }
        long from = offset + inputBitsetBytes;
        long to = B + outputBitsetBytes;
        for (int i = 0; i < inputFields; i++) {
            Platform.putLong(b, to + 8L * i, Platform.getLong(base, from + 8L * i));
        }
        long shift = (long) (outputFixedBytes - inputFixedBytes) << 32;
        for (int i : variableInputs) {
            long slot = Platform.getLong(b, to + 8L * i);
            // A null field's slot is 0 (or keeps an offset, for a null long decimal): moved alike.
            if (slot != 0) {
                Platform.putLong(b, to + 8L * i, slot + shift);
            }
        }
        for (long p = to + 8L * inputFields; p < B + outputFixedBytes; p += 8) {
            Platform.putLong(b, p, 0L);
        }
        if (variableBytes > 0) {
            Platform.copyMemory(base, offset + inputFixedBytes, b, B + outputFixedBytes, variableBytes);
        }
        cursor = outputFixedBytes + variableBytes;
    }

    /** Type codes of {@link #beginColumns}: how a fixed-width input field is stored in its slot. */
    static final byte BOOLEAN = 1, BYTE = 2, SHORT = 3, INT = 4, LONG = 5, FLOAT = 6, DOUBLE = 7;

    /**
     * The type codes of {@code input}'s fields when every one is a fixed-width primitive (boolean,
     * byte, short, int, long, float, double, date, timestamp) that {@link #beginColumns} can copy from
     * column vectors; null otherwise.
     */
    static byte[] primitiveCodes(StructType input) {
        byte[] codes = new byte[input.fields().length];
        for (int i = 0; i < codes.length; i++) {
            org.apache.spark.sql.types.DataType t = input.fields()[i].dataType();
            if (t instanceof org.apache.spark.sql.types.BooleanType) {
                codes[i] = BOOLEAN;
            } else if (t instanceof org.apache.spark.sql.types.ByteType) {
                codes[i] = BYTE;
            } else if (t instanceof org.apache.spark.sql.types.ShortType) {
                codes[i] = SHORT;
            } else if (t instanceof org.apache.spark.sql.types.IntegerType || t instanceof org.apache.spark.sql.types.DateType) {
                codes[i] = INT;
            } else if (t instanceof org.apache.spark.sql.types.LongType || t instanceof org.apache.spark.sql.types.TimestampType
                    || t instanceof org.apache.spark.sql.types.TimestampNTZType) {
                codes[i] = LONG;
            } else if (t instanceof org.apache.spark.sql.types.FloatType) {
                codes[i] = FLOAT;
            } else if (t instanceof org.apache.spark.sql.types.DoubleType) {
                codes[i] = DOUBLE;
            } else {
                return null;
            }
        }
        return codes;
    }

    /**
     * Starts the output row of row {@code rowId} of column vectors whose fields all have a
     * {@link #primitiveCodes} code: writes the input fields as Spark's {@code UnsafeRowWriter} does
     * (a narrower value in a zeroed slot; a null field as its bit and a zero slot), with no
     * intermediate row.
     */
    void beginColumns(org.apache.spark.sql.vectorized.ColumnVector[] columns, byte[] codes, int rowId) {
        ensure(outputFixedBytes);
        byte[] b = buffer;
        for (long p = B; p < B + outputFixedBytes; p += 8) {
            Platform.putLong(b, p, 0L);
        }
        long slots = B + outputBitsetBytes;
        for (int i = 0; i < inputFields; i++) {
            org.apache.spark.sql.vectorized.ColumnVector v = columns[i];
            long p = slots + 8L * i;
            if (v.isNullAt(rowId)) {
                long word = B + 8L * (i >>> 6);
                Platform.putLong(b, word, Platform.getLong(b, word) | (1L << (i & 63)));
                continue;
            }
            switch (codes[i]) {
                case BOOLEAN -> Platform.putBoolean(b, p, v.getBoolean(rowId));
                case BYTE -> Platform.putByte(b, p, v.getByte(rowId));
                case SHORT -> Platform.putShort(b, p, v.getShort(rowId));
                case INT -> Platform.putInt(b, p, v.getInt(rowId));
                case LONG -> Platform.putLong(b, p, v.getLong(rowId));
                case FLOAT -> Platform.putFloat(b, p, v.getFloat(rowId));
                default -> Platform.putDouble(b, p, v.getDouble(rowId));
            }
        }
        cursor = outputFixedBytes;
    }

    private long slot(int output) {
        return B + outputBitsetBytes + 8L * (inputFields + output);
    }

    void setNull(int output) {
        int ordinal = inputFields + output;
        long word = B + 8L * (ordinal >>> 6);
        Platform.putLong(buffer, word, Platform.getLong(buffer, word) | (1L << (ordinal & 63)));
        Platform.putLong(buffer, slot(output), 0L);
    }

    void setLong(int output, long value) {
        Platform.putLong(buffer, slot(output), value);
    }

    void setDouble(int output, double value) {
        Platform.putDouble(buffer, slot(output), value);
    }

    /** A string output from its UTF-8 bytes. */
    void setString(int output, byte[] utf8) {
        int padded = roundUp(utf8.length);
        ensure(cursor + padded);
        if (padded > 0) {
            Platform.putLong(buffer, B + cursor + padded - 8L, 0L);
        }
        System.arraycopy(utf8, 0, buffer, cursor, utf8.length);
        Platform.putLong(buffer, slot(output), ((long) cursor << 32) | utf8.length);
        cursor += padded;
    }

    /** An {@code array<double>} output: {@code width} values of row {@code r} of a row-major float matrix. */
    void setArray(int output, float[] data, int r, int width) {
        int start = cursor;
        int bytes = writeArray(data, r, width);
        Platform.putLong(buffer, slot(output), ((long) start << 32) | bytes);
    }

    /** Like {@link #setArray(int, float[], int, int)} for a float64 matrix. */
    void setArray(int output, double[] data, int r, int width) {
        int start = cursor;
        int bytes = writeArray(data, r, width);
        Platform.putLong(buffer, slot(output), ((long) start << 32) | bytes);
    }

    /** A dense Spark ML vector output (its {@code VectorUDT} struct) of row {@code r} of a float matrix. */
    void setVector(int output, float[] data, int r, int width) {
        int start = beginVector();
        writeArray(data, r, width);
        endVector(output, start);
    }

    /** Like {@link #setVector(int, float[], int, int)} for a float64 matrix. */
    void setVector(int output, double[] data, int r, int width) {
        int start = beginVector();
        writeArray(data, r, width);
        endVector(output, start);
    }

    /** The finished row (valid until the next {@link #begin}). */
    UnsafeRow row() {
        row.pointTo(buffer, B, cursor);
        return row;
    }

    /** Writes the struct's fixed part: null bits (size, indices null), type 1 (dense); the values array follows. */
    private int beginVector() {
        int start = cursor;
        ensure(cursor + 40);
        long p = B + start;
        Platform.putLong(buffer, p, (1L << 1) | (1L << 2));
        Platform.putLong(buffer, p + 8, 0L);
        Platform.putByte(buffer, p + 8, (byte) 1);
        Platform.putLong(buffer, p + 16, 0L);
        Platform.putLong(buffer, p + 24, 0L);
        cursor += 40;
        return start;
    }

    private void endVector(int output, int start) {
        Platform.putLong(buffer, B + start + 32L, ((long) 40 << 32) | (cursor - start - 40));
        Platform.putLong(buffer, slot(output), ((long) start << 32) | (cursor - start));
    }

    private int writeArray(float[] data, int r, int width) {
        int header = arrayHeader(width);
        long p = B + cursor + header;
        int base = r * width;
        for (int c = 0; c < width; c++) {
            Platform.putDouble(buffer, p + 8L * c, data[base + c]);
        }
        cursor += header + 8 * width;
        return header + 8 * width;
    }

    private int writeArray(double[] data, int r, int width) {
        int header = arrayHeader(width);
        long p = B + cursor + header;
        int base = r * width;
        for (int c = 0; c < width; c++) {
            Platform.putDouble(buffer, p + 8L * c, data[base + c]);
        }
        cursor += header + 8 * width;
        return header + 8 * width;
    }

    /** Writes an array's element count and (all clear) null bits at the cursor; returns the header's size. */
    private int arrayHeader(int width) {
        int header = 8 + 8 * ((width + 63) / 64);
        ensure(cursor + header + 8 * width);
        long p = B + cursor;
        Platform.putLong(buffer, p, width);
        for (int o = 8; o < header; o += 8) {
            Platform.putLong(buffer, p + o, 0L);
        }
        return header;
    }

    private void ensure(int bytes) {
        if (bytes > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(bytes, buffer.length * 2));
        }
    }

    private static int roundUp(int bytes) {
        return (bytes + 7) & ~7;
    }
}
