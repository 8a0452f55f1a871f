package org.ml2tensor.importers.sklearn;

import java.util.ArrayList;
import java.util.List;

import org.ml2tensor.ir.Categories;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Transformer;
import org.ml2tensor.importers.pickle.NdArray;
import org.ml2tensor.importers.pickle.PyValue;

/**
 * {@code OrdinalEncoder}: the index of the value in {@code categories_} (infrequent categories share one code
 * after the frequent ones), the missing category as {@code encoded_missing_value} (NaN by default), values
 * outside the categories as {@code unknown_value} under {@code handle_unknown='use_encoded_value'} (under
 * {@code 'error'} scikit-learn raises; the graph gives NaN).
 */
final class OrdinalEncoderConverter implements SklearnConverter {

    @Override
    public Estimator convert(SklearnObject est, ConversionContext ctx) {
        List<PyValue> cats = est.items("categories_");
        String unknown = est.optionalString("handle_unknown").orElse("error");
        double unknownValue = unknown.equals("use_encoded_value") && est.has("unknown_value")
                ? est.number("unknown_value") : Double.NaN;
        double missingCode = est.attributeNames().contains("encoded_missing_value") && est.has("encoded_missing_value")
                ? est.number("encoded_missing_value") : Double.NaN;
        boolean hasMissingCode = est.attributeNames().contains("encoded_missing_value");
        List<PyValue> infrequent = est.bool("_infrequent_enabled", false) && est.has("_infrequent_indices")
                ? est.items("_infrequent_indices") : null;
        List<Transformer.OrdinalEncode.Feature> features = new ArrayList<>();
        for (int i = 0; i < cats.size(); i++) {
            Categories c = CategoryReader.read(est, "categories_[" + i + "]", cats.get(i));
            boolean[] rare = new boolean[c.size()];
            if (infrequent != null && infrequent.get(i) instanceof NdArray a) {
                for (long k : est.within("_infrequent_indices", a::toLongs)) {
                    if (k < 0 || k >= c.size()) {
                        throw est.invalid("_infrequent_indices", "index " + k + " out of range");
                    }
                    rare[(int) k] = true;
                }
            }
            double[] codes = new double[c.size()];
            int next = 0;
            for (int k = 0; k < c.size(); k++) {
                if (!rare[k]) {
                    codes[k] = next++;
                }
            }
            for (int k = 0; k < c.size(); k++) {
                if (rare[k]) {
                    codes[k] = next;
                }
            }
            if (c.missing() && hasMissingCode) {
                codes[c.size() - 1] = missingCode;
            }
            features.add(new Transformer.OrdinalEncode.Feature(c, codes, unknownValue));
        }
        return new Transformer.OrdinalEncode(features);
    }
}
