package org.ml2tensor.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.importers.ModelFormat;
import org.ml2tensor.importers.ModelImporter;
import org.ml2tensor.runtime.Device;
import org.ml2tensor.runtime.NoticeSink;
import org.ml2tensor.runtime.Predictor;
import org.ml2tensor.runtime.PredictorOptions;
import org.ml2tensor.runtime.Task;

/**
 * A multi-output classifier ({@code label [N, T]}) is refused when its Spark signature is read, before any
 * partition is scored, instead of silently keeping the first target's label.
 */
class MultiOutputRefusalTest {
    @Test
    void aMultiOutputClassifierIsRefusedNamingTheTask() {
        Path pkl = Fixtures.ROOT.resolve(
                "conformance-tests/src/test/resources/fixtures/multioutput/multioutput_lr_ints__skl1.9.1/model.pkl");
        byte[] onnx = ModelCompiler.compile(ModelImporter.load(pkl, ModelFormat.SKLEARN), CompileOptions.defaults()).onnx();
        PredictorOptions options = PredictorOptions.builder().device(Device.CPU).noticeSink(NoticeSink.SILENT).build();
        try (Predictor p = Predictor.open(onnx, "multioutput.onnx", options)) {
            assertEquals(Task.MULTI_CLASSIFICATION, p.info().task());
            Ml2TensorException e = assertThrows(Ml2TensorException.class, () -> ModelSignature.of("sha", p.info()));
            assertEquals(ErrorCode.UNSUPPORTED, e.code());
            assertTrue(e.getMessage().contains("multi_classification, 3 targets"), e.getMessage());
            assertTrue(e.getMessage().contains("multioutput.onnx"), e.getMessage());
        }
    }
}
