package org.ml2tensor.conformance;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.Precision;
import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.LinearModel;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.ir.Pipeline;
import org.ml2tensor.ir.ScoreTransform;
import org.ml2tensor.ir.SourceInfo;
import org.ml2tensor.ir.Transformer;
import org.ml2tensor.conformance.reference.ReferenceEvaluator;
import org.ml2tensor.conformance.reference.ReferenceOutputs;
import org.ml2tensor.runtime.Predictions;

/**
 * The first slice: linear models (identity / logistic / softmax links, with a scaler and a projection in
 * front) lowered to MatMul + Add (+ Sigmoid/Softmax), run by ONNX Runtime, compared with the EJML
 * reference. Tolerance: 1e-5 relative in float32 (one MatMul of 8 terms), 1e-12 in float64 and auto
 * (which computes linear models and transformers in float64).
 */
class LinearConformanceTest {

    @ParameterizedTest
    @EnumSource(Precision.class)
    void linearModelsMatchEjmlReference(Precision precision) throws Exception {
        Random rnd = new Random(7);
        int f = 8;
        double[][] rows = new double[200][f];
        for (double[] r : rows) {
            for (int i = 0; i < f; i++) {
                r[i] = rnd.nextGaussian() * 4;
            }
        }
        double tol = precision == Precision.FLOAT32 ? 1e-5 : 1e-12;
        for (ModelIr ir : List.of(regression(rnd, f), binary(rnd, f), multinomial(rnd, f), pipeline(rnd, f))) {
            ReferenceOutputs ref = ReferenceEvaluator.evaluate(ir, rows, precision);
            CompileOptions o = CompileOptions.defaults().withPrecision(precision);
            Predictions out = FixtureRun.run(ir, o, rows);
            SyntheticTreeConformanceTest.assertMatches(ref, out, tol, ir.source().description());
        }
    }

    private static double[][] matrix(Random rnd, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (double[] r : m) {
            for (int i = 0; i < cols; i++) {
                r[i] = rnd.nextGaussian();
            }
        }
        return m;
    }

    private static double[] vector(Random rnd, int n) {
        return matrix(rnd, 1, n)[0];
    }

    static ModelIr regression(Random rnd, int f) {
        return new ModelIr(new LinearModel(matrix(rnd, 2, f), vector(rnd, 2), ScoreTransform.IDENTITY,
                new Head.Regression(2)), f, List.of(), SourceInfo.inCode("linear regression, 2 targets"));
    }

    static ModelIr binary(Random rnd, int f) {
        return new ModelIr(new LinearModel(matrix(rnd, 1, f), vector(rnd, 1), ScoreTransform.LOGISTIC,
                new Head.Classification(new ClassLabels.Strings(List.of("neg", "pos")), true)), f, List.of(),
                SourceInfo.inCode("binary logistic regression"));
    }

    static ModelIr multinomial(Random rnd, int f) {
        return new ModelIr(new LinearModel(matrix(rnd, 4, f), vector(rnd, 4), ScoreTransform.SOFTMAX,
                new Head.Classification(new ClassLabels.Ints(new long[]{10, 20, 30, 40}), true)), f, List.of(),
                SourceInfo.inCode("multinomial logistic regression"));
    }

    static ModelIr pipeline(Random rnd, int f) {
        Transformer scaler = new Transformer.Affine(Transformer.Affine.Form.SUBTRACT_DIVIDE, vector(rnd, f),
                vector(rnd, f));
        Transformer minMax = new Transformer.Affine(Transformer.Affine.Form.MULTIPLY_ADD, vector(rnd, f),
                vector(rnd, f));
        double[] whiten = {1.5, 0.5, 2.0};
        Transformer pca = new Transformer.Projection(vector(rnd, f), matrix(rnd, 3, f),
                Transformer.Projection.Centring.AFTER, whiten);
        LinearModel head = new LinearModel(matrix(rnd, 3, 3), vector(rnd, 3), ScoreTransform.SOFTMAX,
                new Head.Classification(ClassLabels.range(3), true));
        return new ModelIr(new Pipeline(List.of(scaler, minMax, pca), head), f, List.of(),
                SourceInfo.inCode("scaler + pca + softmax pipeline"));
    }
}
