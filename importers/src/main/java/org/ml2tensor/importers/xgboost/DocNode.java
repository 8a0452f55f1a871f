package org.ml2tensor.importers.xgboost;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * A {@link DocValue} with its location (file name and JSON path such as
 * {@code learner.gradient_booster.model.trees[3].split_conditions}) and typed accessors whose failures
 * are {@link Ml2TensorException}s naming that location.
 */
record DocNode(DocValue value, String file, String path) {

    private static final String SCHEMA_HINT = "the file does not follow the XGBoost model schema: save it "
            + "again with Booster.save_model('model.json') or 'model.ubj'";

    static DocNode root(DocValue value, String file) {
        return new DocNode(value, file, "");
    }

    /** A required object field. */
    DocNode field(String name) {
        return optional(name).orElseThrow(() -> error(ErrorCode.MODEL_FORMAT, "missing field '" + name + "'",
                SCHEMA_HINT));
    }

    /** An optional object field: empty when absent (an error when this is not an object). */
    Optional<DocNode> optional(String name) {
        DocValue.Obj obj = asObject();
        DocValue v = obj.fields().get(name);
        return v == null ? Optional.empty() : Optional.of(new DocNode(v, file, child(name)));
    }

    boolean has(String name) {
        return value instanceof DocValue.Obj o && o.fields().containsKey(name);
    }

    DocValue.Obj asObject() {
        if (value instanceof DocValue.Obj o) {
            return o;
        }
        throw wrongType("an object");
    }

    /** A string value; numbers are accepted and rendered as written by XGBoost 1.x attribute writers. */
    String string() {
        if (value instanceof DocValue.Str s) {
            return s.value();
        }
        throw wrongType("a string");
    }

    /** A number, or a string holding a number (XGBoost writes model parameters as strings). */
    double number() {
        if (value instanceof DocValue.Num n) {
            return n.value();
        }
        if (value instanceof DocValue.Str s) {
            try {
                return Double.parseDouble(s.value().trim());
            } catch (NumberFormatException e) {
                throw error(ErrorCode.INVALID_MODEL, "'" + s.value() + "' is not a number", SCHEMA_HINT);
            }
        }
        throw wrongType("a number");
    }

    /** An integer (number or numeric string) in int range. */
    int intValue() {
        double d = number();
        if (d != Math.rint(d) || d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) {
            throw error(ErrorCode.INVALID_MODEL, "expected an integer, found " + d, SCHEMA_HINT);
        }
        return (int) d;
    }

    /** An array of numbers; booleans count as 0/1. */
    double[] numbers() {
        if (value instanceof DocValue.Numbers n) {
            return n.values();
        }
        if (value instanceof DocValue.Arr a) {
            double[] out = new double[a.items().size()];
            for (int i = 0; i < out.length; i++) {
                DocValue item = a.items().get(i);
                if (item instanceof DocValue.Num n) {
                    out[i] = n.value();
                } else if (item instanceof DocValue.Bool b) {
                    out[i] = b.value() ? 1 : 0;
                } else {
                    throw new DocNode(item, file, path + "[" + i + "]").wrongType("a number");
                }
            }
            return out;
        }
        throw wrongType("an array of numbers");
    }

    /** An array of integers in int range. */
    int[] ints() {
        double[] d = numbers();
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            if (d[i] != Math.rint(d[i]) || d[i] < Integer.MIN_VALUE || d[i] > Integer.MAX_VALUE) {
                throw new DocNode(new DocValue.Num(d[i]), file, path + "[" + i + "]")
                        .error(ErrorCode.INVALID_MODEL, "expected an integer, found " + d[i], SCHEMA_HINT);
            }
            out[i] = (int) d[i];
        }
        return out;
    }

    /** Elements of an array. */
    List<DocNode> elements() {
        List<DocNode> out = new ArrayList<>();
        if (value instanceof DocValue.Arr a) {
            for (int i = 0; i < a.items().size(); i++) {
                out.add(new DocNode(a.items().get(i), file, path + "[" + i + "]"));
            }
            return out;
        }
        if (value instanceof DocValue.Numbers n) {
            for (int i = 0; i < n.values().length; i++) {
                out.add(new DocNode(new DocValue.Num(n.values()[i]), file, path + "[" + i + "]"));
            }
            return out;
        }
        throw wrongType("an array");
    }

    /** Strings of an array of strings. */
    List<String> strings() {
        List<String> out = new ArrayList<>();
        for (DocNode e : elements()) {
            out.add(e.string());
        }
        return out;
    }

    /** Location for error messages: {@code file › path}. */
    String location() {
        return path.isEmpty() ? file : file + " › " + path;
    }

    Ml2TensorException error(ErrorCode code, String message, String hint) {
        return Ml2TensorException.of(code, message).at(location()).hint(hint).build();
    }

    private Ml2TensorException wrongType(String expected) {
        return error(ErrorCode.MODEL_FORMAT, "expected " + expected + ", found " + DocValue.typeName(value),
                SCHEMA_HINT);
    }

    private String child(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
