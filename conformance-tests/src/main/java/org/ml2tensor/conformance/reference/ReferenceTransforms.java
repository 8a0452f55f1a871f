package org.ml2tensor.conformance.reference;

import java.util.ArrayList;
import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

import org.ml2tensor.ir.Categories;
import org.ml2tensor.ir.ColumnType;
import org.ml2tensor.ir.Transformer;
import org.ml2tensor.ir.TransformerVisitor;

/** Reference evaluation of every {@link Transformer} record, in float64, following the IR's documented semantics. */
final class ReferenceTransforms implements TransformerVisitor<Table> {
    private final Table x;

    private ReferenceTransforms(Table x) {
        this.x = x;
    }

    static Table apply(Transformer t, Table x) {
        if (t.inputWidth() != x.width()) {
            throw new IllegalArgumentException(t.getClass().getSimpleName() + " reads " + t.inputWidth()
                    + " columns, got " + x.width());
        }
        return t.accept(new ReferenceTransforms(x));
    }

    @Override
    public Table visitAffine(Transformer.Affine a) {
        DMatrixRMaj in = x.matrix();
        DMatrixRMaj out = in.copy();
        for (int r = 0; r < in.numRows; r++) {
            for (int c = 0; c < in.numCols; c++) {
                out.unsafe_set(r, c, a.apply(c, in.unsafe_get(r, c)));
            }
        }
        return Table.of(out);
    }

    @Override
    public Table visitProjection(Transformer.Projection p) {
        // The library's operation order (Projection.apply), not an EJML product: a summation order or
        // folding that differs flips thresholds that sit on transformed values.
        DMatrixRMaj in = x.matrix();
        DMatrixRMaj out = new DMatrixRMaj(in.numRows, p.outputWidth());
        double[] row = new double[in.numCols];
        for (int r = 0; r < in.numRows; r++) {
            for (int c = 0; c < in.numCols; c++) {
                row[c] = in.unsafe_get(r, c);
            }
            double[] y = p.apply(row);
            for (int k = 0; k < y.length; k++) {
                out.unsafe_set(r, k, y[k]);
            }
        }
        return Table.of(out);
    }

    @Override
    public Table visitImpute(Transformer.Impute imp) {
        Object[] cols = new Object[x.width()];
        for (int c = 0; c < x.width(); c++) {
            double[] v = x.numbers(c).clone();
            for (int r = 0; r < v.length; r++) {
                if (Double.isNaN(v[r])) {
                    v[r] = imp.fill()[c];
                }
            }
            cols[c] = v;
        }
        return new Table(x.rows, cols);
    }

    @Override
    public Table visitImputeStrings(Transformer.ImputeStrings imp) {
        Object[] cols = new Object[x.width()];
        for (int c = 0; c < x.width(); c++) {
            String[] v = x.strings(c).clone();
            for (int r = 0; r < v.length; r++) {
                if (v[r].isEmpty()) {
                    v[r] = imp.fill().get(c);
                }
            }
            cols[c] = v;
        }
        return new Table(x.rows, cols);
    }

    @Override
    public Table visitMissingIndicator(Transformer.MissingIndicator m) {
        Object[] cols = new Object[m.features().length];
        for (int j = 0; j < cols.length; j++) {
            int c = m.features()[j];
            double[] v = new double[x.rows];
            for (int r = 0; r < x.rows; r++) {
                v[r] = (x.isNumeric(c) ? Double.isNaN(x.numbers(c)[r]) : x.strings(c)[r].isEmpty()) ? 1 : 0;
            }
            cols[j] = v;
        }
        return new Table(x.rows, cols);
    }

    @Override
    public Table visitOneHotEncode(Transformer.OneHotEncode e) {
        List<Object> cols = new ArrayList<>();
        for (int i = 0; i < e.features().size(); i++) {
            Transformer.OneHotEncode.Feature f = e.features().get(i);
            double[][] block = new double[f.width()][x.rows];
            for (int r = 0; r < x.rows; r++) {
                int k = categoryOf(f.categories(), x, i, r);
                int col = k >= 0 ? f.columnOf()[k] : f.unknownColumn();
                if (col >= 0) {
                    block[col][r] = 1;
                }
            }
            for (double[] b : block) {
                cols.add(b);
            }
        }
        return new Table(x.rows, cols.toArray());
    }

    /** Index of the category of row {@code r} of column {@code c}, or -1 for a value outside the categories. */
    static int categoryOf(Categories cats, Table x, int c, int r) {
        if (cats.type() == ColumnType.STRING) {
            String s = x.strings(c)[r];
            if (s.isEmpty()) {
                return cats.missing() ? cats.known() : -1;
            }
            return cats.strings().indexOf(s);
        }
        double v = x.numbers(c)[r];
        if (Double.isNaN(v)) {
            return cats.missing() ? cats.known() : -1;
        }
        for (int k = 0; k < cats.known(); k++) {
            if (cats.numbers()[k] == v) {
                return k;
            }
        }
        return -1;
    }

    @Override
    public Table visitOrdinalEncode(Transformer.OrdinalEncode e) {
        Object[] cols = new Object[e.features().size()];
        for (int i = 0; i < cols.length; i++) {
            Transformer.OrdinalEncode.Feature f = e.features().get(i);
            double[] v = new double[x.rows];
            for (int r = 0; r < x.rows; r++) {
                int k = categoryOf(f.categories(), x, i, r);
                v[r] = k >= 0 ? f.codes()[k] : f.unknownValue();
            }
            cols[i] = v;
        }
        return new Table(x.rows, cols);
    }

    @Override
    public Table visitSelectColumns(Transformer.SelectColumns s) {
        return x.select(s.kept());
    }

    @Override
    public Table visitNormalize(Transformer.Normalize n) {
        DMatrixRMaj m = x.matrix();
        for (int r = 0; r < m.numRows; r++) {
            double norm = 0;
            for (int c = 0; c < m.numCols; c++) {
                double a = Math.abs(m.unsafe_get(r, c));
                norm = switch (n.norm()) {
                    case L1 -> norm + a;
                    case L2 -> norm + a * a;
                    case MAX -> Math.max(norm, a);
                };
            }
            if (n.norm() == Transformer.Normalize.Norm.L2) {
                norm = Math.sqrt(norm);
            }
            if (norm == 0) {
                norm = 1;
            }
            for (int c = 0; c < m.numCols; c++) {
                m.unsafe_set(r, c, m.unsafe_get(r, c) / norm);
            }
        }
        return Table.of(m);
    }

    @Override
    public Table visitBinarize(Transformer.Binarize b) {
        DMatrixRMaj m = x.matrix();
        for (int i = 0; i < m.getNumElements(); i++) {
            m.data[i] = m.data[i] > b.threshold() ? 1 : 0;
        }
        return Table.of(m);
    }

    @Override
    public Table visitElementwise(Transformer.Elementwise e) {
        Object[] cols = new Object[x.width()];
        for (int c = 0; c < x.width(); c++) {
            double[] in = x.numbers(c);
            double[] v = new double[in.length];
            for (int r = 0; r < v.length; r++) {
                double a = in[r];
                v[r] = switch (e.function()) {
                    case IDENTITY -> a;
                    case LOG1P -> Math.log1p(a);
                    case EXPM1 -> Math.expm1(a);
                    case LOG -> Math.log(a);
                    case EXP -> Math.exp(a);
                    case SQRT -> Math.sqrt(a);
                    case ABS -> Math.abs(a);
                    case SQUARE -> a * a;
                    case FLOOR -> Math.floor(a);
                };
            }
            cols[c] = v;
        }
        return new Table(x.rows, cols);
    }

    @Override
    public Table visitChain(Transformer.Chain c) {
        Table v = x;
        for (Transformer t : c.steps()) {
            v = apply(t, v);
        }
        return v;
    }

    @Override
    public Table visitUnion(Transformer.Union u) {
        List<Table> parts = new ArrayList<>();
        for (Transformer.Union.Branch b : u.branches()) {
            Table in = x.select(b.columns());
            Table out = b.transformer() == null ? in : apply(b.transformer(), in);
            if (b.weight() != 1.0) {
                DMatrixRMaj m = out.matrix();
                CommonOps_DDRM.scale(b.weight(), m);
                out = Table.of(m);
            }
            parts.add(out);
        }
        return Table.concat(x.rows, parts);
    }

    @Override
    public Table visitDiscretize(org.ml2tensor.ir.Discretize d) {
        return rowWise(d.outputWidth(), d::apply);
    }

    @Override
    public Table visitPolynomial(org.ml2tensor.ir.Polynomial p) {
        return rowWise(p.outputWidth(), p::apply);
    }

    @Override
    public Table visitPowerTransform(org.ml2tensor.ir.PowerTransform p) {
        return cellWise(p::apply);
    }

    @Override
    public Table visitQuantileTransform(org.ml2tensor.ir.QuantileTransform q) {
        return cellWise(q::apply);
    }

    @Override
    public Table visitSpline(org.ml2tensor.ir.Spline sp) {
        return rowWise(sp.outputWidth(), sp::apply);
    }

    @Override
    public Table visitKnnImpute(org.ml2tensor.ir.KnnImpute knn) {
        return rowWise(knn.outputWidth(), knn::apply);
    }

    /** Applies a per-row function of the numeric input (the record's own documented semantics). */
    private Table rowWise(int width, java.util.function.Function<double[], double[]> f) {
        DMatrixRMaj in = x.matrix();
        DMatrixRMaj out = new DMatrixRMaj(in.numRows, width);
        double[] row = new double[in.numCols];
        for (int r = 0; r < in.numRows; r++) {
            for (int c = 0; c < in.numCols; c++) {
                row[c] = in.unsafe_get(r, c);
            }
            double[] y = f.apply(row);
            for (int k = 0; k < width; k++) {
                out.unsafe_set(r, k, y[k]);
            }
        }
        return Table.of(out);
    }

    /** A per-cell function {@code (column, value) -> value}. */
    private interface Cell {
        double apply(int column, double value);
    }

    private Table cellWise(Cell f) {
        DMatrixRMaj in = x.matrix();
        DMatrixRMaj out = new DMatrixRMaj(in.numRows, in.numCols);
        for (int r = 0; r < in.numRows; r++) {
            for (int c = 0; c < in.numCols; c++) {
                out.unsafe_set(r, c, f.apply(c, in.unsafe_get(r, c)));
            }
        }
        return Table.of(out);
    }
}
