package org.ml2tensor.train;

import static org.ml2tensor.train.SgdConformanceTest.assertClose;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ml2tensor.train.data.Chunk;
import org.ml2tensor.train.preprocessing.Scaler;

/** StandardScaler / MinMaxScaler / MaxAbsScaler partial_fit against scikit-learn 1.2.1 and 1.9.1 (1e-12 relative). */
class ScalerConformanceTest {
    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String v : List.of("1.2", "1.9")) {
            for (Fixtures.Case c : Fixtures.cases(v)) {
                if (c.estimator().endsWith("Scaler")) {
                    out.add(Arguments.of(v, c));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesScikitLearn(String version, Fixtures.Case c) {
        Chunk all = Fixtures.load(c.data(), null, c.weights());
        Scaler s = (Scaler) Estimators.create(c.estimator(), Settings.parse(c.sets()), SklearnVersion.parse(version),
                null);
        for (Chunk ch : Fixtures.split(all, c.chunks())) {
            s.partialFit(ch);
        }
        Map<String, double[]> mine = Map.of("mean_", s.mean(), "var_", s.var(), "scale_", s.scale(),
                "n_samples_seen_", new double[]{s.samplesSeen()[0]}, "data_min_", s.dataMin(), "data_max_", s.dataMax(),
                "min_", s.minOffset(), "max_abs_", s.maxAbs());
        for (Map.Entry<String, double[][]> e : c.attrs().entrySet()) {
            assertClose(e.getValue(), new double[][]{mine.get(e.getKey())}, e.getKey());
        }
    }
}
