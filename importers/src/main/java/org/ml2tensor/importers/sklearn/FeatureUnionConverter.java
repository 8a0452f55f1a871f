package org.ml2tensor.importers.sklearn;

import java.util.ArrayList;
import java.util.List;

import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Transformer;
import org.ml2tensor.importers.pickle.PyDict;
import org.ml2tensor.importers.pickle.PyObject;
import org.ml2tensor.importers.pickle.PyValue;

/**
 * {@code sklearn.pipeline.FeatureUnion}: every transformer of {@code transformer_list} reads all columns;
 * outputs are concatenated in list order, each multiplied by its {@code transformer_weights} entry.
 * {@code 'drop'} entries are skipped and {@code 'passthrough'} passes the input through.
 */
final class FeatureUnionConverter implements SklearnConverter {

    @Override
    public Estimator convert(SklearnObject fu, ConversionContext ctx) {
        List<PyValue> raw = fu.items("transformer_list");
        PyDict weights = fu.optional("transformer_weights").orElse(null) instanceof PyDict d ? d : null;
        List<Transformer.Union.Branch> branches = new ArrayList<>();
        List<Transformer> converted = new ArrayList<>();
        List<String> branchNames = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            List<PyValue> pair = fu.itemsOf("transformer_list", raw.get(i));
            if (pair.size() != 2 || !(pair.get(0) instanceof PyValue.PyStr name)) {
                throw fu.invalid("transformer_list", "entry " + i + " is not a (name, transformer) pair");
            }
            PyValue v = pair.get(1);
            if (v instanceof PyValue.PyStr s && s.value().equals("drop") || v instanceof PyValue.PyNone) {
                continue;
            }
            boolean passthrough = v instanceof PyValue.PyStr s && s.value().equals("passthrough");
            converted.add(passthrough ? null
                    : ctx.transformer(fu.child("transformer_list", v, "transformer_list[" + i + "]")));
            branchNames.add(name.value());
        }
        int width = fu.has("n_features_in_") ? fu.count("n_features_in_", 1, Integer.MAX_VALUE)
                : converted.stream().filter(t -> t != null).findFirst().map(Transformer::inputWidth).orElseThrow(
                        () -> fu.invalid("n_features_in_", "missing, and no transformer tells the input width"));
        int[] all = new int[width];
        for (int i = 0; i < width; i++) {
            all[i] = i;
        }
        for (int i = 0; i < converted.size(); i++) {
            double w = 1.0;
            if (weights != null && weights.get(branchNames.get(i)).isPresent()) {
                w = fu.numberOf("transformer_weights", weights.get(branchNames.get(i)).get());
            }
            branches.add(new Transformer.Union.Branch(branchNames.get(i), all, converted.get(i), w));
        }
        return new Transformer.Union(Transformer.Union.mergeTypes(width, branches), branches,
                fu.bool("verbose_feature_names_out", true));
    }

    @Override
    public List<SklearnObject> children(SklearnObject fu) {
        List<SklearnObject> out = new ArrayList<>();
        List<PyValue> raw = fu.items("transformer_list");
        for (int i = 0; i < raw.size(); i++) {
            List<PyValue> pair = fu.itemsOf("transformer_list", raw.get(i));
            if (pair.size() == 2 && pair.get(1) instanceof PyObject) {
                out.add(fu.child("transformer_list", pair.get(1), "transformer_list[" + i + "]"));
            }
        }
        return out;
    }
}
