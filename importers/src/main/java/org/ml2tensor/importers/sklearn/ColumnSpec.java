package org.ml2tensor.importers.sklearn;

import java.util.ArrayList;
import java.util.List;

import org.ml2tensor.importers.pickle.NdArray;
import org.ml2tensor.importers.pickle.PyList;
import org.ml2tensor.importers.pickle.PyObject;
import org.ml2tensor.importers.pickle.PyTuple;
import org.ml2tensor.importers.pickle.PyValue;

/**
 * Resolves a pickled ColumnTransformer column specification to input column indices: a name, an index, a
 * list of either, a boolean mask, an integer or string array, a {@code slice} of indices (end exclusive) or
 * of names (both ends inclusive, as pandas does); {@code make_column_selector} and callables are stored
 * resolved in fitted pickles.
 */
final class ColumnSpec {
    private ColumnSpec() {
    }

    static int[] resolve(SklearnObject owner, String attr, PyValue spec, int width, List<String> names) {
        if (spec instanceof PyValue.PyStr s) {
            return new int[]{byName(owner, attr, s.value(), names)};
        }
        if (spec instanceof PyValue.PyInt i) {
            return new int[]{byIndex(owner, attr, i.value(), width)};
        }
        if (spec instanceof PyObject o && o.className().equals("builtins.slice")) {
            return slice(owner, attr, o.args().items(), width, names);
        }
        List<PyValue> items;
        if (spec instanceof PyList l) {
            items = l.items();
        } else if (spec instanceof PyTuple t) {
            items = t.items();
        } else if (spec instanceof PyObject o && o.className().endsWith("._RemainderColsList")) {
            items = remainderItems(owner, attr, o);
        } else if (spec instanceof NdArray a) {
            return array(owner, attr, a, width, names);
        } else {
            throw owner.unsupported(attr, "column specification " + spec.typeName() + " is not supported",
                    "select columns by name, index, slice or boolean mask");
        }
        if (!items.isEmpty() && items.stream().allMatch(v -> v instanceof PyValue.PyBool)) {
            if (items.size() != width) {
                throw owner.invalid(attr, "boolean mask of " + items.size() + " values for " + width + " columns");
            }
            List<Integer> picks = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                if (((PyValue.PyBool) items.get(i)).value()) {
                    picks.add(i);
                }
            }
            return picks.stream().mapToInt(Integer::intValue).toArray();
        }
        int[] out = new int[items.size()];
        for (int i = 0; i < out.length; i++) {
            PyValue v = items.get(i);
            if (v instanceof PyValue.PyStr s) {
                out[i] = byName(owner, attr, s.value(), names);
            } else if (v instanceof PyValue.PyInt n) {
                out[i] = byIndex(owner, attr, n.value(), width);
            } else {
                throw owner.invalid(attr, "column " + i + " of the selection is a " + v.typeName());
            }
        }
        return out;
    }

    private static List<PyValue> remainderItems(SklearnObject owner, String attr, PyObject o) {
        if (o.state() instanceof PyList l) {
            return l.items();
        }
        if (o.args().size() == 1 && o.args().get(0) instanceof PyList l) {
            return l.items();
        }
        if (o.attributes().isPresent() && o.attributes().get().get("data").orElse(null) instanceof PyList l) {
            return l.items();
        }
        throw owner.invalid(attr, "unreadable _RemainderColsList");
    }

    private static int[] array(SklearnObject owner, String attr, NdArray a, int width, List<String> names) {
        if (a.ndim() != 1) {
            throw owner.invalid(attr, "column selection array must be 1-D");
        }
        if (a.dtype().kind() == 'b') {
            long[] mask = a.toLongs();
            if (mask.length != width) {
                throw owner.invalid(attr, "boolean mask of " + mask.length + " values for " + width + " columns");
            }
            List<Integer> picks = new ArrayList<>();
            for (int i = 0; i < mask.length; i++) {
                if (mask[i] != 0) {
                    picks.add(i);
                }
            }
            return picks.stream().mapToInt(Integer::intValue).toArray();
        }
        if (a.dtype().isInteger()) {
            long[] idx = a.toLongs();
            int[] out = new int[idx.length];
            for (int i = 0; i < idx.length; i++) {
                out[i] = byIndex(owner, attr, idx[i], width);
            }
            return out;
        }
        List<String> picked = a.toStrings();
        int[] out = new int[picked.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = byName(owner, attr, picked.get(i), names);
        }
        return out;
    }

    private static int[] slice(SklearnObject owner, String attr, List<PyValue> args, int width, List<String> names) {
        PyValue start = args.size() > 0 ? args.get(0) : PyValue.PyNone.NONE;
        PyValue stop = args.size() > 1 ? args.get(1) : PyValue.PyNone.NONE;
        PyValue step = args.size() > 2 ? args.get(2) : PyValue.PyNone.NONE;
        long st = step instanceof PyValue.PyInt s ? s.value() : 1;
        if (st <= 0) {
            throw owner.unsupported(attr, "slice step " + st + " is not supported", "use a positive slice step");
        }
        long from;
        long to;
        if (start instanceof PyValue.PyStr || stop instanceof PyValue.PyStr) {
            from = start instanceof PyValue.PyStr s ? byName(owner, attr, s.value(), names) : 0;
            to = stop instanceof PyValue.PyStr s ? byName(owner, attr, s.value(), names) + 1 : width;
        } else {
            from = start instanceof PyValue.PyInt s ? wrap(s.value(), width) : 0;
            to = stop instanceof PyValue.PyInt s ? wrap(s.value(), width) : width;
        }
        from = Math.max(0, Math.min(from, width));
        to = Math.max(from, Math.min(to, width));
        List<Integer> picks = new ArrayList<>();
        for (long i = from; i < to; i += st) {
            picks.add((int) i);
        }
        return picks.stream().mapToInt(Integer::intValue).toArray();
    }

    private static long wrap(long i, int width) {
        return i < 0 ? i + width : i;
    }

    private static int byIndex(SklearnObject owner, String attr, long i, int width) {
        long w = wrap(i, width);
        if (w < 0 || w >= width) {
            throw owner.invalid(attr, "column index " + i + " out of range for " + width + " columns");
        }
        return (int) w;
    }

    private static int byName(SklearnObject owner, String attr, String name, List<String> names) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw owner.invalid(attr, names.isEmpty() ? "column '" + name + "' selected by name but the model"
                    + " was not fitted on a DataFrame" : "column '" + name + "' is not among " + names);
        }
        return i;
    }
}
