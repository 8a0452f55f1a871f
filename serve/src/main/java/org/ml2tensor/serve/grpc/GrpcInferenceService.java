package org.ml2tensor.serve.grpc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import org.ml2tensor.serve.AccessLog;
import org.ml2tensor.serve.Datatype;
import org.ml2tensor.serve.InFlight;
import org.ml2tensor.serve.InferRequest;
import org.ml2tensor.serve.InferResult;
import org.ml2tensor.serve.InferenceService;
import org.ml2tensor.serve.ModelPlatform;
import org.ml2tensor.serve.OutputTensor;
import org.ml2tensor.serve.Reply;
import org.ml2tensor.serve.ServeError;
import org.ml2tensor.serve.ServedModel;
import org.ml2tensor.serve.TensorData;
import org.ml2tensor.serve.TensorMetadata;
import org.ml2tensor.serve.grpc.v2.GRPCInferenceServiceGrpc;
import org.ml2tensor.serve.grpc.v2.InferTensorContents;
import org.ml2tensor.serve.grpc.v2.ModelInferRequest;
import org.ml2tensor.serve.grpc.v2.ModelInferResponse;
import org.ml2tensor.serve.grpc.v2.ModelMetadataRequest;
import org.ml2tensor.serve.grpc.v2.ModelMetadataResponse;
import org.ml2tensor.serve.grpc.v2.ModelReadyRequest;
import org.ml2tensor.serve.grpc.v2.ModelReadyResponse;
import org.ml2tensor.serve.grpc.v2.ServerLiveRequest;
import org.ml2tensor.serve.grpc.v2.ServerLiveResponse;
import org.ml2tensor.serve.grpc.v2.ServerMetadataRequest;
import org.ml2tensor.serve.grpc.v2.ServerMetadataResponse;
import org.ml2tensor.serve.grpc.v2.ServerReadyRequest;
import org.ml2tensor.serve.grpc.v2.ServerReadyResponse;
import org.ml2tensor.serve.metrics.ServeMetrics;

/**
 * The protocol's {@code inference.GRPCInferenceService}. Inputs come as typed contents or
 * {@code raw_input_contents}; outputs are returned the same way the inputs came (raw for raw, which is
 * what tritonclient expects). Errors map to gRPC status codes: INVALID_ARGUMENT, NOT_FOUND,
 * UNAVAILABLE (queue full, shutting down), INTERNAL.
 */
public final class GrpcInferenceService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    private final InferenceService service;
    private final ServeMetrics metrics;
    private final AccessLog accessLog;
    private final InFlight inFlight;
    private final String serverName;
    private final String serverVersion;
    private final List<String> extensions;
    private final BooleanSupplier ready;
    private final Executor answers;

    /**
     * @param answers where each answer is encoded and sent once its batch has run (never the batch worker
     *                that completed it, which would otherwise encode its whole batch's answers serially)
     */
    public GrpcInferenceService(InferenceService service, ServeMetrics metrics, AccessLog accessLog, InFlight inFlight,
                                String serverName, String serverVersion, List<String> extensions, BooleanSupplier ready,
                                Executor answers) {
        this.service = service;
        this.metrics = metrics;
        this.accessLog = accessLog;
        this.inFlight = inFlight;
        this.serverName = serverName;
        this.serverVersion = serverVersion;
        this.extensions = List.copyOf(extensions);
        this.ready = ready;
        this.answers = answers;
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> out) {
        out.onNext(ServerLiveResponse.newBuilder().setLive(true).build());
        out.onCompleted();
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> out) {
        out.onNext(ServerReadyResponse.newBuilder().setReady(ready.getAsBoolean()).build());
        out.onCompleted();
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> out) {
        boolean ok = service.lookup(request.getName(), request.getVersion()).error() == null;
        out.onNext(ModelReadyResponse.newBuilder().setReady(ok).build());
        out.onCompleted();
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> out) {
        out.onNext(ServerMetadataResponse.newBuilder().setName(serverName).setVersion(serverVersion)
                .addAllExtensions(extensions).build());
        out.onCompleted();
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> out) {
        InferenceService.Lookup l = service.lookup(request.getName(), request.getVersion());
        if (l.error() != null) {
            out.onError(status(l.error()).asRuntimeException());
            return;
        }
        ServedModel m = l.model();
        ModelMetadataResponse.Builder b = ModelMetadataResponse.newBuilder().setName(m.name()).addVersions(m.version())
                .setPlatform(ModelPlatform.NAME);
        m.signature().inputs().forEach(t -> b.addInputs(tensor(t)));
        m.signature().outputs().forEach(t -> b.addOutputs(tensor(t)));
        out.onNext(b.build());
        out.onCompleted();
    }

    private static ModelMetadataResponse.TensorMetadata tensor(TensorMetadata t) {
        return ModelMetadataResponse.TensorMetadata.newBuilder().setName(t.name()).setDatatype(t.datatype().name())
                .addAllShape(t.shape()).build();
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
        long start = System.nanoTime();
        String model = request.getModelName();
        if (!inFlight.enter()) {
            finish(out, model, start, request.getSerializedSize(), null,
                    ServeError.unavailable("the server is shutting down"), false);
            return;
        }
        boolean raw = request.getRawInputContentsCount() > 0;
        InferRequest decoded;
        try {
            decoded = decode(request);
        } catch (IllegalArgumentException e) {
            finish(out, model, start, request.getSerializedSize(), null, ServeError.badRequest(e.getMessage()), true);
            return;
        }
        // Encode and send on the application pool, not on the batch worker that completes the reply.
        service.infer(decoded).whenCompleteAsync((reply, failure) -> {
            if (failure != null) {
                finish(out, model, start, request.getSerializedSize(), null,
                        new ServeError(ServeError.Kind.INTERNAL, "inference failed: " + failure), true);
            } else if (reply instanceof Reply.Ok ok) {
                finish(out, model, start, request.getSerializedSize(), encode(ok.result(), raw), null, true);
            } else {
                finish(out, model, start, request.getSerializedSize(), null, ((Reply.Failed) reply).error(), true);
            }
        }, answers);
    }

    private void finish(StreamObserver<ModelInferResponse> out, String model, long start, long bytesIn,
                        Encoded ok, ServeError error, boolean entered) {
        try {
            if (ok != null) {
                out.onNext(ok.response());
                out.onCompleted();
            } else {
                out.onError(status(error).asRuntimeException());
            }
        } finally {
            if (entered) {
                inFlight.exit();
            }
        }
        long total = System.nanoTime() - start;
        int code = ok != null ? 200 : error.kind().httpStatus();
        metrics.requests.inc(model, "grpc", Integer.toString(code));
        metrics.requestSeconds.observe(total / 1e9, model, "grpc");
        if (error != null) {
            metrics.errors.inc(model, error.kind().name().toLowerCase(Locale.ROOT));
        }
        if (accessLog.enabled()) {
            InferResult.Timing t = ok == null ? null : ok.result().timing();
            accessLog.log(new AccessLog.Entry("grpc", "ModelInfer", "inference.GRPCInferenceService/ModelInfer", model,
                    ok == null ? null : ok.result().modelVersion(), code, ok == null ? 0 : ok.rows(), bytesIn,
                    ok == null ? 0 : ok.response().getSerializedSize(), t == null ? 0 : t.queueNanos() / 1000,
                    t == null ? 0 : t.inferNanos() / 1000, total / 1000, t == null ? 0 : t.batchRows(), null,
                    error == null ? null : error.message()));
        }
    }

    /** The gRPC status for a protocol error. */
    static Status status(ServeError e) {
        Status s = switch (e.kind()) {
            case BAD_REQUEST -> Status.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.NOT_FOUND;
            case UNAVAILABLE -> Status.UNAVAILABLE;
            case UNAUTHENTICATED -> Status.UNAUTHENTICATED;
            case TOO_LARGE -> Status.RESOURCE_EXHAUSTED;
            case INTERNAL -> Status.INTERNAL;
        };
        return s.withDescription(e.message());
    }

    private static InferRequest decode(ModelInferRequest r) {
        boolean raw = r.getRawInputContentsCount() > 0;
        if (raw && r.getRawInputContentsCount() != r.getInputsCount()) {
            throw new IllegalArgumentException("raw_input_contents has " + r.getRawInputContentsCount()
                    + " entries for " + r.getInputsCount() + " inputs");
        }
        List<InferRequest.InputTensor> inputs = new ArrayList<>();
        for (int i = 0; i < r.getInputsCount(); i++) {
            ModelInferRequest.InferInputTensor t = r.getInputs(i);
            Datatype type = Datatype.parse(t.getDatatype()).orElseThrow(() -> new IllegalArgumentException(
                    "input '" + t.getName() + "' has unknown datatype '" + t.getDatatype() + "'"));
            long[] shape = t.getShapeList().stream().mapToLong(Long::longValue).toArray();
            TensorData data = raw ? raw(t.getName(), type, r.getRawInputContents(i)) : typed(type, t.getContents());
            inputs.add(new InferRequest.InputTensor(t.getName(), type, shape, data));
        }
        boolean binary = r.getParametersMap().containsKey("binary_data_output")
                && r.getParametersMap().get("binary_data_output").getBoolParam();
        List<InferRequest.RequestedOutput> outputs = new ArrayList<>();
        for (ModelInferRequest.InferRequestedOutputTensor o : r.getOutputsList()) {
            outputs.add(new InferRequest.RequestedOutput(o.getName(), binary));
        }
        return new InferRequest(r.getModelName(), r.getModelVersion(), r.getId(), inputs, outputs, binary);
    }

    private static TensorData raw(String name, Datatype type, ByteString bytes) {
        if (type.size() <= 0) {
            throw new IllegalArgumentException("input '" + name + "': raw contents of " + type + " are not supported");
        }
        if (bytes.size() % type.size() != 0) {
            throw new IllegalArgumentException("input '" + name + "': " + bytes.size() + " raw bytes are not a whole "
                    + "number of " + type + " elements");
        }
        ByteBuffer b = bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        int n = bytes.size() / type.size();
        if (type == Datatype.FP32) {
            float[] v = new float[n];
            b.asFloatBuffer().get(v);
            return new TensorData.Floats(v);
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (type) {
                case FP64 -> b.getDouble();
                case INT64, UINT64 -> b.getLong();
                case INT32 -> b.getInt();
                case UINT32 -> Integer.toUnsignedLong(b.getInt());
                case INT16 -> b.getShort();
                case UINT16 -> Short.toUnsignedInt(b.getShort());
                case INT8 -> b.get();
                case UINT8, BOOL -> Byte.toUnsignedInt(b.get());
                default -> Double.NaN;
            };
        }
        return new TensorData.Doubles(v);
    }

    private static TensorData typed(Datatype type, InferTensorContents c) {
        switch (type) {
            case FP32: {
                float[] v = new float[c.getFp32ContentsCount()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = c.getFp32Contents(i);
                }
                return new TensorData.Floats(v);
            }
            case FP64:
                return new TensorData.Doubles(c.getFp64ContentsList().stream().mapToDouble(Double::doubleValue).toArray());
            case INT64:
                return new TensorData.Doubles(c.getInt64ContentsList().stream().mapToDouble(Long::doubleValue).toArray());
            case INT8: case INT16: case INT32:
                return new TensorData.Doubles(c.getIntContentsList().stream().mapToDouble(Integer::doubleValue).toArray());
            case BYTES:
                return new TensorData.Texts(c.getBytesContentsList().stream().map(ByteString::toStringUtf8)
                        .toArray(String[]::new));
            default:
                return new TensorData.Doubles(new double[0]);
        }
    }

    /** A response and the rows it answers. */
    private record Encoded(ModelInferResponse response, InferResult result, int rows) {
    }

    private static Encoded encode(InferResult r, boolean raw) {
        ModelInferResponse.Builder b = ModelInferResponse.newBuilder().setModelName(r.modelName())
                .setModelVersion(r.modelVersion()).setId(r.id());
        int rows = 0;
        for (OutputTensor o : r.outputs()) {
            ModelInferResponse.InferOutputTensor.Builder t = ModelInferResponse.InferOutputTensor.newBuilder()
                    .setName(o.name()).setDatatype(o.datatype().name());
            for (long d : o.shape()) {
                t.addShape(d);
            }
            rows = (int) o.shape()[0];
            if (raw) {
                b.addRawOutputContents(ByteString.copyFrom(o.toBytes()));
            } else {
                t.setContents(contents(o));
            }
            b.addOutputs(t);
        }
        return new Encoded(b.build(), r, rows);
    }

    private static InferTensorContents contents(OutputTensor o) {
        InferTensorContents.Builder c = InferTensorContents.newBuilder();
        int n = o.size();
        for (int i = 0; i < n; i++) {
            switch (o.datatype()) {
                case FP32 -> c.addFp32Contents((float) o.getDouble(i));
                case FP64 -> c.addFp64Contents(o.getDouble(i));
                case INT64 -> c.addInt64Contents(o.getLong(i));
                case INT8, INT16, INT32 -> c.addIntContents((int) o.getLong(i));
                case UINT8, UINT16, UINT32 -> c.addUintContents((int) o.getLong(i));
                case UINT64 -> c.addUint64Contents(o.getLong(i));
                case BOOL -> c.addBoolContents(o.getLong(i) != 0);
                case BYTES -> c.addBytesContents(ByteString.copyFromUtf8(o.getText(i)));
                default -> c.addFp32Contents((float) o.getDouble(i));
            }
        }
        return c.build();
    }
}
