package org.ml2tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.LinearModel;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.ir.ScoreTransform;
import org.ml2tensor.ir.SourceInfo;
import org.ml2tensor.runtime.Device;
import org.ml2tensor.runtime.Predictions;
import org.ml2tensor.runtime.Predictor;
import org.ml2tensor.runtime.PredictorOptions;

/**
 * One-vs-rest probabilities ({@code LogisticRegression(multi_class='ovr')}, {@code SGDClassifier(loss='log_loss')})
 * normalise per-class logistic values; when every class's decision is negative those values are tiny, and
 * their relative precision is the probability's. ONNX Runtime's {@code Sigmoid} kernel loses it (0 below
 * about -37 in float64, so the normalisation divided 0 by 0), which is why the graph spells the logistic out
 * as {@code 1 / (1 + exp(-x))}. Expected values: scikit-learn's formula in Java's float64.
 */
class SigmoidPrecisionTest {
    @Test
    void ovrProbabilitiesKeepTheirPrecisionForNegativeDecisions() {
        LinearModel m = new LinearModel(new double[][]{{1}, {1}, {1}}, new double[]{0, -1.5, -3.25},
                ScoreTransform.LOGISTIC_NORMALIZED, new Head.Classification(new ClassLabels.Ints(new long[]{0, 1, 2}), true));
        ModelIr ir = new ModelIr(m, 1, List.of(), SourceInfo.inCode("ovr"));
        byte[] onnx = ModelCompiler.compile(ir, CompileOptions.defaults()).onnx();
        double[][] rows = new double[1401][1];
        for (int i = 0; i < rows.length; i++) {
            rows[i][0] = -700 + i * 0.5;
        }
        try (Predictor p = Predictor.open(onnx, PredictorOptions.builder().device(Device.CPU).build())) {
            Predictions out = p.predict(rows);
            for (int i = 0; i < rows.length; i++) {
                double[] s = new double[3];
                double sum = 0;
                for (int k = 0; k < 3; k++) {
                    s[k] = 1 / (1 + Math.exp(-(rows[i][0] + m.intercepts()[k])));
                    sum += s[k];
                }
                for (int k = 0; k < 3; k++) {
                    double want = s[k] / sum;
                    assertEquals(want, out.probabilities().getDouble(i, k), 1e-14 * want + Double.MIN_NORMAL,
                            "x = " + rows[i][0] + ", class " + k);
                }
            }
        }
    }
}
