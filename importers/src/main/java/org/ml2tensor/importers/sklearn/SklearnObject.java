package org.ml2tensor.importers.sklearn;

import org.ml2tensor.importers.ReadBudget;
import java.util.List;
import java.util.Optional;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.importers.pickle.NdArray;
import org.ml2tensor.importers.pickle.PyDict;
import org.ml2tensor.importers.pickle.PyList;
import org.ml2tensor.importers.pickle.PyObject;
import org.ml2tensor.importers.pickle.PyTuple;
import org.ml2tensor.importers.pickle.PyValue;
import org.ml2tensor.importers.pickle.PyValue.PyBool;
import org.ml2tensor.importers.pickle.PyValue.PyFloat;
import org.ml2tensor.importers.pickle.PyValue.PyInt;
import org.ml2tensor.importers.pickle.PyValue.PyNone;
import org.ml2tensor.importers.pickle.PyValue.PyStr;

/**
 * A pickled scikit-learn object seen through typed attribute accessors. Every failure is an
 * {@link ErrorCode#INVALID_MODEL} error whose context is the object path and attribute, e.g.
 * {@code Pipeline.steps[1] (StandardScaler) › scale_: expected float64[5], found float64[4]}.
 */
public final class SklearnObject {
    private final PyObject object;
    private final PyDict attributes;
    private final String path;

    private SklearnObject(PyObject object, PyDict attributes, String path) {
        this.object = object;
        this.attributes = attributes;
        this.path = path;
    }

    /** Views the root value of a pickle. */
    public static SklearnObject root(PyValue v) {
        if (!(v instanceof PyObject o)) {
            throw Ml2TensorException.of(ErrorCode.UNSUPPORTED,
                    "the file holds a " + v.typeName() + ", not a scikit-learn estimator").build();
        }
        return of(o, simpleName(o.className()));
    }

    private static SklearnObject of(PyObject o, String path) {
        PyDict attrs = o.attributes().orElse(null);
        if (attrs == null) {
            throw Ml2TensorException.of(ErrorCode.INVALID_MODEL,
                    "the pickled " + o.className() + " has no attribute dictionary (was it fitted?)").at(path).build();
        }
        return new SklearnObject(o, attrs, path);
    }

    static String simpleName(String qualified) {
        int dot = qualified.lastIndexOf('.');
        return dot < 0 ? qualified : qualified.substring(dot + 1);
    }

    /** Python qualified class name, e.g. {@code sklearn.tree._classes.DecisionTreeClassifier}. */
    public String className() {
        return object.className();
    }

    /** Class name without module. */
    public String simpleName() {
        return simpleName(className());
    }

    /** Object path used in error contexts. */
    public String path() {
        return path;
    }

    public PyObject raw() {
        return object;
    }

    /** The attribute names, in pickle order. */
    public List<String> attributeNames() {
        return attributes.stringKeys();
    }

    /** {@code _sklearn_version}, or empty when the pickle has none. */
    public Optional<String> sklearnVersion() {
        return attributes.get("_sklearn_version").filter(v -> v instanceof PyStr).map(v -> ((PyStr) v).value());
    }

    /** Whether the attribute is present and not None. */
    public boolean has(String attr) {
        return attributes.get(attr).filter(v -> !(v instanceof PyNone)).isPresent();
    }

    /** The raw attribute value; fails when it is missing. */
    public PyValue get(String attr) {
        return attributes.get(attr).orElseThrow(() -> Ml2TensorException.of(ErrorCode.INVALID_MODEL,
                        "missing attribute " + attr)
                .at(path + " › " + attr).hint("the estimator must be fitted before it is saved").build());
    }

    public Optional<PyValue> optional(String attr) {
        return attributes.get(attr).filter(v -> !(v instanceof PyNone));
    }

    // ---- scalars ----

    public long integer(String attr) {
        PyValue v = get(attr);
        if (v instanceof PyInt i) {
            return i.value();
        }
        if (v instanceof PyBool b) {
            return b.value() ? 1 : 0;
        }
        throw invalid(attr, "expected an int, found " + v.typeName());
    }

    /** A count that must lie in {@code [min, max]}. */
    public int count(String attr, int min, int max) {
        long v = integer(attr);
        if (v < min || v > max) {
            throw invalid(attr, "expected an integer in " + min + ".." + max + ", found " + v);
        }
        return (int) v;
    }

    /**
     * A declared width ({@code n_features_in_} and the like): a positive int, charged to the
     * {@link ReadBudget} before any array of that width is built.
     */
    public int width(String attr) {
        int n = count(attr, 1, Integer.MAX_VALUE);
        ReadBudget.chargeWidth(n, attr + " = " + n);
        return n;
    }

    public double number(String attr) {
        return numberOf(attr, get(attr));
    }

    double numberOf(String attr, PyValue v) {
        if (v instanceof PyFloat f) {
            return f.value();
        }
        if (v instanceof PyInt i) {
            return i.value();
        }
        if (v instanceof PyBool b) {
            return b.value() ? 1 : 0;
        }
        if (v instanceof NdArray a && a.size() == 1 && a.dtype().isNumeric()) {
            return a.toDoubles()[0];
        }
        throw invalid(attr, "expected a number, found " + v.typeName());
    }

    public String string(String attr) {
        PyValue v = get(attr);
        if (v instanceof PyStr s) {
            return s.value();
        }
        throw invalid(attr, "expected a str, found " + v.typeName());
    }

    public Optional<String> optionalString(String attr) {
        return optional(attr).filter(v -> v instanceof PyStr).map(v -> ((PyStr) v).value());
    }

    public boolean bool(String attr, boolean absent) {
        Optional<PyValue> v = optional(attr);
        if (v.isEmpty()) {
            return absent;
        }
        if (v.get() instanceof PyBool b) {
            return b.value();
        }
        if (v.get() instanceof PyInt i) {
            return i.value() != 0;
        }
        throw invalid(attr, "expected a bool, found " + v.get().typeName());
    }

    // ---- arrays ----

    public NdArray array(String attr) {
        PyValue v = get(attr);
        if (v instanceof NdArray a) {
            return a;
        }
        throw invalid(attr, "expected an ndarray, found " + v.typeName());
    }

    /**
     * A numeric array read as doubles, with the expected shape checked ({@code -1} = any size in that
     * dimension). Scalars are accepted where a 0-d or 1-element array is expected.
     */
    public double[] doubles(String attr, int... expectedShape) {
        PyValue v = get(attr);
        if ((v instanceof PyFloat || v instanceof PyInt) && expectedShape.length <= 1
                && (expectedShape.length == 0 || expectedShape[0] == 1 || expectedShape[0] == -1)) {
            return new double[]{numberOf(attr, v)};
        }
        NdArray a = array(attr);
        checkShape(attr, a, "float64", expectedShape);
        return within(attr, a::toDoubles);
    }

    /** A 2-D numeric array as rows; a 1-D array is read as one row when {@code acceptVector}. */
    public double[][] matrix(String attr, int rows, int cols, boolean acceptVector) {
        NdArray a = array(attr);
        if (acceptVector && a.ndim() == 1) {
            checkShape(attr, a, "float64", cols);
            return new double[][]{within(attr, a::toDoubles)};
        }
        checkShape(attr, a, "float64", rows, cols);
        double[] flat = within(attr, a::toDoubles);
        int r = a.dim(0);
        int c = a.dim(1);
        double[][] out = new double[r][];
        for (int i = 0; i < r; i++) {
            out[i] = java.util.Arrays.copyOfRange(flat, i * c, (i + 1) * c);
        }
        return out;
    }

    public long[] longs(String attr, int... expectedShape) {
        NdArray a = array(attr);
        checkShape(attr, a, "int64", expectedShape);
        return within(attr, a::toLongs);
    }

    void checkShape(String attr, NdArray a, String kind, int... expected) {
        if (expected.length == 0) {
            return;
        }
        boolean ok = a.ndim() == expected.length;
        for (int i = 0; ok && i < expected.length; i++) {
            ok = expected[i] < 0 || expected[i] == a.dim(i);
        }
        if (!ok) {
            StringBuilder want = new StringBuilder(kind).append('[');
            for (int i = 0; i < expected.length; i++) {
                want.append(i > 0 ? ", " : "").append(expected[i] < 0 ? "n" : Integer.toString(expected[i]));
            }
            throw invalid(attr, "expected " + want + "], found " + a.typeName());
        }
    }

    /** Runs an array accessor, adding this attribute's path to its errors. */
    <T> T within(String attr, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (Ml2TensorException e) {
            throw e.within(path + " › " + attr);
        }
    }

    // ---- containers and children ----

    /** Items of a list, tuple or object array attribute. */
    public List<PyValue> items(String attr) {
        PyValue v = get(attr);
        return itemsOf(attr, v);
    }

    List<PyValue> itemsOf(String attr, PyValue v) {
        if (v instanceof PyList l) {
            return l.items();
        }
        if (v instanceof PyTuple t) {
            return t.items();
        }
        if (v instanceof NdArray a && a.dtype().isObject()) {
            return a.objects();
        }
        throw invalid(attr, "expected a list, found " + v.typeName());
    }

    /** A nested estimator held in an attribute. */
    public SklearnObject child(String attr) {
        return child(attr, get(attr), attr);
    }

    /** A nested estimator, e.g. {@code child("estimators_", v, "estimators_[3]")}. */
    public SklearnObject child(String attr, PyValue v, String segment) {
        if (!(v instanceof PyObject o)) {
            throw invalid(attr, "expected an estimator object, found " + v.typeName());
        }
        return of(o, path + "." + segment + " (" + simpleName(o.className()) + ")");
    }

    /** An error about one attribute of this object. */
    public Ml2TensorException invalid(String attr, String msg) {
        return Ml2TensorException.of(ErrorCode.INVALID_MODEL, msg).at(path + " › " + attr)
                .hint("the pickle does not look like a fitted scikit-learn " + simpleName()).build();
    }

    /** An error about an unsupported option of this object. */
    public Ml2TensorException unsupported(String attr, String msg, String hint) {
        return Ml2TensorException.of(ErrorCode.UNSUPPORTED, msg).at(path + " › " + attr).hint(hint).build();
    }

    @Override
    public String toString() {
        return path;
    }
}
