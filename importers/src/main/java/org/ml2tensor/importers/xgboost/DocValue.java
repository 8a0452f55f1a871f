package org.ml2tensor.importers.xgboost;

import java.util.List;
import java.util.Map;

/**
 * A parsed JSON/UBJSON value of an XGBoost model document. JSON and UBJSON files decode to the same
 * tree. Arrays whose elements are all numbers are kept as one {@code double[]} ({@link Numbers}); every
 * number is the exact value the file denotes for XGBoost: integers as integers, reals as float32
 * (XGBoost's JSON numbers are single precision), widened to double.
 */
sealed interface DocValue {

    /** An object; keys keep file order. */
    record Obj(Map<String, DocValue> fields) implements DocValue {
    }

    /** An array with at least one non-number element. */
    record Arr(List<DocValue> items) implements DocValue {
    }

    /** An array of numbers (possibly empty), including UBJSON typed arrays. */
    record Numbers(double[] values) implements DocValue {
    }

    /** One number. */
    record Num(double value) implements DocValue {
    }

    /** One string. */
    record Str(String value) implements DocValue {
    }

    /** {@code true} or {@code false}. */
    record Bool(boolean value) implements DocValue {
    }

    /** {@code null}. */
    record Null() implements DocValue {
    }

    /** Short type name for error messages. */
    static String typeName(DocValue v) {
        if (v instanceof Obj) {
            return "object";
        } else if (v instanceof Arr) {
            return "array";
        } else if (v instanceof Numbers) {
            return "number array";
        } else if (v instanceof Num) {
            return "number";
        } else if (v instanceof Str) {
            return "string";
        } else if (v instanceof Bool) {
            return "boolean";
        }
        return "null";
    }
}
