package org.ml2tensor.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operations against real servers on loopback ports: dynamic batching merges concurrent requests,
 * a full queue answers 503 with Retry-After, a changed model file is swapped in, the bearer token is
 * enforced, and a shutdown answers every accepted request.
 */
class OperationsTest {
    @TempDir
    Path tmp;

    private static List<float[]> irisRows(int n) throws Exception {
        List<float[]> all = Fixtures.rows(Fixtures.IRIS);
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(all.get(i % all.size()));
        }
        return out;
    }

    /** Sends {@code n} one-row requests at once and returns the responses. */
    private static List<HttpResponse<String>> concurrent(int port, String model, int n, int rowsEach) throws Exception {
        String body = Fixtures.inferJson(irisRows(rowsEach), "");
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<HttpResponse<String>>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                fs.add(pool.submit(() -> Fixtures.post(port, "/v2/models/" + model + "/infer", body)));
            }
            List<HttpResponse<String>> out = new ArrayList<>();
            for (Future<HttpResponse<String>> f : fs) {
                out.add(f.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private Path irisOnly() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("m"));
        Files.copy(Fixtures.IRIS.resolve("model.pkl"), dir.resolve("iris.pkl"));
        return dir;
    }

    @Test
    void concurrentRequestsAreMergedIntoOneCall() throws Exception {
        // One worker: while a 200000-row request runs, 16 one-row requests queue up and share the next call.
        ServeConfig c = Fixtures.config(irisOnly()).withWatch(false)
                .withBatching(new ServeConfig.Batching(64, 50_000, 1024, 1));
        try (ModelServer server = Fixtures.start(c)) {
            int port = server.httpPort();
            CompletableFuture<HttpResponse<String>> blocker = CompletableFuture.supplyAsync(() -> {
                try {
                    return Fixtures.post(port, "/v2/models/iris/infer", Fixtures.inferJson(irisRows(200_000), ""));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            while (server.inFlightRequests() == 0 && !blocker.isDone()) {
                Thread.sleep(1);
            }
            List<HttpResponse<String>> rs = concurrent(port, "iris", 16, 1);
            rs.forEach(r -> assertEquals(200, r.statusCode(), r.body()));
            assertEquals(200, blocker.get(60, TimeUnit.SECONDS).statusCode());
            long calls = server.metrics().batchRequests.count("iris");
            long merged = server.metrics().batchRequests.countAbove(1, "iris");
            assertTrue(merged >= 1, "no batch held more than one request (" + calls + " calls)");
            assertTrue(calls < 17, calls + " calls for 17 requests");
            assertEquals(200_016, server.metrics().rows.value("iris"));
            String text = Fixtures.get(port, "/metrics", null).body();
            assertTrue(text.contains("ml2tensor_batch_requests_count{model=\"iris\"} " + calls), text);
        }
    }

    @Test
    void aRequestSentWhileAnswersGoOutIsNotHeldForTheQueueDelay() throws Exception {
        // Two workers and a 3 s gathering window. The first request's answer, while it is being handed
        // out on the batch worker, sends a second request and waits for it: that is a client whose next
        // request arrives before the worker has finished its bookkeeping. The model is already free then,
        // so the other worker must dispatch the second request at once instead of waiting for more.
        ServeConfig c = Fixtures.config(irisOnly()).withWatch(false)
                .withBatching(new ServeConfig.Batching(256, 3_000_000, 1024, 2));
        try (ModelServer server = Fixtures.start(c)) {
            DynamicBatcher batcher = server.repository().get("iris").orElseThrow().batcher();
            float[] row = irisRows(1).get(0);
            DynamicBatcher.Job first = job("first", row);
            DynamicBatcher.Job second = job("second", row);
            CompletableFuture<Long> secondWaitedNanos = first.reply().thenApply(r -> {
                long t0 = System.nanoTime();
                assertEquals(DynamicBatcher.Admission.QUEUED, batcher.submit(second));
                try {
                    second.reply().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return System.nanoTime() - t0;
            });
            assertEquals(DynamicBatcher.Admission.QUEUED, batcher.submit(first));
            double seconds = secondWaitedNanos.get(20, TimeUnit.SECONDS) / 1e9;
            assertTrue(seconds < 1.5, "the second request waited " + seconds + " s for the gathering window");
            assertTrue(first.reply().get() instanceof Reply.Ok && second.reply().get() instanceof Reply.Ok);
        }
    }

    private static DynamicBatcher.Job job(String id, float[] row) {
        return new DynamicBatcher.Job(id, 1, new TensorData.Floats(row.clone()),
                List.of(new InferRequest.RequestedOutput("label", false)), System.nanoTime(), new CompletableFuture<>());
    }

    @Test
    void fullQueueAnswers503WithRetryAfter() throws Exception {
        // One worker, no merging, a queue of 2 and slow 20000-row requests: most of 24 at once are refused.
        ServeConfig c = Fixtures.config(irisOnly()).withWatch(false)
                .withBatching(new ServeConfig.Batching(1, 0, 2, 1));
        try (ModelServer server = Fixtures.start(c)) {
            List<HttpResponse<String>> rs = concurrent(server.httpPort(), "iris", 24, 20_000);
            long ok = rs.stream().filter(r -> r.statusCode() == 200).count();
            List<HttpResponse<String>> refused = rs.stream().filter(r -> r.statusCode() == 503).toList();
            assertEquals(24, ok + refused.size(), "only 200 and 503 expected");
            assertTrue(ok >= 1);
            assertFalse(refused.isEmpty(), "no request was refused");
            for (HttpResponse<String> r : refused) {
                assertEquals("1", r.headers().firstValue("Retry-After").orElse(null));
                assertTrue(r.body().contains("queue of model 'iris' is full"), r.body());
            }
            assertEquals(refused.size(), (long) server.metrics().errors.value("iris", "unavailable"));
            assertEquals(200, Fixtures.post(server.httpPort(), "/v2/models/iris/infer",
                    Fixtures.inferJson(irisRows(1), "")).statusCode());
        }
    }

    @Test
    void changedModelFileIsSwappedIn() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("reload"));
        Files.copy(Fixtures.IRIS.resolve("model.pkl"), dir.resolve("m.pkl"));
        try (ModelServer server = Fixtures.start(Fixtures.config(dir))) {
            int port = server.httpPort();
            assertTrue(Fixtures.get(port, "/v2/models/m", null).body().contains("[-1,4]"));
            // Replace it atomically with a 6-feature logistic regression.
            Path staged = Files.copy(Fixtures.LOGREG.resolve("model.pkl"), dir.resolve(".m.pkl.tmp"));
            Files.move(staged, dir.resolve("m.pkl"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            String meta = "";
            for (int i = 0; i < 200 && !meta.contains("\"versions\":[\"2\"]"); i++) {
                Thread.sleep(50);
                meta = Fixtures.get(port, "/v2/models/m", null).body();
            }
            assertTrue(meta.contains("\"versions\":[\"2\"]"), meta);
            assertTrue(meta.contains("[-1,6]"), meta);
            assertEquals(1, server.metrics().reloads.value("m", "ok"));
            HttpResponse<String> r = Fixtures.post(port, "/v2/models/m/infer", Fixtures.inferJson(
                    Fixtures.rows(Fixtures.LOGREG).subList(0, 1), ""));
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"model_version\":\"2\""), r.body());
            // A broken file keeps version 2 serving.
            Files.writeString(dir.resolve("m.pkl"), "not a pickle");
            Thread.sleep(1500);
            assertTrue(server.metrics().reloads.value("m", "failed") >= 1);
            assertEquals(200, Fixtures.post(port, "/v2/models/m/infer", Fixtures.inferJson(
                    Fixtures.rows(Fixtures.LOGREG).subList(0, 1), "")).statusCode());
        }
    }

    @Test
    void bearerTokenIsRequiredExceptForHealth() throws Exception {
        try (ModelServer server = Fixtures.start(Fixtures.config(irisOnly()).withWatch(false).withToken("s3cret"))) {
            int port = server.httpPort();
            assertEquals(200, Fixtures.get(port, "/v2/health/ready", null).statusCode());
            HttpResponse<String> denied = Fixtures.get(port, "/v2/models/iris", null);
            assertEquals(401, denied.statusCode());
            assertEquals("Bearer", denied.headers().firstValue("WWW-Authenticate").orElse(null));
            assertEquals(401, Fixtures.get(port, "/v2/models/iris", "wrong").statusCode());
            assertEquals(200, Fixtures.get(port, "/v2/models/iris", "s3cret").statusCode());
            assertEquals(401, Fixtures.post(port, "/v2/models/iris/infer", Fixtures.inferJson(irisRows(1), ""))
                    .statusCode());
        }
    }

    @Test
    void shutdownAnswersEveryAcceptedRequest() throws Exception {
        // One worker, one request per call, 8 requests of 50000 rows: they are still queued or running
        // when the shutdown starts.
        ServeConfig c = Fixtures.config(irisOnly()).withWatch(false)
                .withBatching(new ServeConfig.Batching(1, 0, 1024, 1));
        ModelServer server = Fixtures.start(c);
        int port = server.httpPort();
        String body = Fixtures.inferJson(irisRows(50_000), "");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<HttpResponse<String>>> fs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            fs.add(pool.submit(() -> Fixtures.post(port, "/v2/models/iris/infer", body)));
        }
        // Wait until all 8 were accepted (in flight, or already answered). Counting finished futures plus
        // requests in flight would count one twice: its client can hold the answer before the server has
        // marked the request done.
        for (int i = 0; i < 15_000 && server.acceptedRequests() < 8; i++) {
            Thread.sleep(2);
        }
        assertEquals(8, server.acceptedRequests(), "all 8 requests were accepted before the shutdown");
        int inFlight = server.inFlightRequests();
        CompletableFuture<Boolean> clean = CompletableFuture.supplyAsync(server::shutdown);
        List<Integer> codes = Collections.synchronizedList(new ArrayList<>());
        for (Future<HttpResponse<String>> f : fs) {
            codes.add(f.get(60, TimeUnit.SECONDS).statusCode());
        }
        assertTrue(inFlight >= 2, "only " + inFlight + " requests were in flight at shutdown");
        assertEquals(Collections.nCopies(8, 200), codes);
        assertTrue(clean.get(60, TimeUnit.SECONDS), "shutdown should report a clean drain");
        assertEquals(0, server.inFlightRequests());
        pool.shutdownNow();
        // New connections are refused once stopped.
        boolean refused;
        try {
            Fixtures.get(port, "/v2/health/live", null);
            refused = false;
        } catch (java.io.IOException e) {
            refused = true;
        }
        assertTrue(refused, "the server still accepts connections after shutdown");
    }
}
