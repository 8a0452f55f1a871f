package org.ml2tensor.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The preprocessing family and TransformedTargetRegressor against scikit-learn 1.2.1, 1.6.1 and 1.9.1 (see
 * {@code conformance-tests/fixtures/generate_preprocessing_fixtures.py}): for every case the EJML reference
 * evaluator and ONNX Runtime (float64 and float32 graphs, every tree strategy) equal scikit-learn's own
 * outputs on held-out rows. Tolerances as in {@link PipelineConformanceTest}: float64 1e-9 absolute + 1e-9
 * relative, float32 1e-5 absolute + 1e-4 relative; labels exact.
 */
class PreprocessingConformanceTest {
    static final Path ROOT = Paths.get("src/test/resources/fixtures/preprocessing");

    static Stream<Arguments> cases() throws IOException {
        return FixtureCsv.caseNames(ROOT).stream().map(n -> Arguments.of(n));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void referenceAndOnnxRuntimeMatchScikitLearn(String name) throws Exception {
        PipelineConformanceTest.check(ROOT.resolve(name), name);
    }
}
