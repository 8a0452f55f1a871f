package org.ml2tensor.spark;

import java.io.Serializable;
import org.apache.spark.sql.Row;
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
 * a number is invalid); booleans read as 0/1.
 *
 * @param name     the column name (for messages)
 * @param ordinal  its position in the input row
 * @param type     how to read it
 */
record FeatureColumn(String name, int ordinal, Type type) implements Serializable {
    /** The Spark types a feature column may have. */
    enum Type { DOUBLE, FLOAT, LONG, INT, SHORT, BYTE, DECIMAL, BOOLEAN, STRING }

    /** Maps a Spark type; other types (arrays, structs, dates, …) are refused with the column's name. */
    static FeatureColumn of(String name, int ordinal, DataType dataType) {
        Type t;
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
        } else if (dataType instanceof DecimalType) {
            t = Type.DECIMAL;
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
        return new FeatureColumn(name, ordinal, t);
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
        if (type == Type.STRING) {
            String s = row.getString(ordinal);
            if (Double.isNaN(parse(s)) && !isNanText(s)) {
                return "holds '" + abbreviate(s) + "', which is not a number";
            }
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
