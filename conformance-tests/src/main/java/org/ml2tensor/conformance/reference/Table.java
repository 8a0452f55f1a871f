package org.ml2tensor.conformance.reference;

import java.util.ArrayList;
import java.util.List;

import org.ejml.data.DMatrixRMaj;

/**
 * Column-major batch of typed columns for the reference evaluator: each column is a {@code double[]}
 * (numbers, NaN = missing) or a {@code String[]} (text, the empty string = missing).
 */
final class Table {
    final int rows;
    private final Object[] columns;

    Table(int rows, Object[] columns) {
        this.rows = rows;
        this.columns = columns.clone();
    }

    static Table of(DMatrixRMaj m) {
        Object[] cols = new Object[m.numCols];
        for (int c = 0; c < m.numCols; c++) {
            double[] v = new double[m.numRows];
            for (int r = 0; r < m.numRows; r++) {
                v[r] = m.unsafe_get(r, c);
            }
            cols[c] = v;
        }
        return new Table(m.numRows, cols);
    }

    static Table concat(int rows, List<Table> parts) {
        List<Object> cols = new ArrayList<>();
        for (Table t : parts) {
            for (Object c : t.columns) {
                cols.add(c);
            }
        }
        return new Table(rows, cols.toArray());
    }

    int width() {
        return columns.length;
    }

    boolean isNumeric(int c) {
        return columns[c] instanceof double[];
    }

    double[] numbers(int c) {
        if (!(columns[c] instanceof double[] d)) {
            throw new IllegalStateException("column " + c + " holds strings where numbers are read");
        }
        return d;
    }

    String[] strings(int c) {
        if (!(columns[c] instanceof String[] s)) {
            throw new IllegalStateException("column " + c + " holds numbers where strings are read");
        }
        return s;
    }

    Table select(int[] picks) {
        Object[] cols = new Object[picks.length];
        for (int i = 0; i < picks.length; i++) {
            cols[i] = columns[picks[i]];
        }
        return new Table(rows, cols);
    }

    /** The numeric columns as a dense row-major matrix. */
    DMatrixRMaj matrix() {
        DMatrixRMaj m = new DMatrixRMaj(rows, columns.length);
        for (int c = 0; c < columns.length; c++) {
            double[] v = numbers(c);
            for (int r = 0; r < rows; r++) {
                m.unsafe_set(r, c, v[r]);
            }
        }
        return m;
    }
}
