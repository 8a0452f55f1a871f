package org.ml2tensor.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A multi-output classifier served over KServe v2 REST: {@code label} comes back as a {@code [N, T]} tensor (one
 * column per target, row-major) and {@code probabilities} as {@code [N, Σ K_t]}, equal to scikit-learn's
 * predictions (labels exactly, probabilities 1e-9: a float64 graph fed the fixture's decimals).
 */
class MultiOutputServeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Path CASE = Fixtures.REPO.resolve(
            "conformance-tests/src/test/resources/fixtures/multioutput/multioutput_forest_mixed__skl1.9.1");

    @TempDir
    Path tmp;

    @Test
    void labelIsOneColumnPerTarget() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("models"));
        Files.copy(CASE.resolve("model.pkl"), dir.resolve("multi.pkl"));
        try (ModelServer server = Fixtures.start(Fixtures.config(dir).withWatch(false))) {
            int port = server.httpPort();
            JsonNode meta = JSON.readTree(Fixtures.get(port, "/v2/models/multi", null).body());
            assertEquals("{\"name\":\"label\",\"datatype\":\"BYTES\",\"shape\":[-1,2]}", meta.get("outputs").get(0).toString());
            String datatype = meta.get("inputs").get(0).get("datatype").asText();
            List<float[]> rows = Fixtures.rows(CASE).subList(0, 5);
            List<String[]> expected = Fixtures.expected(CASE);
            HttpResponse<String> r = Fixtures.post(port, "/v2/models/multi/infer",
                    Fixtures.inferJson(rows, "").replace("\"FP32\"", "\"" + datatype + "\""));
            assertEquals(200, r.statusCode(), r.body());
            JsonNode label = JSON.readTree(r.body()).get("outputs").get(0);
            JsonNode proba = JSON.readTree(r.body()).get("outputs").get(1);
            assertEquals("[5,2]", label.get("shape").toString());
            assertEquals("[5,5]", proba.get("shape").toString());
            double tol = datatype.equals("FP64") ? 1e-9 : 1e-6;
            for (int i = 0; i < rows.size(); i++) {
                for (int t = 0; t < 2; t++) {
                    assertEquals(expected.get(i)[t], label.get("data").get(i * 2 + t).asText(), "row " + i + " target " + t);
                }
                for (int c = 0; c < 5; c++) {
                    assertEquals(Double.parseDouble(expected.get(i)[2 + c]), proba.get("data").get(i * 5 + c).asDouble(),
                            tol, "row " + i + " column " + c);
                }
            }
        }
    }
}
