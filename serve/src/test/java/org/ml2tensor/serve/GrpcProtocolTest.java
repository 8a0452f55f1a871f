package org.ml2tensor.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.ml2tensor.serve.grpc.v2.GRPCInferenceServiceGrpc;
import org.ml2tensor.serve.grpc.v2.InferTensorContents;
import org.ml2tensor.serve.grpc.v2.ModelInferRequest;
import org.ml2tensor.serve.grpc.v2.ModelInferResponse;
import org.ml2tensor.serve.grpc.v2.ModelMetadataRequest;
import org.ml2tensor.serve.grpc.v2.ModelMetadataResponse;
import org.ml2tensor.serve.grpc.v2.ModelReadyRequest;
import org.ml2tensor.serve.grpc.v2.ServerLiveRequest;
import org.ml2tensor.serve.grpc.v2.ServerMetadataRequest;
import org.ml2tensor.serve.grpc.v2.ServerReadyRequest;

/**
 * The gRPC side, called through the stub generated from the committed {@code grpc_predict_v2.proto}:
 * metadata, typed and raw inference compared with scikit-learn's predictions, status codes, bearer token.
 * Tolerances as in {@link RestProtocolTest}.
 */
class GrpcProtocolTest {
    @TempDir
    static Path tmp;
    static ModelServer server;
    static ManagedChannel channel;
    static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub;

    @BeforeAll
    static void start() throws Exception {
        server = Fixtures.start(Fixtures.config(Fixtures.modelDir(tmp)).withWatch(false).withToken("tok"));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
        Metadata auth = new Metadata();
        auth.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer tok");
        stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
    }

    @Test
    void metadataAndHealth() {
        var open = GRPCInferenceServiceGrpc.newBlockingStub(channel);
        assertTrue(open.serverLive(ServerLiveRequest.getDefaultInstance()).getLive());
        assertTrue(open.serverReady(ServerReadyRequest.getDefaultInstance()).getReady());
        assertEquals("ml2tensor", stub.serverMetadata(ServerMetadataRequest.getDefaultInstance()).getName());
        assertTrue(stub.modelReady(ModelReadyRequest.newBuilder().setName("iris").build()).getReady());
        assertTrue(!stub.modelReady(ModelReadyRequest.newBuilder().setName("nope").build()).getReady());
        ModelMetadataResponse m = stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("iris").build());
        assertEquals(List.of("1"), m.getVersionsList());
        assertEquals("input", m.getInputs(0).getName());
        assertEquals("FP32", m.getInputs(0).getDatatype());
        assertEquals(List.of(-1L, 4L), m.getInputs(0).getShapeList());
        assertEquals("BYTES", m.getOutputs(0).getDatatype());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("nope").build()));
        assertEquals(io.grpc.Status.Code.NOT_FOUND, e.getStatus().getCode());
    }

    @Test
    void typedContentsInferEqualsScikitLearn() throws Exception {
        List<float[]> rows = Fixtures.rows(Fixtures.IRIS);
        List<String[]> expected = Fixtures.expected(Fixtures.IRIS);
        InferTensorContents.Builder c = InferTensorContents.newBuilder();
        rows.forEach(r -> {
            for (float v : r) {
                c.addFp32Contents(v);
            }
        });
        ModelInferResponse r = stub.modelInfer(ModelInferRequest.newBuilder().setModelName("iris").setId("g1")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("input").setDatatype("FP32")
                        .addShape(rows.size()).addShape(4).setContents(c)).build());
        assertEquals("g1", r.getId());
        assertEquals("1", r.getModelVersion());
        assertEquals(0, r.getRawOutputContentsCount());
        ModelInferResponse.InferOutputTensor label = r.getOutputs(0);
        ModelInferResponse.InferOutputTensor proba = r.getOutputs(1);
        assertEquals(List.of((long) rows.size(), 3L), proba.getShapeList());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(expected.get(i)[0], label.getContents().getBytesContents(i).toStringUtf8());
            for (int k = 0; k < 3; k++) {
                assertEquals(Double.parseDouble(expected.get(i)[1 + k]), proba.getContents().getFp32Contents(i * 3 + k), 2e-5);
            }
        }
    }

    @Test
    void rawContentsInferEqualsScikitLearn() throws Exception {
        List<float[]> rows = Fixtures.rows(Fixtures.LOGREG);
        List<String[]> expected = Fixtures.expected(Fixtures.LOGREG);
        ByteBuffer b = ByteBuffer.allocate(rows.size() * 6 * 4).order(ByteOrder.LITTLE_ENDIAN);
        rows.forEach(r -> {
            for (float v : r) {
                b.putFloat(v);
            }
        });
        ModelInferResponse r = stub.modelInfer(ModelInferRequest.newBuilder().setModelName("logreg")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("input").setDatatype("FP32")
                        .addShape(rows.size()).addShape(6))
                .addRawInputContents(ByteString.copyFrom(b.array())).build());
        assertEquals(2, r.getRawOutputContentsCount());
        assertEquals("INT64", r.getOutputs(0).getDatatype());
        ByteBuffer labels = r.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer proba = r.getRawOutputContents(1).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        boolean fp64 = r.getOutputs(1).getDatatype().equals("FP64"); // the model's type (see the precision model)
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(Long.parseLong(expected.get(i)[0]), labels.getLong(), "row " + i);
            for (int k = 0; k < 2; k++) {
                double want = Double.parseDouble(expected.get(i)[1 + k]);
                assertEquals(want, fp64 ? proba.getDouble() : proba.getFloat(), 1e-4 * Math.max(1e-3, Math.abs(want)) + 1e-7, "row " + i);
            }
        }
    }

    @Test
    void errorsMapToStatusCodes() {
        ModelInferRequest wrongShape = ModelInferRequest.newBuilder().setModelName("iris")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("input").setDatatype("FP32")
                        .addShape(1).addShape(3).setContents(InferTensorContents.newBuilder()
                                .addFp32Contents(1).addFp32Contents(2).addFp32Contents(3))).build();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.modelInfer(wrongShape));
        assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("expects [rows, 4]"), e.getStatus().getDescription());
        e = assertThrows(StatusRuntimeException.class, () -> stub.modelInfer(wrongShape.toBuilder().setModelName("x").build()));
        assertEquals(io.grpc.Status.Code.NOT_FOUND, e.getStatus().getCode());
        var noToken = GRPCInferenceServiceGrpc.newBlockingStub(channel);
        e = assertThrows(StatusRuntimeException.class, () -> noToken.modelInfer(wrongShape));
        assertEquals(io.grpc.Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        assertTrue(server.metrics().requests.value("iris", "grpc", "400") >= 1);
    }
}
