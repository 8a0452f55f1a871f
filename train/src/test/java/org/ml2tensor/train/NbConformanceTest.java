package org.ml2tensor.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ml2tensor.train.SgdConformanceTest.assertClose;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ml2tensor.ir.LinearModel;
import org.ml2tensor.train.data.Chunk;
import org.ml2tensor.train.nb.DiscreteNb;
import org.ml2tensor.train.nb.GaussianNb;

/** GaussianNB, MultinomialNB / ComplementNB / BernoulliNB partial_fit against scikit-learn 1.2.1 and 1.9.1 (1e-12 relative). */
class NbConformanceTest {
    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String v : List.of("1.2", "1.9")) {
            for (Fixtures.Case c : Fixtures.cases(v)) {
                if (List.of("MultinomialNB", "ComplementNB", "BernoulliNB").contains(c.estimator())) {
                    out.add(Arguments.of(v, c));
                }
            }
        }
        return out.stream();
    }

    static Stream<Arguments> gaussian() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String v : List.of("1.2", "1.9")) {
            for (Fixtures.Case c : Fixtures.cases(v)) {
                if (c.estimator().equals("GaussianNB")) {
                    out.add(Arguments.of(v, c));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("gaussian")
    void gaussianMatchesScikitLearn(String version, Fixtures.Case c) {
        Chunk all = Fixtures.load(c.data(), c.target(), c.weights());
        GaussianNb nb = (GaussianNb) Estimators.create(c.estimator(), Settings.parse(c.sets()),
                SklearnVersion.parse(version), Fixtures.distinct(all.y()));
        for (Chunk ch : Fixtures.split(all, c.chunks())) {
            nb.partialFit(ch);
        }
        Map<String, double[][]> mine = Map.of("theta_", nb.theta(), "var_", nb.var(), "class_count_",
                new double[][]{nb.classCount()}, "class_prior_", new double[][]{nb.classPrior()}, "epsilon_",
                new double[][]{{nb.epsilon()}});
        for (Map.Entry<String, double[][]> e : c.attrs().entrySet()) {
            assertClose(e.getValue(), mine.get(e.getKey()), e.getKey());
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesScikitLearn(String version, Fixtures.Case c) {
        Chunk all = Fixtures.load(c.data(), c.target(), c.weights());
        DiscreteNb nb = (DiscreteNb) Estimators.create(c.estimator(), Settings.parse(c.sets()),
                SklearnVersion.parse(version), Fixtures.distinct(all.y()));
        for (Chunk ch : Fixtures.split(all, c.chunks())) {
            nb.partialFit(ch);
        }
        Map<String, double[][]> mine = Map.of("class_count_", new double[][]{nb.classCount()}, "feature_count_",
                nb.featureCount(), "feature_log_prob_", nb.featureLogProb(), "class_log_prior_",
                new double[][]{nb.classLogPrior()}, "feature_all_", new double[][]{nb.featureAll()});
        for (Map.Entry<String, double[][]> e : c.attrs().entrySet()) {
            assertClose(e.getValue(), mine.get(e.getKey()), e.getKey());
        }
        if (!c.estimator().equals("BernoulliNB")) {
            LinearModel ir = (LinearModel) nb.toIr();
            assertEquals(nb.featureLogProb().length, ir.weights().length);
        }
    }
}
