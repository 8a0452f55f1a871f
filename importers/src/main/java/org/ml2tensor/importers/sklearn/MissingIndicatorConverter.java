package org.ml2tensor.importers.sklearn;

import java.util.ArrayList;
import java.util.List;

import org.ml2tensor.ir.ColumnType;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Transformer;
import org.ml2tensor.importers.pickle.PyValue;

/**
 * {@code MissingIndicator} with NaN as the missing marker: one 0/1 column per entry of {@code features_}
 * (the columns that had missing values at fit, or all with {@code features='all'}); a column complete at
 * fit gets no indicator even if a value is missing at predict time.
 */
final class MissingIndicatorConverter implements SklearnConverter {

    /** The indicator over columns of the given types. */
    static Transformer.MissingIndicator indicator(SklearnObject est, List<ColumnType> types) {
        PyValue missing = est.get("missing_values");
        if (!(missing instanceof PyValue.PyFloat f && Double.isNaN(f.value()) || missing instanceof PyValue.PyNone)) {
            throw est.unsupported("missing_values", "MissingIndicator(missing_values=" + missing
                    + ") is not supported", "use missing_values=np.nan");
        }
        long[] features = est.longs("features_", -1);
        int[] f = new int[features.length];
        for (int i = 0; i < f.length; i++) {
            if (features[i] < 0 || features[i] >= types.size()) {
                throw est.invalid("features_", "feature " + features[i] + " out of range for " + types.size());
            }
            f[i] = (int) features[i];
        }
        return new Transformer.MissingIndicator(types, f);
    }

    @Override
    public Estimator convert(SklearnObject est, ConversionContext ctx) {
        int n = est.has("n_features_in_") ? est.count("n_features_in_", 1, Integer.MAX_VALUE)
                : est.count("_n_features", 1, Integer.MAX_VALUE);
        List<ColumnType> types = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            types.add(ColumnType.FLOAT);
        }
        return indicator(est, types);
    }
}
