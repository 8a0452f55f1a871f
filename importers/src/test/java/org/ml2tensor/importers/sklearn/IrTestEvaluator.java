package org.ml2tensor.importers.sklearn;

import java.util.ArrayList;
import java.util.List;

import org.ml2tensor.ir.Categories;
import org.ml2tensor.ir.ColumnType;
import org.ml2tensor.ir.DecisionTree;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.EstimatorVisitor;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.LinearModel;
import org.ml2tensor.ir.Pipeline;
import org.ml2tensor.ir.Predictor;
import org.ml2tensor.ir.Transformer;
import org.ml2tensor.ir.TransformerVisitor;
import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.importers.IrEvaluator;

/**
 * A deliberately plain, row-at-a-time evaluator of the IR for importer tests (the official reference
 * evaluator lives in conformance-tests). Cells are {@link Double} (NaN = missing) or {@link String} (the
 * empty string = missing). With {@code float32Trees} tree inputs are rounded to float32 first, as
 * scikit-learn's DecisionTree/forest/GradientBoosting/IsolationForest predict does.
 */
final class IrTestEvaluator {
    /** Raw scores before the transform and outputs after it. */
    record Scores(double[] raw, double[] transformed) {
    }

    private final boolean float32Trees;

    IrTestEvaluator(boolean float32Trees) {
        this.float32Trees = float32Trees;
    }

    Scores scores(Estimator e, double[] x) {
        Object[] row = new Object[x.length];
        for (int i = 0; i < x.length; i++) {
            row[i] = x[i];
        }
        return scores(e, row);
    }

    Scores scores(Estimator e, Object[] row) {
        return e.accept(new EstimatorVisitor<Scores>() {
            @Override
            public Scores visitPipeline(Pipeline p) {
                Object[] v = row;
                for (Transformer t : p.steps()) {
                    v = transform(t, v);
                }
                return scores(p.last(), v);
            }

            @Override
            public Scores visitTransformer(Transformer t) {
                double[] y = numbers(transform(t, row));
                return new Scores(y, y);
            }

            @Override
            public Scores visitLinearModel(LinearModel l) {
                double[] x = numbers(row);
                double[] raw = new double[l.outputWidth()];
                for (int k = 0; k < raw.length; k++) {
                    double s = l.intercepts()[k];
                    for (int j = 0; j < x.length; j++) {
                        s += l.weights()[k][j] * x[j];
                    }
                    raw[k] = s;
                }
                return new Scores(raw, IrEvaluator.transform(l.transform(), raw));
            }

            @Override
            public Scores visitEnsemble(org.ml2tensor.ir.Ensemble ensemble) {
                throw new UnsupportedOperationException("meta-estimators: see the conformance reference evaluator");
            }

            @Override
            public Scores visitMultiTarget(org.ml2tensor.ir.MultiTarget m) {
                throw new UnsupportedOperationException("multi-output classifiers: see the conformance reference evaluator");
            }

            @Override
            public Scores visitLogProbabilities(org.ml2tensor.ir.LogProbabilities l) {
                throw new UnsupportedOperationException("predict_log_proba: see the conformance reference evaluator");
            }

            @Override
            public Scores visitTargetTransform(org.ml2tensor.ir.TargetTransform t) {
                Scores inner = scores(t.regressor(), row);
                Object[] v = new Object[inner.transformed().length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = inner.transformed()[i];
                }
                return new Scores(inner.raw(), numbers(transform(t.inverse(), v)));
            }

            @Override
            public Scores visitKernelSvm(org.ml2tensor.ir.KernelSvm m) {
                throw new UnsupportedOperationException("SVMs are checked by SvmKnnMlpConformanceTest");
            }

            @Override
            public Scores visitMlp(org.ml2tensor.ir.Mlp m) {
                throw new UnsupportedOperationException("MLPs are checked by SvmKnnMlpConformanceTest");
            }

            @Override
            public Scores visitNeighbors(org.ml2tensor.ir.Neighbors m) {
                throw new UnsupportedOperationException("k-NN is checked by SvmKnnMlpConformanceTest");
            }

            @Override
            public Scores visitQuadraticModel(org.ml2tensor.ir.QuadraticModel m) {
                double[] raw = QuadraticTestScores.raw(m, numbers(row));
                return new Scores(raw, IrEvaluator.transform(m.transform(), raw));
            }

            @Override
            public Scores visitTreeEnsemble(TreeEnsemble t) {
                double[] x = numbers(row);
                double[] raw = t.baseScores().clone();
                if (t.float32Inputs() && float32Trees) {
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (float) x[i];
                    }
                }
                for (DecisionTree tree : t.trees()) {
                    int leaf = IrEvaluator.leaf(tree, t.comparison(), x);
                    if (tree.target() >= 0) {
                        raw[tree.target()] += tree.value(leaf, 0);
                    } else {
                        for (int k = 0; k < raw.length; k++) {
                            raw[k] += tree.value(leaf, k);
                        }
                    }
                }
                return new Scores(raw, IrEvaluator.transform(t.transform(), raw));
            }
        });
    }

    static double[] numbers(Object[] row) {
        double[] out = new double[row.length];
        for (int i = 0; i < row.length; i++) {
            out[i] = (Double) row[i];
        }
        return out;
    }

    static Object[] transform(Transformer t, Object[] x) {
        return t.accept(new TransformerVisitor<Object[]>() {
            @Override
            public Object[] visitAffine(Transformer.Affine a) {
                Object[] y = new Object[x.length];
                for (int i = 0; i < y.length; i++) {
                    y[i] = a.apply(i, (Double) x[i]);
                }
                return y;
            }

            @Override
            public Object[] visitProjection(Transformer.Projection p) {
                double[] y = p.apply(numbers(x));
                Object[] out = new Object[y.length];
                for (int k = 0; k < y.length; k++) {
                    out[k] = y[k];
                }
                return out;
            }

            @Override
            public Object[] visitImpute(Transformer.Impute imp) {
                Object[] y = x.clone();
                for (int i = 0; i < y.length; i++) {
                    if (Double.isNaN((Double) y[i])) {
                        y[i] = imp.fill()[i];
                    }
                }
                return y;
            }

            @Override
            public Object[] visitImputeStrings(Transformer.ImputeStrings imp) {
                Object[] y = x.clone();
                for (int i = 0; i < y.length; i++) {
                    if (((String) y[i]).isEmpty()) {
                        y[i] = imp.fill().get(i);
                    }
                }
                return y;
            }

            @Override
            public Object[] visitMissingIndicator(Transformer.MissingIndicator m) {
                Object[] y = new Object[m.features().length];
                for (int j = 0; j < y.length; j++) {
                    Object v = x[m.features()[j]];
                    boolean missing = v instanceof String s ? s.isEmpty() : Double.isNaN((Double) v);
                    y[j] = missing ? 1.0 : 0.0;
                }
                return y;
            }

            @Override
            public Object[] visitOneHotEncode(Transformer.OneHotEncode e) {
                List<Object> y = new ArrayList<>();
                for (int i = 0; i < e.features().size(); i++) {
                    Transformer.OneHotEncode.Feature f = e.features().get(i);
                    int k = category(f.categories(), x[i]);
                    int col = k >= 0 ? f.columnOf()[k] : f.unknownColumn();
                    for (int c = 0; c < f.width(); c++) {
                        y.add(c == col ? 1.0 : 0.0);
                    }
                }
                return y.toArray();
            }

            @Override
            public Object[] visitOrdinalEncode(Transformer.OrdinalEncode e) {
                Object[] y = new Object[x.length];
                for (int i = 0; i < y.length; i++) {
                    Transformer.OrdinalEncode.Feature f = e.features().get(i);
                    int k = category(f.categories(), x[i]);
                    y[i] = k >= 0 ? f.codes()[k] : f.unknownValue();
                }
                return y;
            }

            @Override
            public Object[] visitSelectColumns(Transformer.SelectColumns s) {
                Object[] y = new Object[s.kept().length];
                for (int i = 0; i < y.length; i++) {
                    y[i] = x[s.kept()[i]];
                }
                return y;
            }

            @Override
            public Object[] visitNormalize(Transformer.Normalize n) {
                double[] v = numbers(x);
                double norm = 0;
                for (double a : v) {
                    norm = switch (n.norm()) {
                        case L1 -> norm + Math.abs(a);
                        case L2 -> norm + a * a;
                        case MAX -> Math.max(norm, Math.abs(a));
                    };
                }
                norm = n.norm() == Transformer.Normalize.Norm.L2 ? Math.sqrt(norm) : norm;
                Object[] y = new Object[v.length];
                for (int i = 0; i < v.length; i++) {
                    y[i] = v[i] / (norm == 0 ? 1 : norm);
                }
                return y;
            }

            @Override
            public Object[] visitBinarize(Transformer.Binarize b) {
                Object[] y = new Object[x.length];
                for (int i = 0; i < y.length; i++) {
                    y[i] = (Double) x[i] > b.threshold() ? 1.0 : 0.0;
                }
                return y;
            }

            @Override
            public Object[] visitElementwise(Transformer.Elementwise e) {
                Object[] y = new Object[x.length];
                for (int i = 0; i < y.length; i++) {
                    double a = (Double) x[i];
                    y[i] = switch (e.function()) {
                        case IDENTITY -> a;
                        case LOG1P -> Math.log1p(a);
                        case EXPM1 -> Math.expm1(a);
                        case LOG -> Math.log(a);
                        case EXP -> Math.exp(a);
                        case SQRT -> Math.sqrt(a);
                        case ABS -> Math.abs(a);
                        case FLOOR -> Math.floor(a);
                        case SQUARE -> a * a;
                    };
                }
                return y;
            }

            @Override
            public Object[] visitChain(Transformer.Chain c) {
                Object[] v = x;
                for (Transformer s : c.steps()) {
                    v = transform(s, v);
                }
                return v;
            }

            @Override
            public Object[] visitDiscretize(org.ml2tensor.ir.Discretize d) {
                return boxed(d.apply(numbers(x)));
            }

            @Override
            public Object[] visitPolynomial(org.ml2tensor.ir.Polynomial p) {
                return boxed(p.apply(numbers(x)));
            }

            @Override
            public Object[] visitPowerTransform(org.ml2tensor.ir.PowerTransform p) {
                Object[] y = new Object[x.length];
                for (int i = 0; i < y.length; i++) {
                    y[i] = p.apply(i, (Double) x[i]);
                }
                return y;
            }

            @Override
            public Object[] visitQuantileTransform(org.ml2tensor.ir.QuantileTransform q) {
                Object[] y = new Object[x.length];
                for (int i = 0; i < y.length; i++) {
                    y[i] = q.apply(i, (Double) x[i]);
                }
                return y;
            }

            @Override
            public Object[] visitSpline(org.ml2tensor.ir.Spline sp) {
                return boxed(sp.apply(numbers(x)));
            }

            @Override
            public Object[] visitKnnImpute(org.ml2tensor.ir.KnnImpute knn) {
                return boxed(knn.apply(numbers(x)));
            }

            @Override
            public Object[] visitUnion(Transformer.Union u) {
                List<Object> y = new ArrayList<>();
                for (Transformer.Union.Branch b : u.branches()) {
                    Object[] in = new Object[b.columns().length];
                    for (int i = 0; i < in.length; i++) {
                        in[i] = x[b.columns()[i]];
                    }
                    Object[] out = b.transformer() == null ? in : transform(b.transformer(), in);
                    for (Object o : out) {
                        y.add(b.weight() == 1.0 ? o : (Double) o * b.weight());
                    }
                }
                return y.toArray();
            }
        });
    }

    static Object[] boxed(double[] v) {
        Object[] out = new Object[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    static int category(Categories cats, Object v) {
        if (cats.type() == ColumnType.STRING) {
            String s = (String) v;
            return s.isEmpty() ? (cats.missing() ? cats.known() : -1) : cats.strings().indexOf(s);
        }
        double d = (Double) v;
        if (Double.isNaN(d)) {
            return cats.missing() ? cats.known() : -1;
        }
        for (int k = 0; k < cats.known(); k++) {
            if (cats.numbers()[k] == d) {
                return k;
            }
        }
        return -1;
    }

    /** The head of the estimator at the end of a pipeline. */
    static Head head(Estimator e) {
        if (e instanceof org.ml2tensor.ir.TargetTransform t) {
            return head(t.regressor());
        }
        Estimator last = e instanceof Pipeline p ? p.last() : e;
        return last instanceof Predictor p ? p.head() : null;
    }
}
