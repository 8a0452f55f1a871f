package org.ml2tensor.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

// README example: start
import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.CompiledModel;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.importers.ModelFormat;
import org.ml2tensor.importers.ModelImporter;
import org.ml2tensor.runtime.Device;
import org.ml2tensor.runtime.Predictions;
import org.ml2tensor.runtime.Predictor;
import org.ml2tensor.runtime.PredictorOptions;
// README example: end

/** The Java API example of the README, compiled and run as a test so that it stays true. */
class JavaApiExampleTest {
    static final Path MODEL = Paths.get("../conformance-tests/src/test/resources/fixtures/sklearn/"
            + "random_forest_classifier_strings__skl1.9.1/model.pkl");

    @Test
    void readmeExampleRuns(@TempDir Path dir) throws Exception {
        Path modelFile = MODEL;
        Path onnxFile = dir.resolve("iris_rf.onnx");
        // README example: start
        // 1. Read a scikit-learn / XGBoost / LightGBM file (no Python) and compile it to ONNX.
        ModelIr ir = ModelImporter.load(modelFile, ModelFormat.AUTO);
        CompiledModel compiled = ModelCompiler.compile(ir, CompileOptions.defaults());
        compiled.writeTo(onnxFile);                       // atomic write; same model → same bytes
        System.out.println(compiled.report().strategy() + ": " + compiled.report().strategyReason());

        // 2. Run it with ONNX Runtime. One Predictor can be shared by many threads.
        PredictorOptions options = PredictorOptions.builder()
                .device(Device.AUTO)                      // CUDA if usable, else CPU with one notice
                .intraOpThreads(2)
                .build();
        try (Predictor predictor = Predictor.open(onnxFile, options)) {
            float[][] rows = {{5.1f, 3.5f, 1.4f, 0.2f}, {6.7f, 3.0f, 5.2f, 2.3f}};
            Predictions p = predictor.predict(rows,
                    List.of("sepal_length", "sepal_width", "petal_length", "petal_width")); // checked when given
            for (int r = 0; r < p.rows(); r++) {
                System.out.printf("%s %.3f %.3f %.3f%n", p.labels().labelText(r),
                        p.probabilities().getDouble(r, 0), p.probabilities().getDouble(r, 1),
                        p.probabilities().getDouble(r, 2));
            }
            // README example: end
            assertEquals("setosa", p.labels().labelText(0));
            assertEquals("virginica", p.labels().labelText(1));
            assertEquals(1.0, p.probabilities().getDouble(0, 0) + p.probabilities().getDouble(0, 1)
                    + p.probabilities().getDouble(0, 2), 1e-6);
            assertEquals(predictor.info().classLabels(), List.of("setosa", "versicolor", "virginica"));
        }
        assertTrue(Files.size(onnxFile) > 0);
    }
}
