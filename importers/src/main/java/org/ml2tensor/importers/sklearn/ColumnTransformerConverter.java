package org.ml2tensor.importers.sklearn;

import java.util.ArrayList;
import java.util.List;

import org.ml2tensor.ir.ColumnType;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Transformer;
import org.ml2tensor.ir.UFunc;
import org.ml2tensor.importers.pickle.NdArray;
import org.ml2tensor.importers.pickle.PyObject;
import org.ml2tensor.importers.pickle.PyValue;

/**
 * {@code sklearn.compose.ColumnTransformer}: each fitted entry of {@code transformers_} (name, transformer,
 * columns) becomes a {@link Transformer.Union} branch over the columns it selects; {@code 'drop'} entries and
 * empty selections contribute nothing, {@code 'passthrough'} (1.2) and the identity {@code FunctionTransformer}
 * that 1.4+ stores for {@code remainder='passthrough'} pass their columns through. Output order is
 * {@code transformers_} order, the remainder last, as scikit-learn concatenates them.
 */
final class ColumnTransformerConverter implements SklearnConverter {

    /** One fitted entry of {@code transformers_}. */
    record Entry(String name, PyValue transformer, PyValue columns, int index) {
    }

    static List<Entry> entries(SklearnObject ct) {
        List<PyValue> raw = ct.items("transformers_");
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            List<PyValue> t = ct.itemsOf("transformers_", raw.get(i));
            if (t.size() != 3 || !(t.get(0) instanceof PyValue.PyStr name)) {
                throw ct.invalid("transformers_", "entry " + i + " is not a (name, transformer, columns) triple");
            }
            out.add(new Entry(name.value(), t.get(1), t.get(2), i));
        }
        return out;
    }

    static List<String> inputNames(SklearnObject est) {
        if (est.has("feature_names_in_") && est.get("feature_names_in_") instanceof NdArray a) {
            return est.within("feature_names_in_", a::toStrings);
        }
        return List.of();
    }

    @Override
    public Estimator convert(SklearnObject ct, ConversionContext ctx) {
        int width = ct.count("n_features_in_", 1, Integer.MAX_VALUE);
        List<String> names = inputNames(ct);
        List<Transformer.Union.Branch> branches = new ArrayList<>();
        for (Entry e : entries(ct)) {
            String attr = "transformers_";
            int[] cols = ColumnSpec.resolve(ct, attr, e.columns(), width, names);
            if (e.transformer() instanceof PyValue.PyStr s) {
                if (s.value().equals("drop") || cols.length == 0) {
                    continue;
                }
                if (!s.value().equals("passthrough")) {
                    throw ct.invalid(attr, "transformer '" + s.value() + "' of entry " + e.name());
                }
                branches.add(new Transformer.Union.Branch(e.name(), cols, null, 1.0));
                continue;
            }
            if (cols.length == 0) {
                continue;
            }
            SklearnObject child = ct.child(attr, e.transformer(), "transformers_[" + e.index() + "]");
            Transformer t = ctx.transformer(child);
            if (t instanceof Transformer.Elementwise el && el.function() == UFunc.IDENTITY) {
                t = null;
            }
            branches.add(new Transformer.Union.Branch(e.name(), cols, t, 1.0));
        }
        branches = indicatorsOnStrings(width, branches);
        return new Transformer.Union(Transformer.Union.mergeTypes(width, branches), branches,
                ct.bool("verbose_feature_names_out", true));
    }

    /**
     * A MissingIndicator's pickle does not say whether its columns held text: where another branch reads a
     * column as a string, the indicator reads it as a string too (the empty string is its missing value).
     */
    static List<Transformer.Union.Branch> indicatorsOnStrings(int width, List<Transformer.Union.Branch> branches) {
        List<Transformer.Union.Branch> others = branches.stream()
                .filter(b -> !(b.transformer() instanceof Transformer.MissingIndicator)).toList();
        List<ColumnType> types = Transformer.Union.mergeTypes(width, others);
        List<Transformer.Union.Branch> out = new ArrayList<>();
        for (Transformer.Union.Branch b : branches) {
            if (b.transformer() instanceof Transformer.MissingIndicator m) {
                List<ColumnType> t = new ArrayList<>(m.inputTypes());
                for (int i = 0; i < b.columns().length; i++) {
                    if (types.get(b.columns()[i]) == ColumnType.STRING) {
                        t.set(i, ColumnType.STRING);
                    }
                }
                b = new Transformer.Union.Branch(b.name(), b.columns(),
                        new Transformer.MissingIndicator(t, m.features()), b.weight());
            }
            out.add(b);
        }
        return out;
    }

    @Override
    public List<SklearnObject> children(SklearnObject ct) {
        List<SklearnObject> out = new ArrayList<>();
        for (Entry e : entries(ct)) {
            if (e.transformer() instanceof PyObject) {
                out.add(ct.child("transformers_", e.transformer(), "transformers_[" + e.index() + "]"));
            }
        }
        return out;
    }
}
