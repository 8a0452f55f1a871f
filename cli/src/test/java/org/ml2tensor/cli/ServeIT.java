package org.ml2tensor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * {@code ml2tensor serve} as a process: the README's curl request works, and SIGTERM while requests are
 * queued or running answers every one of them and exits 0.
 */
class ServeIT {
    private static final Pattern PORT = Pattern.compile("REST http://127\\.0\\.0\\.1:(\\d+)");

    private static double metric(String text, String prefix) {
        for (String line : text.split("\n")) {
            if (line.startsWith(prefix)) {
                return Double.parseDouble(line.substring(prefix.length()).trim());
            }
        }
        return 0;
    }

    @Test
    void sigtermDrainsInFlightRequestsAndExitsZero() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Launcher.REPO.resolve("ml2tensor").toString(), "serve",
                "cli/src/main/resources/org/ml2tensor/cli/demo/model.pkl", "--port", "0", "--grpc-port", "-1",
                "--device", "cpu", "--workers", "1", "--max-batch-rows", "1", "--access-log", "off", "--no-watch")
                .directory(Launcher.REPO.toFile()).redirectErrorStream(true);
        pb.environment().put("ML2TENSOR_NO_BUILD", "1");
        Process p = pb.start();
        List<String> output = new ArrayList<>();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (output) {
                        output.add(line);
                    }
                    Matcher m = PORT.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (java.io.IOException e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new AssertionError("serve exited without listening: " + output));
        });
        reader.start();
        try {
            int httpPort = port.get(120, TimeUnit.SECONDS);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            // The README's example request.
            String body = "{\"inputs\":[{\"name\":\"input\",\"shape\":[2,4],\"datatype\":\"FP32\","
                    + "\"data\":[[5.1,3.5,1.4,0.2],[6.7,3.0,5.2,2.3]]}]}";
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/v2/models/model/infer"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            HttpResponse<String> first = http.send(req, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, first.statusCode(), first.body());
            assertTrue(first.body().contains("\"data\":[\"setosa\",\"virginica\"]"), first.body());
            // Ten 100000-row requests run one after another on one worker; SIGTERM arrives meanwhile.
            StringBuilder big = new StringBuilder("{\"inputs\":[{\"name\":\"input\",\"shape\":[100000,4],"
                    + "\"datatype\":\"FP32\",\"data\":[");
            for (int i = 0; i < 100000; i++) {
                big.append(i == 0 ? "" : ",").append("5.1,3.5,1.4,0.2");
            }
            big.append("]}]}");
            HttpRequest slow = HttpRequest.newBuilder(req.uri()).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(big.toString())).build();
            List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                pending.add(http.sendAsync(slow, HttpResponse.BodyHandlers.ofString()));
            }
            // SIGTERM once the server has accepted all ten (in flight or answered), as its metrics say.
            HttpRequest metrics = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int accepted = 0;
            while (accepted < 10 && System.nanoTime() < deadline) {
                String text = http.send(metrics, HttpResponse.BodyHandlers.ofString()).body();
                accepted = (int) (metric(text, "ml2tensor_in_flight_requests ")
                        + metric(text, "ml2tensor_requests_total{model=\"model\",protocol=\"http\",code=\"200\"} ") - 1);
                Thread.sleep(5);
            }
            assertEquals(10, accepted, "the server should have accepted the ten requests");
            p.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its output)
            for (CompletableFuture<HttpResponse<String>> f : pending) {
                HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode(), r.body());
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "serve did not stop");
            reader.join(5000);
            assertEquals(0, p.exitValue(), String.join("\n", output));
            synchronized (output) {
                assertTrue(String.join("\n", output).contains("stopped after answering every accepted request"),
                        String.join("\n", output));
            }
        } finally {
            p.destroyForcibly();
        }
    }
}
