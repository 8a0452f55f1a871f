package org.ml2tensor.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * Rows of typed cells mapped onto a model's input schema: numeric columns into one row-major
 * {@code double[]} ({@code [rows, numericCount]}), string columns into one {@code String[]}
 * ({@code [rows, stringCount]}). Columns are matched by name when the model has feature names (any order,
 * extra columns ignored), otherwise by position.
 *
 * <p>Cells: numbers ({@link Number}; NaN = missing), strings (for a numeric column they are parsed;
 * {@code ""}, {@code nan} and {@code NaN} are missing), or null (missing). In a string column the missing
 * value reaches the graph as the empty string, and {@code nan}/{@code NaN} count as missing, as pandas reads them.
 */
final class CellRows {
    final int rows;
    final int numericWidth;
    final int stringWidth;
    final double[] numbers;
    final String[] strings;

    private CellRows(int rows, int numericWidth, int stringWidth) {
        this.rows = rows;
        this.numericWidth = numericWidth;
        this.stringWidth = stringWidth;
        this.numbers = new double[Math.multiplyExact(rows, numericWidth)];
        this.strings = new String[Math.multiplyExact(rows, stringWidth)];
    }

    /** The schema column names: the model's feature names, or {@code x0, x1, …} for positional models. */
    static List<String> schemaNames(ModelInfo info) {
        if (!info.featureNames().isEmpty()) {
            return info.featureNames();
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < info.featureCount(); i++) {
            names.add("x" + i);
        }
        return names;
    }

    /** For each schema column, the index of the given column that holds it. */
    static int[] mapColumns(ModelInfo info, List<String> columns) {
        int n = info.featureCount();
        int[] source = new int[n];
        if (info.featureNames().isEmpty()) {
            if (columns.size() != n) {
                throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "the input has " + columns.size()
                        + " columns but the model expects " + n).at(info.source())
                        .hint("the model was fitted on an array: pass its " + n + " columns in training order").build();
            }
            for (int i = 0; i < n; i++) {
                source[i] = i;
            }
            return source;
        }
        Map<String, Integer> byName = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            if (byName.putIfAbsent(columns.get(i), i) != null) {
                throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "column '" + columns.get(i) + "' appears twice")
                        .at(info.source()).hint("give each column once").build();
            }
        }
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Integer at = byName.get(info.featureNames().get(i));
            if (at == null) {
                missing.add(info.featureNames().get(i));
            } else {
                source[i] = at;
            }
        }
        if (!missing.isEmpty()) {
            throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "the input lacks the model's column"
                            + (missing.size() == 1 ? " " : "s ") + missing)
                    .at(info.source()).hint("the model reads the columns " + info.featureNames()
                            + " (by name, in any order; other columns are ignored)").build();
        }
        return source;
    }

    static CellRows of(ModelInfo info, int[] source, List<Object[]> cells, long firstRow) {
        int n = info.featureCount();
        int stringWidth = 0;
        for (int c = 0; c < n; c++) {
            stringWidth += info.isStringColumn(c) ? 1 : 0;
        }
        CellRows out = new CellRows(cells.size(), n - stringWidth, stringWidth);
        List<String> names = schemaNames(info);
        boolean[] missingOk = new boolean[n];
        String partial = info.metadata().get(org.ml2tensor.contract.ModelContract.MISSING_COLUMNS);
        List<String> okNames = partial == null ? List.of()
                : org.ml2tensor.contract.JsonStrings.parseArray(partial);
        for (int c = 0; c < n; c++) {
            missingOk[c] = info.acceptsMissing() || okNames.contains(names.get(c));
        }
        for (int r = 0; r < cells.size(); r++) {
            Object[] row = cells.get(r);
            int num = 0;
            int str = 0;
            for (int c = 0; c < n; c++) {
                if (source[c] >= row.length) {
                    throw invalid(info, firstRow + r, names.get(c), "the row has only " + row.length + " cells");
                }
                Object v = row[source[c]];
                if (info.isStringColumn(c)) {
                    out.strings[r * stringWidth + str++] = text(info, v, firstRow + r, names.get(c));
                } else {
                    double d = number(info, v, firstRow + r, names.get(c));
                    if (Double.isNaN(d) && !missingOk[c]) {
                        throw invalid(info, firstRow + r, names.get(c), "missing value, but the model cannot take"
                                + " missing values");
                    }
                    out.numbers[r * out.numericWidth + num++] = d;
                }
            }
        }
        return out;
    }

    static boolean isMissingText(String s) {
        return s.isEmpty() || s.equals("nan") || s.equals("NaN");
    }

    private static String text(ModelInfo info, Object v, long row, String column) {
        if (v == null) {
            return "";
        }
        if (v instanceof String s) {
            return isMissingText(s) ? "" : s;
        }
        if (v instanceof Double d && d.isNaN() || v instanceof Float f && f.isNaN()) {
            return "";
        }
        throw invalid(info, row, column, "expected a string for this string column, got " + v.getClass().getSimpleName()
                + " " + v);
    }

    private static double number(ModelInfo info, Object v, long row, String column) {
        if (v == null) {
            return Double.NaN;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            String t = s.strip();
            if (isMissingText(t) || t.toLowerCase(Locale.ROOT).equals("nan")) {
                return Double.NaN;
            }
            try {
                return Double.parseDouble(t);
            } catch (NumberFormatException e) {
                throw invalid(info, row, column, "'" + (t.length() > 40 ? t.substring(0, 40) + "…" : t)
                        + "' is not a number");
            }
        }
        throw invalid(info, row, column, "expected a number, got " + v.getClass().getSimpleName());
    }

    private static Ml2TensorException invalid(ModelInfo info, long row, String column, String message) {
        return Ml2TensorException.of(ErrorCode.INVALID_INPUT, "row " + row + ", column '" + column + "': " + message)
                .at(info.source()).hint("numeric columns take numbers (empty, nan = missing); string columns take text")
                .build();
    }
}
