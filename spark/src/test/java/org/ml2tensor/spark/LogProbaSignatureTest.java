package org.ml2tensor.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.importers.ImportOptions;
import org.ml2tensor.importers.ModelFormat;
import org.ml2tensor.importers.ModelImporter;
import org.ml2tensor.runtime.Device;
import org.ml2tensor.runtime.NoticeSink;
import org.ml2tensor.runtime.Predictor;
import org.ml2tensor.runtime.PredictorOptions;

/**
 * A model compiled with {@code --method predict_log_proba} keeps {@code log_probabilities} as one array column
 * (like {@code probabilities}), read from its signature without a Spark session.
 */
class LogProbaSignatureTest {
    @Test
    void logProbabilitiesIsAnArrayColumn() {
        Path pkl = Fixtures.ROOT.resolve(
                "conformance-tests/src/test/resources/fixtures/methods/gaussian_nb_log_proba__skl1.9.1/model.pkl");
        byte[] onnx = ModelCompiler.compile(ModelImporter.load(pkl, ModelFormat.SKLEARN,
                ImportOptions.defaults().withMethod(ImportOptions.Method.PREDICT_LOG_PROBA)), CompileOptions.defaults())
                .onnx();
        PredictorOptions options = PredictorOptions.builder().device(Device.CPU).noticeSink(NoticeSink.SILENT).build();
        try (Predictor p = Predictor.open(onnx, "nb.onnx", options)) {
            ModelSignature sig = ModelSignature.of("sha", p.info());
            assertEquals("struct<label:string,log_probabilities:array<double>>",
                    Ml2Tensor.returnType(sig).simpleString());
        }
    }
}
