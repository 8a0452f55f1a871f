package org.ml2tensor.compiler.lowering;

import java.util.ArrayList;
import java.util.List;

import org.ml2tensor.ir.ColumnType;
import org.ml2tensor.compiler.onnx.GraphBuilder;
import org.ml2tensor.compiler.onnx.Value;

/**
 * The typed columns flowing between lowered steps: each column is one column of some graph tensor (numeric
 * or string). Selecting and concatenating columns emits nothing; {@link #numeric} and {@link #strings}
 * materialise a dense tensor with as few Gather/Concat nodes as the column layout allows.
 */
final class Frame {
    /**
     * Column {@code index} of {@code tensor [N, k]}. For a string column, {@code missingAs} is the value an
     * imputer gave the missing value (the empty string), applied by the category lookup that reads the column
     * (null: none).
     */
    record Ref(Value tensor, int index, ColumnType type, String missingAs) {
        Ref(Value tensor, int index, ColumnType type) {
            this(tensor, index, type, null);
        }
    }

    private final List<Ref> columns;

    private Frame(List<Ref> columns) {
        this.columns = List.copyOf(columns);
    }

    /** Every column of {@code tensor [N, k]}, all of type {@code type}. */
    static Frame of(Value tensor, ColumnType type) {
        long k = tensor.shape().size(1);
        if (k < 0) {
            throw GraphChecks.defect("a frame needs a known column count: " + tensor);
        }
        List<Ref> refs = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            refs.add(new Ref(tensor, i, type));
        }
        return new Frame(refs);
    }

    static Frame of(List<Ref> refs) {
        return new Frame(refs);
    }

    static Frame concat(List<Frame> frames) {
        List<Ref> refs = new ArrayList<>();
        for (Frame f : frames) {
            refs.addAll(f.columns);
        }
        return new Frame(refs);
    }

    int width() {
        return columns.size();
    }

    ColumnType type(int column) {
        return columns.get(column).type();
    }

    boolean allNumeric() {
        return columns.stream().allMatch(r -> r.type().isNumeric());
    }

    boolean allStrings() {
        return columns.stream().noneMatch(r -> r.type().isNumeric());
    }

    Frame select(int[] picks) {
        List<Ref> refs = new ArrayList<>();
        for (int p : picks) {
            refs.add(columns.get(p));
        }
        return new Frame(refs);
    }

    Frame column(int i) {
        return new Frame(List.of(columns.get(i)));
    }

    /** The columns as one numeric tensor {@code [N, width]} (the graph's real type). */
    Value numeric(GraphBuilder g) {
        return dense(g);
    }

    /** Column {@code i}'s reference. */
    Ref ref(int i) {
        return columns.get(i);
    }

    /** The same columns with string column {@code i}'s missing value imputed as {@code fill} (lazily). */
    Frame withMissingAs(int i, String fill) {
        List<Ref> refs = new ArrayList<>(columns);
        Ref r = refs.get(i);
        refs.set(i, new Ref(r.tensor(), r.index(), r.type(), r.missingAs() != null ? r.missingAs() : fill));
        return new Frame(refs);
    }

    /** Column {@code i} of a string frame as a {@code [N, 1]} string tensor (imputation still pending). */
    Value stringColumn(GraphBuilder g, int i) {
        if (columns.get(i).type().isNumeric()) {
            throw GraphChecks.defect("a numeric column reaches a string lookup");
        }
        return run(g, columns.get(i).tensor(), columns.subList(i, i + 1));
    }

    private Value dense(GraphBuilder g) {
        if (!allNumeric()) {
            throw GraphChecks.defect("string columns can only be read by category lookups");
        }
        if (columns.isEmpty()) {
            throw GraphChecks.defect("an empty frame has no tensor");
        }
        List<Value> parts = new ArrayList<>();
        int i = 0;
        while (i < columns.size()) {
            Value t = columns.get(i).tensor();
            int j = i;
            while (j < columns.size() && columns.get(j).tensor() == t) {
                j++;
            }
            parts.add(run(g, t, columns.subList(i, j)));
            i = j;
        }
        return parts.size() == 1 ? parts.get(0) : g.concat(1, parts);
    }

    /** Columns {@code run} of {@code t}: {@code t} itself when they are all of it in order, else a Gather. */
    private static Value run(GraphBuilder g, Value t, List<Ref> run) {
        boolean whole = run.size() == t.shape().size(1);
        long[] idx = new long[run.size()];
        for (int k = 0; k < run.size(); k++) {
            idx[k] = run.get(k).index();
            whole &= idx[k] == k;
        }
        return whole ? t : g.gather(t, g.longs("columns", idx, idx.length), 1);
    }
}
