package org.ml2tensor.importers.sklearn;

import java.util.ArrayList;
import java.util.List;

import org.ml2tensor.ir.Categories;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Transformer;
import org.ml2tensor.importers.pickle.NdArray;
import org.ml2tensor.importers.pickle.PyValue;

/**
 * {@code OneHotEncoder} (dense or sparse output — the values are the same): per feature, frequent categories
 * in {@code categories_} order, then the infrequent column ({@code _infrequent_indices}), minus the dropped
 * column ({@code _drop_idx_after_grouping}, or {@code drop_idx_} before 1.1); a dropped category encodes as
 * zeros. Unknown values set the infrequent column under {@code handle_unknown='infrequent_if_exist'}/{@code 'warn'}
 * when the feature has one, else encode as zeros — also under {@code 'error'}, where scikit-learn raises
 * (a graph cannot; documented).
 */
final class OneHotEncoderConverter implements SklearnConverter {

    @Override
    public Estimator convert(SklearnObject est, ConversionContext ctx) {
        List<PyValue> cats = est.items("categories_");
        String unknown = est.optionalString("handle_unknown").orElse("error");
        boolean toInfrequent = unknown.equals("infrequent_if_exist") || unknown.equals("warn");
        List<PyValue> infrequent = est.bool("_infrequent_enabled", false) && est.has("_infrequent_indices")
                ? est.items("_infrequent_indices") : null;
        List<PyValue> drops = dropIndices(est, cats.size());
        List<Transformer.OneHotEncode.Feature> features = new ArrayList<>();
        for (int i = 0; i < cats.size(); i++) {
            String attr = "categories_[" + i + "]";
            Categories c = CategoryReader.read(est, attr, cats.get(i));
            boolean[] isInfrequent = new boolean[c.size()];
            boolean hasInfrequent = false;
            if (infrequent != null && !(infrequent.get(i) instanceof PyValue.PyNone)) {
                long[] idx = est.within("_infrequent_indices", ((NdArray) infrequent.get(i))::toLongs);
                for (long k : idx) {
                    if (k < 0 || k >= c.size()) {
                        throw est.invalid("_infrequent_indices", "index " + k + " out of range");
                    }
                    isInfrequent[(int) k] = true;
                    hasInfrequent = true;
                }
            }
            // columns after grouping: frequent categories in order, then the infrequent one
            List<String> labels = new ArrayList<>();
            int[] grouped = new int[c.size()];
            for (int k = 0; k < c.size(); k++) {
                if (!isInfrequent[k]) {
                    grouped[k] = labels.size();
                    labels.add(c.label(k));
                }
            }
            int infrequentColumn = -1;
            if (hasInfrequent) {
                infrequentColumn = labels.size();
                labels.add("infrequent_sklearn");
                for (int k = 0; k < c.size(); k++) {
                    if (isInfrequent[k]) {
                        grouped[k] = infrequentColumn;
                    }
                }
            }
            int unknownColumn = toInfrequent ? infrequentColumn : -1;
            PyValue d = drops.get(i);
            if (!(d instanceof PyValue.PyNone)) {
                long dropped = numberAsLong(est, d);
                if (dropped < 0 || dropped >= labels.size()) {
                    throw est.invalid("drop_idx_", "drop index " + dropped + " out of range for feature " + i);
                }
                labels.remove((int) dropped);
                for (int k = 0; k < grouped.length; k++) {
                    grouped[k] = grouped[k] == dropped ? -1 : grouped[k] > dropped ? grouped[k] - 1 : grouped[k];
                }
                unknownColumn = unknownColumn == dropped ? -1 : unknownColumn > dropped ? unknownColumn - 1
                        : unknownColumn;
            }
            features.add(new Transformer.OneHotEncode.Feature(c, grouped, labels, unknownColumn));
        }
        return new Transformer.OneHotEncode(features);
    }

    /** Per feature, the dropped column after infrequent grouping, or None. */
    private static List<PyValue> dropIndices(SklearnObject est, int n) {
        String attr = est.attributeNames().contains("_drop_idx_after_grouping") ? "_drop_idx_after_grouping"
                : "drop_idx_";
        List<PyValue> out = new ArrayList<>();
        if (!est.has(attr)) {
            for (int i = 0; i < n; i++) {
                out.add(PyValue.PyNone.NONE);
            }
            return out;
        }
        NdArray a = est.array(attr);
        if (a.size() != n) {
            throw est.invalid(attr, "expected " + n + " drop indices, found " + a.size());
        }
        if (a.dtype().isObject()) {
            return a.objects();
        }
        for (long v : est.within(attr, a::toLongs)) {
            out.add(new PyValue.PyInt(v));
        }
        return out;
    }

    private static long numberAsLong(SklearnObject est, PyValue v) {
        if (v instanceof PyValue.PyInt i) {
            return i.value();
        }
        if (v instanceof NdArray a && a.size() == 1 && a.dtype().isInteger()) {
            return a.toLongs()[0];
        }
        throw est.invalid("drop_idx_", "expected an int drop index, found " + v.typeName());
    }
}
