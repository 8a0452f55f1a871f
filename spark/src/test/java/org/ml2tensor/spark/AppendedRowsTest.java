package org.ml2tensor.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;
import org.apache.spark.sql.execution.vectorized.OnHeapColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

/**
 * The output rows written byte by byte by {@link AppendedRows} equal, byte for byte ({@code UnsafeRow.equals}),
 * what Spark's own generated {@code UnsafeProjection} writes for the input row joined to the outputs,
 * for inputs with strings, long decimals, arrays, structs and nulls, every output kind, null outputs,
 * and a null bit set that grows a word when the outputs are appended. No Spark session needed.
 */
class AppendedRowsTest {
    private static final DataType VECTOR = SQLDataTypes.VectorType();

    @Test
    void rowsEqualSparksOwnProjectionOfTheJoinedRow() {
        StructType input = new StructType()
                .add("id", DataTypes.IntegerType, false)
                .add("name", DataTypes.StringType)
                .add("big", DataTypes.createDecimalType(30, 5))
                .add("small", DataTypes.createDecimalType(10, 2))
                .add("tags", DataTypes.createArrayType(DataTypes.IntegerType))
                .add("inner", new StructType().add("a", DataTypes.StringType).add("b", DataTypes.DoubleType))
                .add("x", DataTypes.DoubleType)
                .add("flag", DataTypes.BooleanType);
        StructType outputs = new StructType()
                .add("label", DataTypes.LongType)
                .add("name_label", DataTypes.StringType)
                .add("score", DataTypes.DoubleType)
                .add("proba", DataTypes.createArrayType(DataTypes.DoubleType, false))
                .add("vec", VECTOR);
        Random random = new Random(7);
        for (int r = 0; r < 200; r++) {
            boolean nulls = r % 3 == 0;
            GenericInternalRow in = new GenericInternalRow(new Object[] {
                    r,
                    nulls ? null : UTF8String.fromString("name-" + "é".repeat(r % 11)),
                    nulls ? null : Decimal.apply(new java.math.BigDecimal(random.nextLong()).movePointLeft(5), 30, 5),
                    r % 5 == 0 ? null : Decimal.apply(random.nextInt(1_000_000), 10, 2),
                    nulls ? null : new GenericArrayData(new Object[] {r, null, 3}),
                    r % 4 == 1 ? null : new GenericInternalRow(new Object[] {UTF8String.fromString("in" + r), random.nextDouble()}),
                    random.nextGaussian(),
                    r % 2 == 0});
            UnsafeRow inputRow = UnsafeProjection.create(input).apply(in).copy();
            boolean predicted = r % 7 != 3;
            int width = 1 + r % 4;
            double[] proba = new double[width];
            float[] probaFloats = new float[width];
            for (int c = 0; c < width; c++) {
                probaFloats[c] = random.nextFloat();
                proba[c] = probaFloats[c];
            }
            String label = "class " + (r % 3) + "ü";
            long longLabel = r * 31L - 7;
            double score = random.nextGaussian();

            InternalRow expectedOutputs = predicted
                    ? new GenericInternalRow(new Object[] {longLabel, UTF8String.fromString(label), score,
                            UnsafeArrayData.fromPrimitiveArray(proba), vectorUdt().serialize(Vectors.dense(proba))})
                    : new GenericInternalRow(5);
            UnsafeRow expected = UnsafeProjection.create(append(input, outputs)).apply(new JoinedRow(inputRow, expectedOutputs)).copy();

            AppendedRows rows = new AppendedRows(input, 5);
            rows.begin(inputRow.getBaseObject(), inputRow.getBaseOffset(), inputRow.getSizeInBytes());
            if (predicted) {
                rows.setLong(0, longLabel);
                rows.setString(1, label.getBytes(StandardCharsets.UTF_8));
                rows.setDouble(2, score);
                // the float matrix: row 1 of a two-row matrix
                float[] matrix = new float[2 * width];
                System.arraycopy(probaFloats, 0, matrix, width, width);
                rows.setArray(3, matrix, 1, width);
                rows.setVector(4, proba, 0, width);
            } else {
                for (int o = 0; o < 5; o++) {
                    rows.setNull(o);
                }
            }
            UnsafeRow actual = rows.row();
            assertEquals(expected.getSizeInBytes(), actual.getSizeInBytes(), "size of row " + r);
            assertArrayEquals(expected.getBytes(), actual.getBytes(), "bytes of row " + r);
            assertEquals(expected, actual, "row " + r);
            if (predicted) {
                assertEquals(label, actual.getUTF8String(9).toString());
                assertEquals(Vectors.dense(proba), vectorUdt().deserialize(actual.getStruct(12, 4)));
            }
            assertEquals(in.isNullAt(1) ? null : in.getUTF8String(1), actual.isNullAt(1) ? null : actual.getUTF8String(1));
        }
    }

    /** 63 input fields + 3 outputs: the null bits take a second word, so every slot and offset moves. */
    @Test
    void aNullBitSetThatGrowsAWordMovesEveryOffset() {
        StructType input = new StructType();
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < 63; i++) {
            boolean text = i % 9 == 4;
            input = input.add("c" + i, text ? DataTypes.StringType : DataTypes.DoubleType);
            values.add(i == 13 ? null : text ? UTF8String.fromString("v" + i + "-".repeat(i)) : (Object) (i * 1.5));
        }
        StructType outputs = new StructType().add("label", DataTypes.StringType).add("p", DataTypes.createArrayType(DataTypes.DoubleType, false))
                .add("s", DataTypes.DoubleType);
        assertTrue(UnsafeRow.calculateBitSetWidthInBytes(63) < UnsafeRow.calculateBitSetWidthInBytes(66));
        UnsafeRow inputRow = UnsafeProjection.create(input).apply(new GenericInternalRow(values.toArray())).copy();
        double[] p = {0.25, 0.75};
        UnsafeRow expected = UnsafeProjection.create(append(input, outputs)).apply(new JoinedRow(inputRow,
                new GenericInternalRow(new Object[] {UTF8String.fromString(""), UnsafeArrayData.fromPrimitiveArray(p), null}))).copy();
        AppendedRows rows = new AppendedRows(input, 3);
        rows.begin(inputRow.getBaseObject(), inputRow.getBaseOffset(), inputRow.getSizeInBytes());
        rows.setString(0, new byte[0]);
        rows.setArray(1, p, 0, 2);
        rows.setNull(2);
        assertEquals(expected, rows.row());
        assertEquals("v58" + "-".repeat(58), rows.row().getUTF8String(58).toString());
    }

    /** Input fields copied straight from column vectors (every fixed-width type, nulls, NaN and -0.0) equal Spark's projection too. */
    @Test
    void rowsFromColumnVectorsEqualSparksProjection() {
        StructType input = new StructType().add("b", DataTypes.BooleanType).add("y", DataTypes.ByteType).add("s", DataTypes.ShortType)
                .add("i", DataTypes.IntegerType).add("l", DataTypes.LongType).add("f", DataTypes.FloatType).add("d", DataTypes.DoubleType)
                .add("day", DataTypes.DateType).add("ts", DataTypes.TimestampType);
        byte[] codes = AppendedRows.primitiveCodes(input);
        assertTrue(codes != null);
        assertEquals(null, AppendedRows.primitiveCodes(input.add("name", DataTypes.StringType)));
        int n = 50;
        OnHeapColumnVector[] vectors = OnHeapColumnVector.allocateColumns(n, input);
        Random random = new Random(3);
        double[] specials = {Double.NaN, -0.0, 0.0, Double.NEGATIVE_INFINITY, Double.MIN_VALUE};
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < vectors.length; c++) {
                if ((r + c) % 6 == 0) {
                    vectors[c].putNull(r);
                    continue;
                }
                switch (c) {
                    case 0 -> vectors[c].putBoolean(r, random.nextBoolean());
                    case 1 -> vectors[c].putByte(r, (byte) random.nextInt());
                    case 2 -> vectors[c].putShort(r, (short) random.nextInt());
                    case 3, 7 -> vectors[c].putInt(r, random.nextInt());
                    case 4, 8 -> vectors[c].putLong(r, random.nextLong());
                    case 5 -> vectors[c].putFloat(r, r % 5 == 1 ? Float.NaN : -random.nextFloat());
                    default -> vectors[c].putDouble(r, specials[r % specials.length] * (r % 10 < 5 ? 1 : random.nextGaussian()));
                }
            }
        }
        ColumnarBatch batch = new ColumnarBatch(vectors, n);
        StructType outputs = new StructType().add("label", DataTypes.LongType).add("p", DataTypes.createArrayType(DataTypes.DoubleType, false));
        UnsafeProjection projection = UnsafeProjection.create(append(input, outputs));
        AppendedRows rows = new AppendedRows(input, 2);
        for (int r = 0; r < n; r++) {
            double[] p = {r, -r};
            UnsafeRow expected = projection.apply(new JoinedRow(batch.getRow(r),
                    new GenericInternalRow(new Object[] {(long) r, UnsafeArrayData.fromPrimitiveArray(p)}))).copy();
            rows.beginColumns(vectors, codes, r);
            rows.setLong(0, r);
            rows.setArray(1, p, 0, 2);
            assertArrayEquals(expected.getBytes(), rows.row().getBytes(), "row " + r);
        }
        batch.close();
    }

    private static StructType append(StructType input, StructType outputs) {
        StructType all = input;
        for (var f : outputs.fields()) {
            all = all.add(f);
        }
        return all;
    }

    @SuppressWarnings("unchecked")
    private static UserDefinedType<Vector> vectorUdt() {
        return (UserDefinedType<Vector>) VECTOR;
    }
}
