package org.ml2tensor.serve;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Model fixtures (real scikit-learn files and scikit-learn's own predictions) and an HTTP client for the tests. */
final class Fixtures {
    static final Path REPO = Paths.get("..").toAbsolutePath().normalize();
    static final Path SKLEARN = REPO.resolve("conformance-tests/src/test/resources/fixtures/sklearn");
    /** RandomForestClassifier on iris with string classes; 4 features. */
    static final Path IRIS = SKLEARN.resolve("random_forest_classifier_strings__skl1.9.1");
    /** LogisticRegression, binary; 6 features; refuses NaN. */
    static final Path LOGREG = SKLEARN.resolve("logistic_regression_binary__skl1.9.1");

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Fixtures() {
    }

    /** A fresh directory holding iris.pkl and logreg.pkl. */
    static Path modelDir(Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("models"));
        Files.copy(IRIS.resolve("model.pkl"), dir.resolve("iris.pkl"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(LOGREG.resolve("model.pkl"), dir.resolve("logreg.pkl"), StandardCopyOption.REPLACE_EXISTING);
        return dir;
    }

    /** Rows of a fixture's input.csv (header skipped). */
    static List<float[]> rows(Path fixture) throws IOException {
        List<float[]> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(fixture.resolve("input.csv"), StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            float[] r = new float[cells.length];
            for (int i = 0; i < cells.length; i++) {
                r[i] = cells[i].isEmpty() || cells[i].equalsIgnoreCase("nan") ? Float.NaN : Float.parseFloat(cells[i]);
            }
            rows.add(r);
        }
        return rows;
    }

    /** Cells of a fixture's expected.csv (scikit-learn's own predictions), header skipped. */
    static List<String[]> expected(Path fixture) throws IOException {
        List<String> lines = Files.readAllLines(fixture.resolve("expected.csv"), StandardCharsets.UTF_8);
        List<String[]> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            out.add(line.split(",", -1));
        }
        return out;
    }

    /** A JSON infer body for these rows. */
    static String inferJson(List<float[]> rows, String extra) {
        StringBuilder sb = new StringBuilder("{\"id\":\"t1\",\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[")
                .append(rows.size()).append(',').append(rows.get(0).length).append("],\"data\":[");
        for (int r = 0; r < rows.size(); r++) {
            sb.append(r == 0 ? "[" : ",[");
            for (int c = 0; c < rows.get(r).length; c++) {
                sb.append(c == 0 ? "" : ",").append(rows.get(r)[c]);
            }
            sb.append(']');
        }
        sb.append("]}]").append(extra).append('}');
        return sb.toString();
    }

    static HttpResponse<String> get(int port, String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(int port, String path, String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<byte[]> postBytes(int port, String path, byte[] body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A server on free loopback ports with the access log off. */
    static ModelServer start(ServeConfig config) {
        return ModelServer.start(config.withAccessLog(AccessLog.off()), s -> { });
    }

    static ServeConfig config(Path models) {
        return ServeConfig.defaults(List.of(models), 0, 0).withAccessLog(AccessLog.off());
    }
}
