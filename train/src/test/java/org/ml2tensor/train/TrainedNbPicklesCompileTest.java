package org.ml2tensor.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.importers.ModelFormat;
import org.ml2tensor.importers.ModelImporter;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.runtime.Device;
import org.ml2tensor.runtime.Predictions;
import org.ml2tensor.runtime.Predictor;
import org.ml2tensor.runtime.PredictorOptions;
import org.ml2tensor.train.data.Chunk;
import org.ml2tensor.train.nb.DiscreteNb;
import org.ml2tensor.train.nb.GaussianNb;

/**
 * The naive Bayes pickles {@code train} writes (MultinomialNB, ComplementNB, BernoulliNB with its binarize
 * threshold, GaussianNB, CategoricalNB) compile through the scikit-learn converters, and ONNX Runtime's probabilities equal
 * scikit-learn's {@code predict_proba} formula on the trained attributes (softmax of the joint log-likelihood)
 * within 1e-12 absolute, labels exact.
 */
class TrainedNbPicklesCompileTest {
    @TempDir
    Path dir;

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (Fixtures.Case c : Fixtures.cases("1.9")) {
            if (c.estimator().endsWith("NB") && !c.weights()) {
                out.add(Arguments.of(c));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void picklesCompileAndPredictTheTrainedModel(Fixtures.Case c) throws IOException {
        Chunk all = Fixtures.load(c.data(), c.target(), false);
        IncrementalEstimator nb = Estimators.create(c.estimator(), Settings.parse(c.sets()), SklearnVersion.V1_9,
                Fixtures.distinct(all.y()));
        for (Chunk ch : Fixtures.split(all, c.chunks())) {
            nb.partialFit(ch);
        }
        Path file = dir.resolve(c.name() + ".pkl");
        Files.write(file, ModelOutput.pickle(nb, SklearnVersion.V1_9));
        ModelIr ir = ModelImporter.load(file, ModelFormat.SKLEARN);
        double[][] rows = new double[all.rows()][all.width()];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < rows[i].length; j++) {
                rows[i][j] = all.get(i, j);
            }
        }
        double[][] jll = jll(nb, rows, c);
        try (Predictor p = Predictor.open(ModelCompiler.compile(ir, CompileOptions.defaults()).onnx(), c.name(),
                PredictorOptions.builder().device(Device.CPU).intraOpThreads(1).build())) {
            Predictions out = p.predict(rows);
            for (int i = 0; i < rows.length; i++) {
                double max = Double.NEGATIVE_INFINITY;
                int best = 0;
                for (int k = 0; k < jll[i].length; k++) {
                    if (jll[i][k] > max) {
                        max = jll[i][k];
                        best = k;
                    }
                }
                double sum = 0;
                for (double v : jll[i]) {
                    sum += Math.exp(v - max);
                }
                for (int k = 0; k < jll[i].length; k++) {
                    assertEquals(Math.exp(jll[i][k] - max - Math.log(sum)), out.probabilities().getDouble(i, k), 1e-12,
                            c.name() + " row " + i + " class " + k);
                }
                assertEquals(best, out.labels().asLongs()[i], c.name() + " row " + i);
            }
        }
    }

    /** scikit-learn's {@code _joint_log_likelihood} on the trained attributes. */
    private static double[][] jll(IncrementalEstimator est, double[][] x, Fixtures.Case c) {
        double[][] out = new double[x.length][];
        if (est instanceof GaussianNb g) {
            for (int i = 0; i < x.length; i++) {
                out[i] = new double[g.theta().length];
                for (int k = 0; k < out[i].length; k++) {
                    double n = 0;
                    double q = 0;
                    for (int j = 0; j < x[i].length; j++) {
                        n += Math.log(2 * Math.PI * g.var()[k][j]);
                        double d = x[i][j] - g.theta()[k][j];
                        q += d * d / g.var()[k][j];
                    }
                    out[i][k] = Math.log(g.classPrior()[k]) + (-0.5 * n - 0.5 * q);
                }
            }
            return out;
        }
        if (est instanceof org.ml2tensor.train.nb.CategoricalNb cnb) {
            for (int i = 0; i < x.length; i++) {
                out[i] = cnb.classLogPrior().clone();
                for (int j = 0; j < x[i].length; j++) {
                    double[][] flp = cnb.featureLogProb(j);
                    for (int k = 0; k < out[i].length; k++) {
                        out[i][k] += flp[k][(int) x[i][j]];
                    }
                }
            }
            return out;
        }
        DiscreteNb nb = (DiscreteNb) est;
        double[][] flp = nb.featureLogProb();
        boolean bernoulli = c.estimator().equals("BernoulliNB");
        double threshold = 0;
        for (String s : c.sets()) {
            if (s.startsWith("binarize=")) {
                threshold = Double.parseDouble(s.substring("binarize=".length()));
            }
        }
        for (int i = 0; i < x.length; i++) {
            out[i] = new double[flp.length];
            for (int k = 0; k < flp.length; k++) {
                double s = c.estimator().equals("ComplementNB") ? 0 : nb.classLogPrior()[k];
                for (int j = 0; j < x[i].length; j++) {
                    if (bernoulli) {
                        double neg = Math.log(1 - Math.exp(flp[k][j]));
                        s += x[i][j] > threshold ? flp[k][j] : neg;
                    } else {
                        s += x[i][j] * flp[k][j];
                    }
                }
                out[i][k] = s;
            }
        }
        return out;
    }
}
