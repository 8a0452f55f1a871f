package org.ml2tensor.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * The columns a model reads, in the order the library saw them at fit time.
 *
 * <p>ONNX input convention (one input per type group, like skl2onnx's option for DataFrames): every numeric
 * column ({@link ColumnType#FLOAT}, {@link ColumnType#INT}) goes, in schema order, into the graph input
 * {@code input [N, numericCount]} (float32 or float64); every {@link ColumnType#STRING} column, in schema
 * order, into {@code input_strings [N, stringCount]}, which exists only when there is one.
 *
 * @param columns the columns
 * @param named   whether the names came from the model ({@code feature_names_in_}, XGBoost/LightGBM
 *                feature names): rows are then matched by name; otherwise the names are {@code x0, x1, …}
 *                and rows are positional
 */
public record InputSchema(List<Column> columns, boolean named) {
    public InputSchema {
        columns = List.copyOf(columns);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a model reads at least one column");
        }
    }

    /** A schema of {@code n} float columns named {@code names} (or {@code x0…} when empty). */
    public static InputSchema numeric(int n, List<String> names) {
        List<ColumnType> types = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            types.add(ColumnType.FLOAT);
        }
        return of(types, names);
    }

    /** Columns of the given types named {@code names} (or {@code x0…} when empty). */
    public static InputSchema of(List<ColumnType> types, List<String> names) {
        if (!names.isEmpty() && names.size() != types.size()) {
            throw new IllegalArgumentException("featureNames has " + names.size() + " names for "
                    + types.size() + " features");
        }
        List<Column> cols = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            cols.add(new Column(names.isEmpty() ? "x" + i : names.get(i), types.get(i)));
        }
        return new InputSchema(cols, !names.isEmpty());
    }

    public int width() {
        return columns.size();
    }

    public Column column(int i) {
        return columns.get(i);
    }

    public List<String> names() {
        return columns.stream().map(Column::name).toList();
    }

    public List<ColumnType> types() {
        return columns.stream().map(Column::type).toList();
    }

    /** Whether any column is a string column (the graph then has an {@code input_strings} input). */
    public boolean hasStrings() {
        return columns.stream().anyMatch(c -> c.type() == ColumnType.STRING);
    }

    /** Number of numeric columns (the width of the {@code input} tensor). */
    public int numericCount() {
        return (int) columns.stream().filter(c -> c.type().isNumeric()).count();
    }

    /** Number of string columns (the width of the {@code input_strings} tensor). */
    public int stringCount() {
        return width() - numericCount();
    }

    /** Position of column {@code i} inside its group's tensor. */
    public int groupIndex(int i) {
        boolean numeric = columns.get(i).type().isNumeric();
        int k = 0;
        for (int j = 0; j < i; j++) {
            if (columns.get(j).type().isNumeric() == numeric) {
                k++;
            }
        }
        return k;
    }
}
