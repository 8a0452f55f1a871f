package org.ml2tensor.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST side against a real server on a loopback port, called with java.net.http: metadata, JSON and
 * binary inference compared with scikit-learn's own predictions, and protocol errors that leave the
 * server serving. Tolerances: labels exact; random-forest probabilities 2e-5 absolute (float32 leaf
 * sums); logistic-regression probabilities 1e-4 relative (float32 linear model).
 */
class RestProtocolTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path tmp;
    static ModelServer server;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        server = Fixtures.start(Fixtures.config(Fixtures.modelDir(tmp)).withWatch(false).withMaxRequestBytes(1 << 20));
        port = server.httpPort();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void healthAndServerMetadata() throws Exception {
        assertEquals(200, Fixtures.get(port, "/v2/health/live", null).statusCode());
        assertEquals(200, Fixtures.get(port, "/v2/health/ready", null).statusCode());
        JsonNode meta = JSON.readTree(Fixtures.get(port, "/v2", null).body());
        assertEquals("ml2tensor", meta.get("name").asText());
        assertTrue(meta.get("extensions").toString().contains("binary_tensor_data"));
    }

    @Test
    void modelMetadataAndReady() throws Exception {
        HttpResponse<String> r = Fixtures.get(port, "/v2/models/iris", null);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode m = JSON.readTree(r.body());
        assertEquals("iris", m.get("name").asText());
        assertEquals("[\"1\"]", m.get("versions").toString());
        assertEquals("onnxruntime_onnx", m.get("platform").asText());
        assertEquals("{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[-1,4]}", m.get("inputs").get(0).toString());
        assertEquals("{\"name\":\"label\",\"datatype\":\"BYTES\",\"shape\":[-1]}", m.get("outputs").get(0).toString());
        assertEquals("{\"name\":\"probabilities\",\"datatype\":\"FP32\",\"shape\":[-1,3]}",
                m.get("outputs").get(1).toString());
        assertEquals(200, Fixtures.get(port, "/v2/models/iris/ready", null).statusCode());
        assertEquals(200, Fixtures.get(port, "/v2/models/iris/versions/1", null).statusCode());
        assertEquals(404, Fixtures.get(port, "/v2/models/iris/versions/7/ready", null).statusCode());
        assertEquals(404, Fixtures.get(port, "/v2/models/nope/ready", null).statusCode());
        JsonNode lr = JSON.readTree(Fixtures.get(port, "/v2/models/logreg", null).body());
        assertEquals("[-1,6]", lr.get("inputs").get(0).get("shape").toString());
        assertEquals("INT64", lr.get("outputs").get(0).get("datatype").asText());
    }

    @Test
    void jsonInferEqualsScikitLearn() throws Exception {
        List<float[]> rows = Fixtures.rows(Fixtures.IRIS);
        List<String[]> expected = Fixtures.expected(Fixtures.IRIS);
        HttpResponse<String> r = Fixtures.post(port, "/v2/models/iris/infer", Fixtures.inferJson(rows, ""));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = JSON.readTree(r.body());
        assertEquals("iris", body.get("model_name").asText());
        assertEquals("1", body.get("model_version").asText());
        assertEquals("t1", body.get("id").asText());
        JsonNode label = body.get("outputs").get(0);
        JsonNode proba = body.get("outputs").get(1);
        assertEquals("label", label.get("name").asText());
        assertEquals("[" + rows.size() + "]", label.get("shape").toString());
        assertEquals("[" + rows.size() + ",3]", proba.get("shape").toString());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(expected.get(i)[0], label.get("data").get(i).asText(), "row " + i);
            for (int c = 0; c < 3; c++) {
                assertEquals(Double.parseDouble(expected.get(i)[1 + c]), proba.get("data").get(i * 3 + c).asDouble(), 2e-5,
                        "row " + i + " class " + c);
            }
        }
    }

    @Test
    void binaryInferEqualsScikitLearn() throws Exception {
        List<float[]> rows = Fixtures.rows(Fixtures.LOGREG);
        List<String[]> expected = Fixtures.expected(Fixtures.LOGREG);
        int f = rows.get(0).length;
        byte[] header = ("{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[" + rows.size() + "," + f
                + "],\"parameters\":{\"binary_data_size\":" + rows.size() * f * 4 + "}}],"
                + "\"outputs\":[{\"name\":\"probabilities\",\"parameters\":{\"binary_data\":true}},{\"name\":\"label\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(header.length + rows.size() * f * 4).order(ByteOrder.LITTLE_ENDIAN);
        body.put(header);
        rows.forEach(row -> {
            for (float v : row) {
                body.putFloat(v);
            }
        });
        HttpResponse<byte[]> r = Fixtures.postBytes(port, "/v2/models/logreg/infer", body.array(),
                "Inference-Header-Content-Length", Integer.toString(header.length),
                "Content-Type", "application/octet-stream");
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        int json = Integer.parseInt(r.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
        JsonNode head = JSON.readTree(new String(r.body(), 0, json, StandardCharsets.UTF_8));
        JsonNode proba = head.get("outputs").get(0);
        assertEquals("probabilities", proba.get("name").asText());
        // The output's element type is the model's (float64 for a scikit-learn linear model: see the precision model).
        boolean fp64 = proba.get("datatype").asText().equals("FP64");
        assertEquals(rows.size() * 2 * (fp64 ? 8 : 4), proba.get("parameters").get("binary_data_size").asInt());
        JsonNode label = head.get("outputs").get(1);
        ByteBuffer p = ByteBuffer.wrap(r.body(), json, r.body().length - json).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(Long.parseLong(expected.get(i)[0]), label.get("data").get(i).asLong(), "row " + i);
            for (int c = 0; c < 2; c++) {
                double want = Double.parseDouble(expected.get(i)[1 + c]);
                assertEquals(want, fp64 ? p.getDouble() : p.getFloat(), 1e-4 * Math.max(1e-3, Math.abs(want)) + 1e-7,
                        "row " + i);
            }
        }
    }

    @Test
    void binaryOutputForEveryOutputViaRequestParameter() throws Exception {
        List<float[]> rows = Fixtures.rows(Fixtures.IRIS).subList(0, 2);
        HttpResponse<byte[]> r = Fixtures.postBytes(port, "/v2/models/iris/infer",
                Fixtures.inferJson(rows, ",\"parameters\":{\"binary_data_output\":true}").getBytes(StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode());
        int json = Integer.parseInt(r.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
        JsonNode head = JSON.readTree(new String(r.body(), 0, json, StandardCharsets.UTF_8));
        int labelBytes = head.get("outputs").get(0).get("parameters").get("binary_data_size").asInt();
        ByteBuffer b = ByteBuffer.wrap(r.body(), json, labelBytes).order(ByteOrder.LITTLE_ENDIAN);
        List<String[]> expected = Fixtures.expected(Fixtures.IRIS);
        for (int i = 0; i < 2; i++) {
            byte[] s = new byte[b.getInt()];
            b.get(s);
            assertEquals(expected.get(i)[0], new String(s, StandardCharsets.UTF_8));
        }
        assertEquals(r.body().length, json + labelBytes + 2 * 3 * 4);
    }

    @Test
    void protocolErrorsLeaveTheServerServing() throws Exception {
        String ok = Fixtures.inferJson(Fixtures.rows(Fixtures.IRIS).subList(0, 1), "");
        assertError(400, "shape", Fixtures.post(port, "/v2/models/iris/infer",
                ok.replace("\"shape\":[1,4]", "\"shape\":[1,5]")));
        assertError(400, "datatype", Fixtures.post(port, "/v2/models/iris/infer", ok.replace("FP32", "INT32")));
        assertError(400, "unknown datatype", Fixtures.post(port, "/v2/models/iris/infer", ok.replace("FP32", "FLOAT")));
        assertError(400, "malformed JSON", Fixtures.post(port, "/v2/models/iris/infer", ok.substring(0, ok.length() - 5)));
        assertError(400, "unknown input", Fixtures.post(port, "/v2/models/iris/infer", ok.replace("\"input\"", "\"x\"")));
        assertError(400, "data elements", Fixtures.post(port, "/v2/models/iris/infer",
                ok.replace("\"shape\":[1,4]", "\"shape\":[2,4]")));
        assertError(400, "unknown output", Fixtures.post(port, "/v2/models/iris/infer",
                ok.substring(0, ok.length() - 1) + ",\"outputs\":[{\"name\":\"nope\"}]}"));
        assertError(400, "no 'inputs'", Fixtures.post(port, "/v2/models/iris/infer", "{}"));
        assertError(400, "JSON object", Fixtures.post(port, "/v2/models/iris/infer", "[1,2]"));
        assertError(404, "not served", Fixtures.post(port, "/v2/models/nope/infer", ok));
        assertError(404, "no version", Fixtures.post(port, "/v2/models/iris/versions/9/infer", ok));
        assertError(404, "no endpoint", Fixtures.get(port, "/v3/things", null));
        assertError(400, "not allowed", Fixtures.get(port, "/v2/models/iris/infer", null));
        // NaN where the model refuses missing values (LogisticRegression)
        String nan = "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[2,6],"
                + "\"data\":[1,2,3,4,5,6,1,2,NaN,4,5,6]}]}";
        assertError(400, "row 1 column 2", Fixtures.post(port, "/v2/models/logreg/infer", nan));
        // binary extension inconsistencies
        byte[] header = ("{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,4],"
                + "\"parameters\":{\"binary_data_size\":64}}]}").getBytes(StandardCharsets.UTF_8);
        assertError(400, "binary_data_size", toText(Fixtures.postBytes(port, "/v2/models/iris/infer",
                java.util.Arrays.copyOf(header, header.length + 16), "Inference-Header-Content-Length",
                Integer.toString(header.length))));
        assertError(400, "Inference-Header-Content-Length", toText(Fixtures.postBytes(port, "/v2/models/iris/infer",
                ok.getBytes(StandardCharsets.UTF_8), "Inference-Header-Content-Length", "-3")));
        // a body over the limit (1 MiB here) is refused with 413 before it is buffered
        byte[] big = new byte[3 << 20];
        java.util.Arrays.fill(big, (byte) ' ');
        // The server answers before the body is read and closes the connection; a client still uploading can
        // then see the reset instead of the answer (a race in the client, not the server): retry that case.
        HttpResponse<byte[]> tooBig = null;
        for (int attempt = 0; tooBig == null; attempt++) {
            try {
                tooBig = Fixtures.postBytes(port, "/v2/models/iris/infer", big);
            } catch (java.io.IOException reset) {
                if (attempt == 4) {
                    throw reset;
                }
            }
        }
        assertError(413, "exceeds", toText(tooBig));
        // still serving
        assertEquals(200, Fixtures.post(port, "/v2/models/iris/infer", ok).statusCode());
        assertTrue(server.metrics().errors.value("iris", "bad_request") >= 8);
        assertTrue(server.metrics().requests.value("iris", "http", "400") >= 8);
    }

    private static HttpResponse<String> toText(HttpResponse<byte[]> r) {
        return new HttpResponse<>() {
            public int statusCode() {
                return r.statusCode();
            }

            public java.net.http.HttpRequest request() {
                return r.request();
            }

            public java.util.Optional<HttpResponse<String>> previousResponse() {
                return java.util.Optional.empty();
            }

            public java.net.http.HttpHeaders headers() {
                return r.headers();
            }

            public String body() {
                return new String(r.body(), StandardCharsets.UTF_8);
            }

            public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
                return r.sslSession();
            }

            public java.net.URI uri() {
                return r.uri();
            }

            public java.net.http.HttpClient.Version version() {
                return r.version();
            }
        };
    }

    private static void assertError(int status, String fragment, HttpResponse<String> r) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
        String error = JSON.readTree(r.body()).get("error").asText();
        assertTrue(error.contains(fragment), "'" + error + "' should contain '" + fragment + "'");
    }

    @Test
    void metricsAreServedInPrometheusFormat() throws Exception {
        Fixtures.post(port, "/v2/models/iris/infer", Fixtures.inferJson(Fixtures.rows(Fixtures.IRIS).subList(0, 3), ""));
        HttpResponse<String> r = Fixtures.get(port, "/metrics", null);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        String text = r.body();
        for (String s : List.of("# TYPE ml2tensor_requests_total counter", "ml2tensor_rows_total{model=\"iris\"}",
                "ml2tensor_batch_rows_bucket{model=\"iris\",le=\"+Inf\"}", "ml2tensor_queue_seconds_count{model=\"iris\"}",
                "ml2tensor_inference_seconds_sum{model=\"iris\"}", "ml2tensor_queue_depth{model=\"logreg\"} 0",
                "ml2tensor_in_flight_requests")) {
            assertTrue(text.contains(s), s + " missing in\n" + text);
        }
    }

    @Test
    void stringAndNestedDataAreDecoded() {
        var d = org.ml2tensor.serve.http.JsonCodec.decodeInfer("m", "", ("{\"inputs\":[{\"data\":[[1,2],[3,4.5]],"
                + "\"shape\":[2,2],\"name\":\"input\",\"datatype\":\"FP64\"}],\"id\":\"x\"}").getBytes(StandardCharsets.UTF_8), -1);
        assertEquals(null, d.error());
        assertArrayEquals(new long[] {2, 2}, d.request().inputs().get(0).shape());
        assertEquals(4.5, d.request().inputs().get(0).data().getDouble(3));
        assertEquals("x", d.request().id());
    }
}
