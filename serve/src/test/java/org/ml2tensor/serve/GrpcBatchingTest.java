package org.ml2tensor.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.common.util.concurrent.ListenableFuture;

import org.ml2tensor.serve.grpc.GrpcInferenceService;
import org.ml2tensor.serve.grpc.v2.GRPCInferenceServiceGrpc;
import org.ml2tensor.serve.grpc.v2.InferTensorContents;
import org.ml2tensor.serve.grpc.v2.ModelInferRequest;
import org.ml2tensor.serve.grpc.v2.ModelInferResponse;

/**
 * gRPC under dynamic batching: many concurrent one-row calls merged into shared ONNX Runtime calls still
 * get each its own row's answer (equal to scikit-learn's, tolerances as in {@link RestProtocolTest}), and
 * the answers are encoded and sent on the application pool, not on the batch worker that ran the batch.
 */
class GrpcBatchingTest {
    @TempDir
    Path tmp;

    private Path irisOnly() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("m"));
        Files.copy(Fixtures.IRIS.resolve("model.pkl"), dir.resolve("iris.pkl"));
        return dir;
    }

    private static ModelInferRequest oneRow(String id, float[] row) {
        InferTensorContents.Builder c = InferTensorContents.newBuilder();
        for (float v : row) {
            c.addFp32Contents(v);
        }
        return ModelInferRequest.newBuilder().setModelName("iris").setId(id)
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("input").setDatatype("FP32")
                        .addShape(1).addShape(row.length).setContents(c)).build();
    }

    private static void assertRow(ModelInferResponse r, String[] expected, String where) {
        assertEquals(expected[0], r.getOutputs(0).getContents().getBytesContents(0).toStringUtf8(), where);
        assertEquals(List.of(1L, 3L), r.getOutputs(1).getShapeList(), where);
        for (int k = 0; k < 3; k++) {
            assertEquals(Double.parseDouble(expected[1 + k]), r.getOutputs(1).getContents().getFp32Contents(k), 2e-5, where);
        }
    }

    @Test
    void concurrentOneRowCallsAreMergedAndEachGetsItsOwnRow() throws Exception {
        // One worker and a 20 ms gathering window: calls arriving while a batch runs share the next one.
        ServeConfig c = Fixtures.config(irisOnly()).withWatch(false)
                .withBatching(new ServeConfig.Batching(256, 20_000, 4096, 1));
        List<float[]> rows = Fixtures.rows(Fixtures.IRIS);
        List<String[]> expected = Fixtures.expected(Fixtures.IRIS);
        try (ModelServer server = Fixtures.start(c)) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
            try {
                var stub = GRPCInferenceServiceGrpc.newFutureStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
                int n = rows.size() * 3;
                List<ListenableFuture<ModelInferResponse>> calls = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    calls.add(stub.modelInfer(oneRow("r" + i, rows.get(i % rows.size()))));
                }
                for (int i = 0; i < n; i++) {
                    ModelInferResponse r = calls.get(i).get(60, TimeUnit.SECONDS);
                    assertEquals("r" + i, r.getId());
                    assertRow(r, expected.get(i % rows.size()), "call " + i);
                }
                long batches = server.metrics().batchRequests.count("iris");
                assertTrue(server.metrics().batchRequests.countAbove(1, "iris") >= 1,
                        "no batch held more than one call (" + batches + " batches for " + n + " calls)");
                assertEquals(n, server.metrics().rows.value("iris"));
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void answersAreEncodedOnTheGivenPoolNotOnTheBatchWorker() throws Exception {
        ServeConfig c = Fixtures.config(irisOnly()).withWatch(false).withBatching(new ServeConfig.Batching(256, 500, 1024, 1));
        List<float[]> rows = Fixtures.rows(Fixtures.IRIS);
        List<String[]> expected = Fixtures.expected(Fixtures.IRIS);
        ExecutorService answers = Executors.newSingleThreadExecutor(r -> new Thread(r, "answers-under-test"));
        try (ModelServer server = Fixtures.start(c)) {
            InFlight inFlight = new InFlight();
            GrpcInferenceService grpc = new GrpcInferenceService(new InferenceService(server.repository()),
                    server.metrics(), AccessLog.off(), inFlight, "ml2tensor", "test", List.of(), () -> true, answers);
            Recorder rec = new Recorder();
            grpc.modelInfer(oneRow("t", rows.get(0)), rec);
            assertTrue(rec.done.await(60, TimeUnit.SECONDS), "no answer");
            assertNull(rec.error.getNow(null));
            assertEquals("answers-under-test", rec.thread);
            assertFalse(rec.thread.startsWith("batch-"), rec.thread);
            assertRow(rec.response, expected.get(0), "row 0");
            // The request leaves the in-flight count just after its answer is sent.
            for (int i = 0; i < 500 && inFlight.count() != 0; i++) {
                Thread.sleep(10);
            }
            assertEquals(0, inFlight.count());
        } finally {
            answers.shutdownNow();
        }
    }

    /** Records the thread that sends the answer. */
    private static final class Recorder implements StreamObserver<ModelInferResponse> {
        final CountDownLatch done = new CountDownLatch(1);
        final CompletableFuture<Throwable> error = new CompletableFuture<>();
        volatile String thread;
        volatile ModelInferResponse response;

        @Override
        public void onNext(ModelInferResponse value) {
            thread = Thread.currentThread().getName();
            response = value;
        }

        @Override
        public void onError(Throwable t) {
            error.complete(t);
            done.countDown();
        }

        @Override
        public void onCompleted() {
            done.countDown();
        }
    }
}
