package org.ml2tensor.compiler.lowering;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.ml2tensor.ir.Categories;
import org.ml2tensor.ir.ColumnType;
import org.ml2tensor.ir.Transformer;
import org.ml2tensor.ir.TransformerVisitor;
import org.ml2tensor.compiler.onnx.GraphBuilder;
import org.ml2tensor.compiler.onnx.Value;

/**
 * Lowers one transformer applied to a {@link Frame}, in the library's operation order: a scaler that divides
 * is lowered as a Div (not a multiplication by the reciprocal), MinMaxScaler as {@code x * scale + min}; no
 * constant is folded across an operation. String columns are only read here by the
 * category-lookup steps (Equal over string tensors); every output is numeric unless the step passes strings
 * on (string imputation, passthrough).
 */
final class TransformerLowering implements TransformerVisitor<Frame> {
    private final LoweringContext ctx;
    private final GraphBuilder g;
    private final Frame x;

    private TransformerLowering(LoweringContext ctx, Frame x) {
        this.ctx = ctx;
        this.g = ctx.graph();
        this.x = x;
    }

    static Frame apply(LoweringContext ctx, Transformer t, Frame x) {
        if (t.inputWidth() != x.width()) {
            throw GraphChecks.defect(t.getClass().getSimpleName() + " reads " + t.inputWidth()
                    + " columns but receives " + x.width());
        }
        int line = ctx.traceSize();
        int before = ctx.graph().nodeCount();
        Frame out = t.accept(new TransformerLowering(ctx, x));
        ctx.traceOps(line, ctx.graph().nodeCount() - before);
        return out;
    }

    private Frame numeric(Value v) {
        return Frame.of(v, ColumnType.FLOAT);
    }

    @Override
    public Frame visitAffine(Transformer.Affine a) {
        Value in = x.numeric(g);
        int n = a.inputWidth();
        if (a.form() == Transformer.Affine.Form.MULTIPLY_ADD) {
            ctx.trace("Affine(" + n + " columns): x * scale + offset");
            Value scaled = g.mul(in, g.reals("scale", ctx.real(), a.scale(), n));
            return numeric(allZero(a.offset()) ? scaled : g.add(scaled, g.reals("min", ctx.real(), a.offset(), n)));
        }
        ctx.trace("Affine(" + n + " columns): (x - offset) / scale");
        Value shifted = allZero(a.offset()) ? in : g.sub(in, g.reals("offset", ctx.real(), a.offset(), n));
        return numeric(allOne(a.scale()) ? shifted : g.div(shifted, g.reals("scale", ctx.real(), a.scale(), n)));
    }

    @Override
    public Frame visitProjection(Transformer.Projection p) {
        ctx.trace("Projection(" + p.inputWidth() + " → " + p.outputWidth() + "): "
                + (p.centring() == Transformer.Projection.Centring.BEFORE ? "(x - mean) · Cᵀ" : "x · Cᵀ - mean · Cᵀ")
                + " as MatMul" + (p.divisor() == null ? "" : ", whitened"));
        return numeric(project(ctx, p, x.numeric(g)));
    }

    @Override
    public Frame visitImpute(Transformer.Impute imp) {
        ctx.trace("Impute(" + imp.inputWidth() + " numeric columns): Where(IsNaN(x), fill, x)");
        Value in = x.numeric(g);
        Value fill = g.reals("fill", ctx.real(), imp.fill(), imp.inputWidth());
        return numeric(g.where(g.isNaN(in), fill, in));
    }

    @Override
    public Frame visitImputeStrings(Transformer.ImputeStrings imp) {
        ctx.trace("ImputeStrings(" + imp.inputWidth() + " string columns): folded into the category lookup that"
                + " reads them");
        Frame out = x;
        for (int i = 0; i < imp.inputWidth(); i++) {
            out = out.withMissingAs(i, imp.fill().get(i));
        }
        return out;
    }

    @Override
    public Frame visitMissingIndicator(Transformer.MissingIndicator m) {
        ctx.trace("MissingIndicator(" + m.outputWidth() + " of " + m.inputWidth() + " columns): IsNaN, or"
                + " LabelEncoder {\"\" → 1} for strings");
        List<Value> parts = new ArrayList<>();
        int i = 0;
        int[] f = m.features();
        while (i < f.length) {
            if (!x.type(f[i]).isNumeric()) {
                Frame.Ref r = x.ref(f[i]);
                Value flag = g.labelEncoder(x.stringColumn(g, f[i]), List.of(""),
                        new long[]{r.missingAs() == null ? 1 : 0}, 0);
                parts.add(g.cast(flag, ctx.real()));
                i++;
                continue;
            }
            int j = i;
            while (j < f.length && x.type(f[j]).isNumeric()) {
                j++;
            }
            parts.add(g.cast(g.isNaN(x.select(Arrays.copyOfRange(f, i, j)).numeric(g)), ctx.real()));
            i = j;
        }
        return numeric(parts.size() == 1 ? parts.get(0) : g.concat(1, parts));
    }

    @Override
    public Frame visitOneHotEncode(Transformer.OneHotEncode e) {
        ctx.trace("OneHotEncode(" + e.inputWidth() + " → " + e.outputWidth() + "): Equal against the categories"
                + " (strings: LabelEncoder to category indices first), Cast, MatMul onto the output columns");
        List<Value> blocks = new ArrayList<>();
        for (int i = 0; i < e.features().size(); i++) {
            blocks.add(oneHot(e.features().get(i), i));
        }
        return numeric(blocks.size() == 1 ? blocks.get(0) : g.concat(1, blocks));
    }

    /** {@code [N, width]} 0/1 block of one feature. */
    private Value oneHot(Transformer.OneHotEncode.Feature f, int column) {
        Value matches = g.cast(matches(f.categories(), column), ctx.real());
        int c = f.categories().size();
        int w = f.width();
        boolean identity = c == w;
        for (int k = 0; k < c && identity; k++) {
            identity = f.columnOf()[k] == k;
        }
        Value out = matches;
        if (!identity) {
            double[] m = new double[c * w];
            for (int k = 0; k < c; k++) {
                if (f.columnOf()[k] >= 0) {
                    m[k * w + f.columnOf()[k]] = 1;
                }
            }
            out = g.matMul(matches, g.reals("onehot", ctx.real(), m, c, w));
        }
        if (f.unknownColumn() >= 0) {
            Value unknown = g.sub(g.scalar(ctx.real(), 1.0), g.reduceSum(matches, 1, true));
            double[] e = new double[w];
            e[f.unknownColumn()] = 1;
            out = g.add(out, g.mul(unknown, g.reals("unknown", ctx.real(), e, 1, w)));
        }
        return out;
    }

    /** {@code [N, categories]} bool: which category the column's value is (none for unknown values). */
    private Value matches(Categories cats, int column) {
        if (cats.type() == ColumnType.STRING) {
            return g.equal(categoryIndex(cats, column), g.longs("categories", range(cats.size()), 1, cats.size()));
        }
        Value v = x.column(column).numeric(g);
        List<Value> parts = new ArrayList<>();
        if (cats.known() > 0) {
            parts.add(g.equal(v, g.reals("categories", ctx.real(), cats.numbers(), 1, cats.known())));
        }
        if (cats.missing()) {
            parts.add(g.isNaN(v));
        }
        return parts.size() == 1 ? parts.get(0) : g.concat(1, parts);
    }

    /**
     * {@code [N, 1]} int64 index of a string column's value among {@code cats} (-1 when unknown), by an
     * {@code ai.onnx.ml} LabelEncoder; the missing value (the empty string) maps to the missing category, or
     * to the imputed value's category when an imputer came first.
     */
    private Value categoryIndex(Categories cats, int column) {
        Frame.Ref r = x.ref(column);
        List<String> keys = new ArrayList<>(cats.strings());
        List<Long> values = new ArrayList<>();
        for (int k = 0; k < cats.known(); k++) {
            values.add((long) k);
        }
        if (r.missingAs() != null) {
            keys.add("");
            values.add((long) cats.strings().indexOf(r.missingAs()));
        } else if (cats.missing()) {
            keys.add("");
            values.add((long) cats.known());
        }
        if (keys.isEmpty()) {
            keys.add("");
            values.add(-1L);
        }
        return g.labelEncoder(x.stringColumn(g, column), keys, values.stream().mapToLong(Long::longValue).toArray(), -1);
    }

    private static long[] range(int n) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return v;
    }

    @Override
    public Frame visitOrdinalEncode(Transformer.OrdinalEncode e) {
        ctx.trace("OrdinalEncode(" + e.inputWidth() + " columns): category match, ArgMax, Gather of the codes,"
                + " Where for unknown values");
        List<Value> cols = new ArrayList<>();
        for (int i = 0; i < e.features().size(); i++) {
            Transformer.OrdinalEncode.Feature f = e.features().get(i);
            Value matches = g.cast(matches(f.categories(), i), ctx.real());
            Value index = g.argMax(matches, 1);
            Value code = g.gather(g.reals("codes", ctx.real(), f.codes(), f.codes().length), index, 0);
            Value known = g.greater(g.reduceSum(matches, 1, false), g.scalar(ctx.real(), 0.0));
            cols.add(g.unsqueeze(g.where(known, code, g.scalar(ctx.real(), f.unknownValue())), 1));
        }
        return numeric(cols.size() == 1 ? cols.get(0) : g.concat(1, cols));
    }

    @Override
    public Frame visitSelectColumns(Transformer.SelectColumns s) {
        ctx.trace("SelectColumns(" + s.outputWidth() + " of " + s.inputWidth() + "): a column selection, no ops of its own");
        return x.select(s.kept());
    }

    @Override
    public Frame visitNormalize(Transformer.Normalize n) {
        ctx.trace("Normalize(" + n.width() + " columns, " + n.norm() + "): x / row norm (zero norm → 1)");
        Value v = x.numeric(g);
        Value norm = switch (n.norm()) {
            case L1 -> g.reduceSum(g.abs(v), 1, true);
            case L2 -> g.sqrt(g.reduceSum(g.mul(v, v), 1, true));
            case MAX -> {
                Value a = g.abs(v);
                yield g.gatherElements(a, g.unsqueeze(g.argMax(a, 1), 1), 1);
            }
        };
        Value one = g.scalar(ctx.real(), 1.0);
        norm = g.where(g.equal(norm, g.scalar(ctx.real(), 0.0)), one, norm);
        return numeric(g.div(v, norm));
    }

    @Override
    public Frame visitBinarize(Transformer.Binarize b) {
        ctx.trace("Binarize(" + b.width() + " columns): Cast(x > " + b.threshold() + ")");
        Value v = x.numeric(g);
        double t = b.threshold();
        if (ctx.real() == org.ml2tensor.compiler.onnx.DType.FLOAT && (double) (float) t > t) {
            t = Math.nextDown((float) t); // largest float32 below t: float32 x > it ⇔ x > t in float64
        }
        return numeric(g.cast(g.greater(v, g.scalar(ctx.real(), t)), ctx.real()));
    }

    @Override
    public Frame visitElementwise(Transformer.Elementwise e) {
        ctx.trace("Elementwise(" + e.width() + " columns): numpy " + e.function().name().toLowerCase());
        Value v = x.numeric(g);
        Value one = g.scalar(v.dtype(), 1.0);
        Value y = switch (e.function()) {
            case IDENTITY -> v;
            case LOG1P -> g.log(g.add(v, one));
            case EXPM1 -> g.sub(g.exp(v), one);
            case LOG -> g.log(v);
            case EXP -> g.exp(v);
            case SQRT -> g.sqrt(v);
            case ABS -> g.abs(v);
            case SQUARE -> g.mul(v, v);
            case FLOOR -> g.floor(v);
        };
        return numeric(y);
    }

    @Override
    public Frame visitChain(Transformer.Chain c) {
        ctx.trace("Chain(" + c.steps().size() + " steps)");
        ctx.enter();
        Frame v = x;
        for (Transformer t : c.steps()) {
            v = apply(ctx, t, v);
        }
        ctx.leave();
        return v;
    }

    @Override
    public Frame visitUnion(Transformer.Union u) {
        ctx.trace("Union(" + u.branches().size() + " branches, " + u.inputWidth() + " → " + u.outputWidth()
                + "): column selection by Gather, outputs joined by Concat");
        ctx.enter();
        List<Frame> outs = new ArrayList<>();
        for (Transformer.Union.Branch b : u.branches()) {
            if (b.outputWidth() == 0) {
                continue;
            }
            Frame in = x.select(b.columns());
            Frame out;
            if (b.transformer() == null) {
                ctx.trace("branch " + b.name() + ": passthrough columns " + Arrays.toString(b.columns()));
                out = in;
            } else {
                ctx.trace("branch " + b.name() + ": columns " + Arrays.toString(b.columns()));
                ctx.enter();
                out = apply(ctx, b.transformer(), in);
                ctx.leave();
            }
            if (b.weight() != 1.0) {
                out = numeric(g.mul(out.numeric(g), g.scalar(ctx.real(), b.weight())));
            }
            outs.add(out);
        }
        ctx.leave();
        return Frame.concat(outs);
    }

    @Override
    public Frame visitDiscretize(org.ml2tensor.ir.Discretize d) {
        ctx.trace("Discretize(" + d.inputWidth() + " → " + d.outputWidth() + (d.oneHot() ? ", one-hot" : ", ordinal")
                + "): ReduceSum(x >= interior edges)" + (d.oneHot() ? ", Equal against the bin numbers" : ""));
        return numeric(PreprocessingLowering.discretize(ctx, d, x.numeric(g)));
    }

    @Override
    public Frame visitPolynomial(org.ml2tensor.ir.Polynomial p) {
        ctx.trace("Polynomial(" + p.inputWidth() + " → " + p.outputWidth() + "): Gather and Mul degree by degree");
        return numeric(PreprocessingLowering.polynomial(ctx, p, x.numeric(g)));
    }

    @Override
    public Frame visitPowerTransform(org.ml2tensor.ir.PowerTransform p) {
        ctx.trace("PowerTransform(" + p.inputWidth() + " columns, " + p.method() + (p.mean() == null ? "" : ", standardized")
                + "): Pow/Log branches selected by Where");
        return numeric(PreprocessingLowering.power(ctx, p, x.numeric(g)));
    }

    @Override
    public Frame visitQuantileTransform(org.ml2tensor.ir.QuantileTransform q) {
        ctx.trace("QuantileTransform(" + q.inputWidth() + " columns, " + q.references().length + " quantiles, " + (q.normal() ? "normal" : "uniform") + "):"
                + " numpy interp forwards and backwards by knot count, Gather and Where"
                + (q.normal() ? ", then norm.ppf (AS241 rational pieces)" : ""));
        return numeric(PreprocessingLowering.quantile(ctx, q, x.numeric(g)));
    }

    @Override
    public Frame visitSpline(org.ml2tensor.ir.Spline sp) {
        ctx.trace("Spline(" + sp.inputWidth() + " → " + sp.outputWidth() + ", degree " + sp.degree() + ", "
                + sp.extrapolation() + "): knot interval by count, Gather of the polynomial pieces, Horner, MatMul");
        return numeric(PreprocessingLowering.spline(ctx, sp, x.numeric(g)));
    }

    @Override
    public Frame visitKnnImpute(org.ml2tensor.ir.KnnImpute knn) {
        ctx.trace("KnnImpute(" + knn.inputWidth() + " columns, " + knn.fitX().length + " training rows, k=" + knn.k()
                + (knn.distance() ? ", distance weights" : "") + "): nan_euclidean by MatMul, k ArgMax rounds per column");
        return numeric(PreprocessingLowering.knnImpute(ctx, knn, x.numeric(g)));
    }

    private static Value project(LoweringContext ctx, Transformer.Projection p, Value x) {
        GraphBuilder g = ctx.graph();
        int in = p.inputWidth();
        int out = p.outputWidth();
        double[] ct = new double[in * out];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                ct[i * out + o] = p.components()[o][i];
            }
        }
        Value components = g.reals("components", ctx.real(), ct, in, out);
        Value y;
        if (allZero(p.mean())) {
            y = g.matMul(x, components);
        } else if (p.centring() == Transformer.Projection.Centring.BEFORE) {
            y = g.matMul(g.sub(x, g.reals("mean", ctx.real(), p.mean(), in)), components);
        } else {
            y = g.sub(g.matMul(x, components), g.reals("projected_mean", ctx.real(), p.projectedMean(), out));
        }
        return p.divisor() == null ? y : g.div(y, g.reals("whiten_scale", ctx.real(), p.divisor(), out));
    }

    private static boolean allZero(double[] v) {
        for (double d : v) {
            if (d != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean allOne(double[] v) {
        for (double d : v) {
            if (d != 1) {
                return false;
            }
        }
        return true;
    }
}
