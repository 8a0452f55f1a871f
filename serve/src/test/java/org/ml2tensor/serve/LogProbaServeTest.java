package org.ml2tensor.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.importers.ImportOptions;
import org.ml2tensor.importers.ModelFormat;
import org.ml2tensor.importers.ModelImporter;
import org.ml2tensor.serve.grpc.v2.GRPCInferenceServiceGrpc;
import org.ml2tensor.serve.grpc.v2.ModelMetadataRequest;
import org.ml2tensor.serve.grpc.v2.ModelMetadataResponse;

/**
 * A model compiled with {@code --method predict_log_proba} (GaussianNB, string classes) served as an {@code .onnx}
 * file: REST and gRPC metadata list {@code label} and {@code log_probabilities [-1, 2]} (taken from the model's
 * outputs), and REST inference returns scikit-learn's {@code predict_log_proba} within 1e-9 (a float64 graph fed
 * the fixture's decimals), including the rows whose probability underflows to 0.
 */
class LogProbaServeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Path CASE = Fixtures.REPO.resolve(
            "conformance-tests/src/test/resources/fixtures/methods/gaussian_nb_log_proba__skl1.9.1");

    @TempDir
    Path tmp;

    @Test
    void metadataAndInferenceCarryLogProbabilities() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("models"));
        var ir = ModelImporter.load(CASE.resolve("model.pkl"), ModelFormat.SKLEARN,
                ImportOptions.defaults().withMethod(ImportOptions.Method.PREDICT_LOG_PROBA));
        ModelCompiler.compile(ir, CompileOptions.defaults()).writeTo(dir.resolve("nb.onnx"));
        try (ModelServer server = Fixtures.start(Fixtures.config(dir).withWatch(false))) {
            int port = server.httpPort();
            JsonNode meta = JSON.readTree(Fixtures.get(port, "/v2/models/nb", null).body());
            assertEquals("{\"name\":\"log_probabilities\",\"datatype\":\"FP64\",\"shape\":[-1,2]}",
                    meta.get("outputs").get(1).toString());
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
            try {
                ModelMetadataResponse m = GRPCInferenceServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(30, TimeUnit.SECONDS)
                        .modelMetadata(ModelMetadataRequest.newBuilder().setName("nb").build());
                assertEquals("log_probabilities", m.getOutputs(1).getName());
                assertEquals("FP64", m.getOutputs(1).getDatatype());
                assertEquals(List.of(-1L, 2L), m.getOutputs(1).getShapeList());
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            List<float[]> rows = Fixtures.rows(CASE);
            List<String[]> expected = Fixtures.expected(CASE);
            HttpResponse<String> r = Fixtures.post(port, "/v2/models/nb/infer",
                    Fixtures.inferJson(rows, "").replace("\"FP32\"", "\"FP64\""));
            assertEquals(200, r.statusCode(), r.body());
            JsonNode label = JSON.readTree(r.body()).get("outputs").get(0);
            JsonNode logp = JSON.readTree(r.body()).get("outputs").get(1);
            assertEquals("log_probabilities", logp.get("name").asText());
            assertEquals("[" + rows.size() + ",2]", logp.get("shape").toString());
            for (int i = 0; i < rows.size(); i++) {
                assertEquals(expected.get(i)[0], label.get("data").get(i).asText(), "row " + i);
                for (int c = 0; c < 2; c++) {
                    double want = Double.parseDouble(expected.get(i)[1 + c]);
                    assertEquals(want, logp.get("data").get(i * 2 + c).asDouble(), 1e-9 + 1e-9 * Math.abs(want),
                            "row " + i + " column " + c);
                }
            }
        }
    }
}
