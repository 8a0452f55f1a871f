package org.ml2tensor.compiler.lowering;

import org.ml2tensor.compiler.onnx.DType;
import org.ml2tensor.compiler.onnx.GraphBuilder;
import org.ml2tensor.compiler.onnx.Shape;
import org.ml2tensor.compiler.onnx.Value;
import org.ml2tensor.contract.ModelContract;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.KernelSvm;

/**
 * Lowers a libsvm model: the kernel against all support vectors as one batched {@code MatMul} ({@code [N, F] ×
 * [F, nSV]}), the one-vs-one decision values as a second {@code MatMul} with a dual-coefficient matrix
 * {@code [nSV, pairs]}, then votes (0/1 matrices), scikit-learn's one-vs-rest transform, and for
 * {@code probability=True} the Platt sigmoids and libsvm's pairwise coupling unrolled for
 * {@link #COUPLING_ITERATIONS} iterations (rows that meet libsvm's stopping rule are frozen, as libsvm stops).
 */
final class SvmLowering {
    /**
     * Coupling iterations in the graph. libsvm allows {@code max(100, k)} but stops as soon as
     * {@code max_t |Qp_t − pᵀQp| < 0.005/k}; on the fixtures it stops after at most 3 (checked by the
     * conformance test against the reference evaluator, which runs libsvm's full loop).
     */
    static final int COUPLING_ITERATIONS = 10;

    private SvmLowering() {
    }

    static void lower(LoweringContext ctx, KernelSvm m, Value x) {
        GraphBuilder g = ctx.graph();
        DType t = ctx.real();
        int n = m.supportVectors().length;
        long perRow = 4L * n * t.byteSize();
        if (perRow > ctx.options().maxTensorBytes() || (long) n * m.inputWidth() * t.byteSize() > ctx.options().maxTensorBytes()) {
            throw Ml2TensorException.of(ErrorCode.LIMIT_EXCEEDED, "the SVM's " + n + " support vectors need "
                    + Math.max(perRow, (long) n * m.inputWidth() * t.byteSize()) + " bytes per tensor, over the limit of "
                    + ctx.options().maxTensorBytes() + " bytes").at("--max-tensor-bytes")
                    .hint("raise --max-tensor-bytes").build();
        }
        ctx.recordBytesPerRow(perRow);
        Value k = kernel(ctx, m, x);
        if (!(m.head() instanceof Head.Classification c)) {
            double[] coef = m.dualCoef()[0];
            Value dec = g.add(g.matMul(k, g.reals("dual_coef", t, coef, n, 1)),
                    g.reals("intercept", t, m.intercept(), 1));
            if (m.head() instanceof Head.Regression) {
                g.output(ModelContract.VARIABLE, dec);
            } else {
                // OneClassSVM: predict is +1 iff decision > 0 (libsvm: (sum>0)?1:-1), decision_function as scores
                Value inlier = g.greater(g.squeeze(dec, 1), g.scalar(t, 0.0));
                g.output(ModelContract.LABEL, g.where(inlier, g.scalar(DType.INT64, 1), g.scalar(DType.INT64, -1)));
                g.output(ModelContract.SCORES, dec);
            }
            return;
        }
        int classes = m.classes();
        int pairs = m.pairs();
        Value dec = g.add(g.matMul(k, g.reals("dual_coef", t, pairMatrix(m), n, pairs)),
                g.reals("intercept", t, m.intercept(), pairs));
        // vote matrices: pair p = (i, j) adds to i when it wins, else to j
        double[] diff = new double[pairs * classes];
        double[] base = new double[classes];
        int p = 0;
        for (int i = 0; i < classes; i++) {
            for (int j = i + 1; j < classes; j++) {
                diff[p * classes + i] = 1;
                diff[p * classes + j] = -1;
                base[j] += 1;
                p++;
            }
        }
        Value diffM = g.reals("pair_to_class", t, diff, pairs, classes);
        Value baseV = g.reals("pair_base", t, base, classes);
        Value zero = g.scalar(t, 0.0);
        // libsvm: class i wins iff dec > 0; first maximum of the votes
        Value votes = g.add(g.matMul(g.cast(g.greater(dec, zero), t), diffM), baseV);
        Value ovr = null;
        if (classes > 2 && (m.ovr() || m.breakTies())) {
            // sklearn _ovr_decision_function(dec < 0, -dec): i gets the vote iff dec >= 0
            Value ovrVotes = g.add(g.matMul(g.cast(g.greaterOrEqual(dec, zero), t), diffM), baseV);
            Value conf = g.matMul(dec, diffM);
            Value scaled = g.div(conf, g.mul(g.scalar(t, 3.0), g.add(g.abs(conf), g.scalar(t, 1.0))));
            ovr = g.add(ovrVotes, scaled);
        }
        Value index = m.breakTies() && classes > 2 ? g.argMax(ovr, 1) : g.argMax(votes, 1);
        g.output(ModelContract.LABEL, HeadLowering.labelsOf(g, c.labels(), index));
        if (c.probabilities()) {
            g.output(ModelContract.PROBABILITIES, probabilities(ctx, m, dec));
        } else if (classes == 2) {
            g.output(ModelContract.SCORES, g.neg(dec));
        } else {
            g.output(ModelContract.SCORES, m.ovr() ? ovr : dec);
        }
    }

    /** {@code [N, nSV]} kernel values. */
    private static Value kernel(LoweringContext ctx, KernelSvm m, Value x) {
        GraphBuilder g = ctx.graph();
        DType t = ctx.real();
        double[][] sv = m.supportVectors();
        int n = sv.length;
        int f = sv[0].length;
        double[] svT = new double[f * n];
        double[] norms = new double[n];
        for (int s = 0; s < n; s++) {
            for (int j = 0; j < f; j++) {
                svT[j * n + s] = sv[s][j];
                norms[s] += sv[s][j] * sv[s][j];
            }
        }
        // γ is folded into the support vectors (γ·sv, in Java's float64) rather than multiplied after the MatMul:
        // ONNX Runtime fuses MatMul + Mul(scalar) into FusedMatMul, whose alpha is a float32 attribute (γ
        // would lose 1e-8 relative)
        double[] svTScaled = svT.clone();
        for (int i = 0; i < svTScaled.length; i++) {
            svTScaled[i] *= m.gamma();
        }
        return switch (m.kernel()) {
            case LINEAR -> g.matMul(x, g.reals("support_vectors_t", t, svT, f, n));
            case POLY -> powi(g, g.add(g.matMul(x, g.reals("gamma_support_vectors_t", t, svTScaled, f, n)),
                    g.scalar(t, m.coef0())), m.degree());
            case SIGMOID -> {
                // tanh(z) = 1 − 2/(exp(2z) + 1)
                Value z = g.add(g.matMul(x, g.reals("gamma_support_vectors_t", t, svTScaled, f, n)), g.scalar(t, m.coef0()));
                Value e = g.exp(g.mul(z, g.scalar(t, 2.0)));
                yield g.sub(g.scalar(t, 1.0), g.div(g.scalar(t, 2.0), g.add(e, g.scalar(t, 1.0))));
            }
            case RBF -> {
                // ‖x − sv‖² = ‖x‖² − 2 x·sv + ‖sv‖², clipped at 0 against cancellation
                Value xx = g.reduceSum(g.mul(x, x), 1, true);
                Value dot = g.matMul(x, g.reals("support_vectors_t", t, svT, f, n));
                Value d2 = g.add(g.sub(xx, g.mul(dot, g.scalar(t, 2.0))), g.reals("sv_norms", t, norms, n));
                yield g.exp(g.mul(g.max(d2, g.scalar(t, 0.0)), g.scalar(t, -m.gamma())));
            }
        };
    }

    /**
     * libsvm's {@code powi}: multiplication by squaring, the same products in the same order (ONNX Runtime's
     * double {@code Pow} differs by about 1e-8 relative).
     */
    private static Value powi(GraphBuilder g, Value base, int times) {
        Value tmp = base;
        Value ret = null;
        for (int t = times; t > 0; t /= 2) {
            if (t % 2 == 1) {
                ret = ret == null ? tmp : g.mul(ret, tmp);
            }
            if (t / 2 > 0) {
                tmp = g.mul(tmp, tmp);
            }
        }
        return ret != null ? ret : g.add(g.mul(base, g.scalar(base.dtype(), 0.0)), g.scalar(base.dtype(), 1.0));
    }

    /** {@code [nSV, pairs]}: column p = (i, j) holds dualCoef[j−1] on class i's block and dualCoef[i] on j's. */
    static double[] pairMatrix(KernelSvm m) {
        int n = m.supportVectors().length;
        int classes = m.classes();
        int pairs = m.pairs();
        int[] start = m.starts();
        int[] count = m.supportCounts();
        double[] out = new double[n * pairs];
        int p = 0;
        for (int i = 0; i < classes; i++) {
            for (int j = i + 1; j < classes; j++) {
                for (int s = start[i]; s < start[i] + count[i]; s++) {
                    out[s * pairs + p] = m.dualCoef()[j - 1][s];
                }
                for (int s = start[j]; s < start[j] + count[j]; s++) {
                    out[s * pairs + p] = m.dualCoef()[i][s];
                }
                p++;
            }
        }
        return out;
    }

    /** Platt sigmoids per pair, then libsvm's {@code multiclass_probability} (also for two classes). */
    private static Value probabilities(LoweringContext ctx, KernelSvm m, Value dec) {
        GraphBuilder g = ctx.graph();
        DType t = ctx.real();
        int k = m.classes();
        int pairs = m.pairs();
        Value one = g.scalar(t, 1.0);
        // sigmoid_predict: P(class i) = 1/(1+exp(dec·A + B)), clipped to [1e-7, 1-1e-7]
        Value f = g.add(g.mul(dec, g.reals("prob_a", t, m.probA(), pairs)), g.reals("prob_b", t, m.probB(), pairs));
        Value r = g.min(g.max(g.sigmoid(g.neg(f)), g.scalar(t, 1e-7)), g.scalar(t, 1 - 1e-7));
        // R[i][j] = r_ij for the pair (i, j), R[j][i] = 1 − r_ij, as [N, k·k] by 0/1 matrices
        double[] upper = new double[pairs * k * k];
        double[] lower = new double[pairs * k * k];
        int p = 0;
        for (int i = 0; i < k; i++) {
            for (int j = i + 1; j < k; j++) {
                upper[p * k * k + i * k + j] = 1;
                lower[p * k * k + j * k + i] = 1;
                p++;
            }
        }
        Value flat = g.add(g.matMul(r, g.reals("pair_upper", t, upper, pairs, k * k)),
                g.matMul(g.sub(one, r), g.reals("pair_lower", t, lower, pairs, k * k)));
        Value rm = g.reshape(flat, new long[]{-1, k, k}, Shape.batch(k, k));
        Value rt = g.transpose(rm, 0, 2, 1);
        // Q[t][t] = Σ_j r_jt², Q[t][j] = −r_jt·r_tj
        double[] eye = new double[k * k];
        double[] offDiag = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                eye[i * k + j] = i == j ? 1 : 0;
                offDiag[i * k + j] = i == j ? 0 : 1;
            }
        }
        Value diagonal = g.reduceSum(g.mul(rm, rm), 1, false); // [N, k]: column sums of squares
        Value q = g.add(g.mul(g.neg(g.mul(rt, rm)), g.reals("off_diagonal", t, offDiag, k, k)),
                g.mul(g.unsqueeze(diagonal, 2), g.reals("eye", t, eye, k, k)));
        Value[] qRow = new Value[k];
        Value[] qDiag = new Value[k];
        Value[] onehot = new Value[k];
        for (int s = 0; s < k; s++) {
            Value idx = g.longs("index", new long[]{s}, 1);
            qRow[s] = g.squeeze(g.gather(q, idx, 1), 1);
            qDiag[s] = g.gather(diagonal, idx, 1);
            double[] e = new double[k];
            e[s] = 1;
            onehot[s] = g.reals("onehot", t, e, k);
        }
        double[] start = new double[k];
        java.util.Arrays.fill(start, 1.0 / k);
        // p = 1/k in every row: [N, 1] zeros (from the batch) + [k]
        Value prob = g.add(g.mul(g.reduceSum(r, 1, true), g.scalar(t, 0.0)), g.reals("p0", t, start, k));
        Value eps = g.scalar(t, 0.005 / k);
        for (int it = 0; it < COUPLING_ITERATIONS; it++) {
            Value qp = g.squeeze(g.matMul(q, g.unsqueeze(prob, 2)), 2);
            Value pqp = g.reduceSum(g.mul(prob, qp), 1, true);
            Value open = g.greater(g.reduceSum(g.cast(g.greaterOrEqual(g.abs(g.sub(qp, pqp)), eps), t), 1, true),
                    g.scalar(t, 0.0));
            Value next = prob;
            for (int s = 0; s < k; s++) {
                Value qpS = g.gather(qp, g.longs("index", new long[]{s}, 1), 1);
                Value d = g.div(g.add(g.neg(qpS), pqp), qDiag[s]);
                next = g.add(next, g.mul(d, onehot[s]));
                Value onePlus = g.add(one, d);
                pqp = g.div(g.div(g.add(pqp, g.mul(d, g.add(g.mul(d, qDiag[s]), g.mul(g.scalar(t, 2.0), qpS)))),
                        onePlus), onePlus);
                qp = g.div(g.add(qp, g.mul(d, qRow[s])), onePlus);
                next = g.div(next, onePlus);
            }
            prob = g.where(open, next, prob);
        }
        return prob;
    }
}
