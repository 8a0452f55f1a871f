package org.ml2tensor.ir;

import java.util.List;

/**
 * The categories an encoder learned for one column ({@code categories_[i]}), in the library's order:
 * numbers or strings, then the missing-value category last when the column had missing values at fit
 * (NaN for numbers; None/NaN for strings, which the graph receives as the empty string).
 *
 * @param type    column type ({@link ColumnType#STRING} for string categories)
 * @param numbers numeric categories without NaN (empty for strings)
 * @param strings string categories without the missing one (empty for numbers)
 * @param missing whether the missing value is a category (index {@code size() - 1})
 */
public record Categories(ColumnType type, double[] numbers, List<String> strings, boolean missing) {
    public Categories {
        strings = List.copyOf(strings);
        if (type == ColumnType.STRING ? numbers.length != 0 : !strings.isEmpty()) {
            throw new IllegalArgumentException("categories of a " + type.jsonName() + " column hold the wrong kind");
        }
        for (double d : numbers) {
            if (Double.isNaN(d)) {
                throw new IllegalArgumentException("NaN is the missing category, not a number category");
            }
        }
        if (type == ColumnType.STRING && strings.contains("")) {
            throw new IllegalArgumentException("the empty string is the missing value of a string column");
        }
    }

    /** Categories that are not the missing one. */
    public int known() {
        return type == ColumnType.STRING ? strings.size() : numbers.length;
    }

    /** All categories, the missing one included. */
    public int size() {
        return known() + (missing ? 1 : 0);
    }

    /** The category as scikit-learn prints it in feature names. */
    public String label(int i) {
        if (i == known()) {
            return "nan";
        }
        if (type == ColumnType.STRING) {
            return strings.get(i);
        }
        double v = numbers[i];
        return type == ColumnType.INT && v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
