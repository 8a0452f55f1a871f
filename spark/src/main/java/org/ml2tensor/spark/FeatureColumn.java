package org.ml2tensor.spark;

import java.io.Serializable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * One input column that feeds one model feature: where it is in the row and how its Spark type is
 * read as a number. Numeric columns are read directly; string columns are parsed (a value that is not
 * a number is invalid); booleans read as 0/1. A string column that feeds a model's string feature
 * (a categorical column of a DataFrame pipeline) is read as text with {@link #text}.
 * Rows are read either as Spark's internal rows (the Transformer's path, no conversion to
 * {@link Row}) or as {@link Row}s (the SQL function's struct).
 *
 * @param name      the column name (for messages)
 * @param ordinal   its position in the input row
 * @param type      how to read it
 * @param precision decimal precision (for {@link Type#DECIMAL}; 0 otherwise)
 * @param scale     decimal scale (for {@link Type#DECIMAL}; 0 otherwise)
 */
record FeatureColumn(String name, int ordinal, Type type, int precision, int scale) implements Serializable {
    /** The Spark types a feature column may have. */
    enum Type { DOUBLE, FLOAT, LONG, INT, SHORT, BYTE, DECIMAL, BOOLEAN, STRING }

    /** Maps a Spark type; other types (arrays, structs, dates, …) are refused with the column's name. */
    static FeatureColumn of(String name, int ordinal, DataType dataType) {
        Type t;
        int precision = 0;
        int scale = 0;
        if (dataType instanceof DoubleType) {
            t = Type.DOUBLE;
        } else if (dataType instanceof FloatType) {
            t = Type.FLOAT;
        } else if (dataType instanceof LongType) {
            t = Type.LONG;
        } else if (dataType instanceof IntegerType) {
            t = Type.INT;
        } else if (dataType instanceof ShortType) {
            t = Type.SHORT;
        } else if (dataType instanceof ByteType) {
            t = Type.BYTE;
        } else if (dataType instanceof DecimalType d) {
            t = Type.DECIMAL;
            precision = d.precision();
            scale = d.scale();
        } else if (dataType instanceof BooleanType) {
            t = Type.BOOLEAN;
        } else if (dataType instanceof StringType) {
            t = Type.STRING;
        } else {
            throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "column '" + name + "' has type "
                            + dataType.simpleString() + ", which is not a number")
                    .hint("feature columns must be numeric, boolean or strings holding numbers; cast or select other columns")
                    .build();
        }
        return new FeatureColumn(name, ordinal, t, precision, scale);
    }

    /** A column that feeds a string feature of the model: it must be a Spark {@code string}. */
    static FeatureColumn text(String name, int ordinal, DataType dataType) {
        if (!(dataType instanceof StringType)) {
            throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "column '" + name + "' has type "
                            + dataType.simpleString() + ", but the model reads it as a string (categorical) column")
                    .hint("cast the column to string, e.g. col(\"" + name + "\").cast(\"string\")")
                    .build();
        }
        return new FeatureColumn(name, ordinal, Type.STRING, 0, 0);
    }

    /** The value of this column in an internal row, as {@link #read(Row)} reads it. */
    double read(InternalRow row) {
        if (row.isNullAt(ordinal)) {
            return Double.NaN;
        }
        return switch (type) {
            case DOUBLE -> row.getDouble(ordinal);
            case FLOAT -> row.getFloat(ordinal);
            case LONG -> row.getLong(ordinal);
            case INT -> row.getInt(ordinal);
            case SHORT -> row.getShort(ordinal);
            case BYTE -> row.getByte(ordinal);
            case DECIMAL -> row.getDecimal(ordinal, precision, scale).toDouble();
            case BOOLEAN -> row.getBoolean(ordinal) ? 1.0 : 0.0;
            case STRING -> parse(row.getUTF8String(ordinal).toString());
        };
    }

    /**
     * {@link #read(InternalRow)} for an unsafe row (the scoring loop's rows): the same values, read
     * with the row's own final methods.
     */
    double read(UnsafeRow row) {
        if (row.isNullAt(ordinal)) {
            return Double.NaN;
        }
        return switch (type) {
            case DOUBLE -> row.getDouble(ordinal);
            case FLOAT -> row.getFloat(ordinal);
            case LONG -> row.getLong(ordinal);
            case INT -> row.getInt(ordinal);
            case SHORT -> row.getShort(ordinal);
            case BYTE -> row.getByte(ordinal);
            case DECIMAL -> row.getDecimal(ordinal, precision, scale).toDouble();
            case BOOLEAN -> row.getBoolean(ordinal) ? 1.0 : 0.0;
            case STRING -> parse(row.getUTF8String(ordinal).toString());
        };
    }

    /** {@link #read(InternalRow)} for row {@code rowId} of this column's vector in a columnar batch. */
    double read(ColumnVector vector, int rowId) {
        if (vector.isNullAt(rowId)) {
            return Double.NaN;
        }
        return switch (type) {
            case DOUBLE -> vector.getDouble(rowId);
            case FLOAT -> vector.getFloat(rowId);
            case LONG -> vector.getLong(rowId);
            case INT -> vector.getInt(rowId);
            case SHORT -> vector.getShort(rowId);
            case BYTE -> vector.getByte(rowId);
            case DECIMAL -> vector.getDecimal(rowId, precision, scale).toDouble();
            case BOOLEAN -> vector.getBoolean(rowId) ? 1.0 : 0.0;
            case STRING -> parse(vector.getUTF8String(rowId).toString());
        };
    }

    /** Why the value read as NaN from an internal row is invalid, or null when it is a genuine NaN. */
    String invalidReason(InternalRow row) {
        if (row.isNullAt(ordinal)) {
            return "is null";
        }
        return type == Type.STRING ? textReason(row.getUTF8String(ordinal).toString()) : null;
    }

    /** The text of a string column in an internal row, or null for SQL {@code NULL}. */
    String text(InternalRow row) {
        return row.isNullAt(ordinal) ? null : row.getUTF8String(ordinal).toString();
    }

    /** The text of a string column in a row, or null for SQL {@code NULL}. */
    String text(Row row) {
        return row.isNullAt(ordinal) ? null : row.getString(ordinal);
    }

    /**
     * The value of this column in {@code row}; {@link Double#NaN} stands for SQL {@code NULL} and for a
     * string that is not a number, which {@link #isInvalid} tells apart from a stored NaN.
     */
    double read(Row row) {
        if (row.isNullAt(ordinal)) {
            return Double.NaN;
        }
        return switch (type) {
            case DOUBLE -> row.getDouble(ordinal);
            case FLOAT -> row.getFloat(ordinal);
            case LONG -> row.getLong(ordinal);
            case INT -> row.getInt(ordinal);
            case SHORT -> row.getShort(ordinal);
            case BYTE -> row.getByte(ordinal);
            case DECIMAL -> row.getDecimal(ordinal).doubleValue();
            case BOOLEAN -> row.getBoolean(ordinal) ? 1.0 : 0.0;
            case STRING -> parse(row.getString(ordinal));
        };
    }

    /** Why the value read as NaN is invalid, or null when it is a genuine NaN. */
    String invalidReason(Row row) {
        if (row.isNullAt(ordinal)) {
            return "is null";
        }
        return type == Type.STRING ? textReason(row.getString(ordinal)) : null;
    }

    private static String textReason(String s) {
        if (Double.isNaN(parse(s)) && !isNanText(s)) {
            return "holds '" + abbreviate(s) + "', which is not a number";
        }
        return null;
    }

    private static double parse(String s) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static boolean isNanText(String s) {
        String t = s.trim();
        return t.equals("NaN") || t.equals("nan") || t.equals("+NaN") || t.equals("-NaN");
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
