package org.ml2tensor.compiler.lowering;

import java.util.List;

import org.ml2tensor.compiler.onnx.DType;
import org.ml2tensor.compiler.onnx.GraphBuilder;
import org.ml2tensor.compiler.onnx.Value;
import org.ml2tensor.contract.ModelContract;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.Mlp;

/** Lowers an MLP: {@code MatMul + Add} and the activation per layer, then the classifier or regressor outputs. */
final class MlpLowering {
    private MlpLowering() {
    }

    static void lower(LoweringContext ctx, Mlp m, Value x) {
        GraphBuilder g = ctx.graph();
        DType t = ctx.real();
        Value a = x;
        int layers = m.weights().size();
        for (int l = 0; l < layers; l++) {
            double[][] w = m.weights().get(l);
            int in = w.length;
            int out = w[0].length;
            double[] flat = new double[in * out];
            for (int i = 0; i < in; i++) {
                System.arraycopy(w[i], 0, flat, i * out, out);
            }
            a = g.add(g.matMul(a, g.reals("coefs", t, flat, in, out)), g.reals("intercepts", t, m.biases().get(l), out));
            a = activate(g, l == layers - 1 ? m.output() : m.hidden(), a);
        }
        if (m.head() instanceof Head.MultiClassification multilabel) {
            MultiTargetLowering.emitMultilabel(ctx, a, multilabel);
        } else if (m.head() instanceof Head.Classification c) {
            Value index;
            if (c.labels().size() == 2) {
                // LabelBinarizer.inverse_transform: class 1 iff p > 0.5
                index = g.cast(g.squeeze(g.greater(a, g.scalar(t, 0.5)), 1), DType.INT64);
                a = g.concat(1, List.of(g.sub(g.scalar(t, 1.0), a), a));
            } else {
                index = g.argMax(a, 1);
            }
            g.output(ModelContract.LABEL, HeadLowering.labelsOf(g, c.labels(), index));
            g.output(ModelContract.PROBABILITIES, a);
        } else {
            g.output(ModelContract.VARIABLE, a);
        }
    }

    private static Value activate(GraphBuilder g, Mlp.Activation act, Value a) {
        return switch (act) {
            case IDENTITY -> a;
            case LOGISTIC -> g.sigmoid(a);
            case TANH -> g.tanh(a);
            case RELU -> g.relu(a);
            case SOFTMAX -> g.softmax(a, 1);
            case EXP -> g.exp(a);
        };
    }
}
