package org.ml2tensor.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ml2tensor.train.data.Chunk;
import org.ml2tensor.train.sgd.SgdClassifier;
import org.ml2tensor.train.sgd.SgdRegressor;

/**
 * SGD-family coefficients, intercepts and {@code t_} against scikit-learn 1.2.1 and 1.9.1 on the same
 * chunks (fixtures from scripts/make_train_fixtures.py): equal to 1e-12 relative (scikit-learn is
 * bit-reproducible here; the averaged coefficients' lazy scheme and BLAS axpy leave last-bit noise).
 */
class SgdConformanceTest {
    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String v : List.of("1.2", "1.9")) {
            for (Fixtures.Case c : Fixtures.cases(v)) {
                if (c.estimator().startsWith("SGD") || c.estimator().startsWith("PassiveAggressive")
                        || c.estimator().equals("Perceptron")) {
                    out.add(Arguments.of(v, c));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesScikitLearn(String version, Fixtures.Case c) {
        Chunk all = Fixtures.load(c.data(), c.target(), c.weights());
        double[] classes = Fixtures.distinct(all.y());
        IncrementalEstimator e = Estimators.create(c.estimator(), Settings.parse(c.sets()),
                SklearnVersion.parse(version), Estimators.isClassifier(c.estimator()) ? classes : null);
        double[][] coef;
        double[] intercept;
        double t;
        if (e instanceof SgdClassifier sc) {
            if (c.mode().equals("fit")) {
                sc.fit(all, sc.params().maxIter());
            } else {
                for (Chunk ch : Fixtures.split(all, c.chunks())) {
                    sc.partialFit(ch);
                }
            }
            coef = sc.coef();
            intercept = sc.intercept();
            t = sc.t();
            if (c.attrs().containsKey("n_iter_")) {
                assertEquals(c.attrs().get("n_iter_")[0][0], sc.nIter(), "n_iter_");
            }
        } else {
            SgdRegressor sr = (SgdRegressor) e;
            for (Chunk ch : Fixtures.split(all, c.chunks())) {
                sr.partialFit(ch);
            }
            coef = new double[][]{sr.coef()};
            intercept = new double[]{sr.intercept()};
            t = sr.t();
        }
        assertClose(c.attrs().get("coef_"), coef, "coef_");
        assertClose(c.attrs().get("intercept_"), new double[][]{intercept}, "intercept_");
        assertEquals(c.attrs().get("t_")[0][0], t, "t_");
    }

    static void assertClose(double[][] expected, double[][] actual, String what) {
        assertEquals(expected.length, actual.length, what + " rows");
        double scale = 0;
        for (double[] r : expected) {
            for (double v : r) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i].length, actual[i].length, what + " columns");
            for (int j = 0; j < expected[i].length; j++) {
                double diff = Math.abs(expected[i][j] - actual[i][j]);
                assertTrue(diff <= 1e-12 * Math.max(scale, 1e-300), what + "[" + i + "][" + j + "]: expected "
                        + expected[i][j] + " got " + actual[i][j] + " (diff " + diff + ")");
            }
        }
    }
}
