package org.ml2tensor.importers.sklearn;

import java.util.ArrayList;
import java.util.List;

import org.ml2tensor.ir.Categories;
import org.ml2tensor.ir.ColumnType;
import org.ml2tensor.importers.pickle.NdArray;
import org.ml2tensor.importers.pickle.PyValue;

/**
 * Reads one {@code categories_[i]} array: float64 (NaN last = missing category), int64, or an object /
 * unicode array of strings (None or NaN last = missing category).
 */
final class CategoryReader {
    private CategoryReader() {
    }

    static Categories read(SklearnObject est, String attr, PyValue v) {
        if (!(v instanceof NdArray a) || a.ndim() != 1) {
            throw est.invalid(attr, "expected a 1-D array of categories, found " + v.typeName());
        }
        if (a.dtype().isObject() && a.objects().stream().noneMatch(o -> o instanceof PyValue.PyStr)) {
            List<PyValue> items = a.objects();
            boolean ints = true;
            double[] d = new double[items.size()];
            for (int i = 0; i < d.length; i++) {
                PyValue item = items.get(i);
                ints &= item instanceof PyValue.PyInt;
                d[i] = item instanceof PyValue.PyNone ? Double.NaN : est.numberOf(attr, item);
            }
            boolean missing = d.length > 0 && Double.isNaN(d[d.length - 1]);
            double[] known = missing ? java.util.Arrays.copyOf(d, d.length - 1) : d;
            return new Categories(ints ? ColumnType.INT : ColumnType.FLOAT, known, List.of(), missing);
        }
        if (a.dtype().isObject()) {
            List<String> strings = new ArrayList<>();
            boolean missing = false;
            List<PyValue> items = a.objects();
            for (int i = 0; i < items.size(); i++) {
                PyValue item = items.get(i);
                boolean isMissing = item instanceof PyValue.PyNone
                        || item instanceof PyValue.PyFloat f && Double.isNaN(f.value());
                if (isMissing && i == items.size() - 1) {
                    missing = true;
                } else if (item instanceof PyValue.PyStr s && !s.value().isEmpty()) {
                    strings.add(s.value());
                } else {
                    throw est.unsupported(attr, "category " + item + " of an object column is not supported",
                            "encode columns of non-empty strings (missing values as None/NaN) or of numbers");
                }
            }
            return new Categories(ColumnType.STRING, new double[0], strings, missing);
        }
        if (a.dtype().kind() == 'U' || a.dtype().kind() == 'S') {
            List<String> strings = est.within(attr, a::toStrings);
            if (strings.contains("")) {
                throw est.unsupported(attr, "the empty string as a category is not supported",
                        "the empty string marks a missing value in ml2tensor's string inputs");
            }
            return new Categories(ColumnType.STRING, new double[0], strings, false);
        }
        if (!a.dtype().isNumeric()) {
            throw est.invalid(attr, "categories of dtype " + a.dtype().describe() + " are not supported");
        }
        double[] d = est.within(attr, a::toDoubles);
        boolean missing = d.length > 0 && Double.isNaN(d[d.length - 1]);
        double[] known = missing ? java.util.Arrays.copyOf(d, d.length - 1) : d;
        for (double x : known) {
            if (Double.isNaN(x)) {
                throw est.invalid(attr, "NaN is not the last category");
            }
        }
        return new Categories(a.dtype().isInteger() ? ColumnType.INT : ColumnType.FLOAT, known, List.of(), missing);
    }
}
