package org.ml2tensor.importers.sklearn;

import java.util.ArrayList;
import java.util.List;
import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.importers.pickle.NdArray;
import org.ml2tensor.importers.pickle.PyValue;

/**
 * Reads {@code classes_}: integer (and bool) labels become {@link ClassLabels.Ints}, floats that are all
 * integral too, strings become {@link ClassLabels.Strings}.
 */
final class ClassLabelReader {
    private ClassLabelReader() {
    }

    static ClassLabels read(SklearnObject owner, String attr) {
        NdArray a = owner.array(attr);
        if (a.ndim() != 1 || a.size() < 2) {
            throw owner.invalid(attr, "expected a vector of at least 2 class labels, found " + a.typeName());
        }
        try {
            return labels(owner, attr, a);
        } catch (Ml2TensorException e) {
            throw e.context().isEmpty() ? e.within(owner.path() + " › " + attr) : e;
        }
    }

    /** Reads one item {@code v} of a list-valued {@code attr} (a multi-output model's {@code classes_[t]}). */
    static ClassLabels read(SklearnObject owner, String attr, PyValue v) {
        if (!(v instanceof NdArray a) || a.ndim() != 1 || a.size() < 2) {
            throw owner.invalid(attr, "expected a vector of at least 2 class labels, found " + v.typeName());
        }
        try {
            return labels(owner, attr, a);
        } catch (Ml2TensorException e) {
            throw e.context().isEmpty() ? e.within(owner.path() + " › " + attr) : e;
        }
    }

    private static ClassLabels labels(SklearnObject owner, String attr, NdArray a) {
        char kind = a.dtype().kind();
        if (a.dtype().isInteger()) {
            return new ClassLabels.Ints(a.toLongs());
        }
        if (kind == 'f') {
            return integral(owner, attr, a.toDoubles());
        }
        if (kind == 'U' || kind == 'S') {
            return new ClassLabels.Strings(a.toStrings());
        }
        if (a.dtype().isObject()) {
            List<PyValue> items = a.objects();
            if (items.stream().allMatch(v -> v instanceof PyValue.PyStr)) {
                return new ClassLabels.Strings(a.toStrings());
            }
            if (items.stream().allMatch(v -> v instanceof PyValue.PyInt || v instanceof PyValue.PyBool)) {
                return new ClassLabels.Ints(a.toLongs());
            }
            if (items.stream().allMatch(v -> v instanceof PyValue.PyFloat || v instanceof PyValue.PyInt)) {
                return integral(owner, attr, a.toDoubles());
            }
            List<String> kinds = new ArrayList<>();
            items.stream().map(PyValue::typeName).distinct().forEach(kinds::add);
            throw owner.unsupported(attr, "class labels of mixed or unsupported types " + kinds,
                    "train the model with integer or string labels");
        }
        throw owner.unsupported(attr, "class labels of dtype " + a.dtype().describe() + " are not supported",
                "train the model with integer or string labels");
    }

    private static ClassLabels integral(SklearnObject owner, String attr, double[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != Math.rint(v[i]) || Math.abs(v[i]) > 0x1p53) {
                throw owner.unsupported(attr, "class label " + v[i] + " is not an integer",
                        "train the model with integer or string labels");
            }
            out[i] = (long) v[i];
        }
        return new ClassLabels.Ints(out);
    }
}
