package org.ml2tensor.serve;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.ml2tensor.runtime.ModelInfo;

/**
 * The protocol-independent core shared by the REST and gRPC front ends: finds the model, checks a
 * request against its signature (input name, data type, shape, NaN when the model refuses missing
 * values, requested outputs) and queues it for its dynamic batch. Every problem becomes a
 * {@link ServeError}; nothing a client sends can throw out of here.
 */
public final class InferenceService {
    private final ModelRepository repository;

    public InferenceService(ModelRepository repository) {
        this.repository = repository;
    }

    /** The model for a name and optional version, or the protocol error. */
    public Lookup lookup(String name, String version) {
        Optional<ServedModel> m = repository.get(name);
        if (m.isEmpty()) {
            List<String> names = repository.all().stream().map(ServedModel::name).sorted().toList();
            return new Lookup(null, ServeError.notFound("model '" + name + "' is not served; models: " + names));
        }
        if (version != null && !version.isEmpty() && !version.equals(m.get().version())) {
            return new Lookup(null, ServeError.notFound("model '" + name + "' has no version '" + version
                    + "'; the server has version " + m.get().version()));
        }
        return new Lookup(m.get(), null);
    }

    /** A model, or the error that says why there is none. */
    public record Lookup(ServedModel model, ServeError error) {
    }

    /** Checks and queues a request; the future completes with its outputs or a protocol error. */
    public CompletableFuture<Reply> infer(InferRequest request) {
        long arrival = System.nanoTime();
        for (int attempt = 0; attempt < 3; attempt++) {
            Lookup l = lookup(request.modelName(), request.modelVersion());
            if (l.error() != null) {
                return CompletableFuture.completedFuture(new Reply.Failed(l.error()));
            }
            ServedModel model = l.model();
            String problem = check(model, request);
            if (problem != null) {
                return CompletableFuture.completedFuture(new Reply.Failed(ServeError.badRequest(problem)));
            }
            DynamicBatcher.Job job = job(model, request, arrival);
            switch (model.batcher().submit(job)) {
                case QUEUED:
                    return job.reply();
                case FULL:
                    return CompletableFuture.completedFuture(new Reply.Failed(ServeError.unavailable("the queue of model '"
                            + model.name() + "' is full; retry later")));
                case CLOSED:
                    continue; // swapped for a new version in the meantime: look it up again
                default:
                    throw new IllegalStateException();
            }
        }
        return CompletableFuture.completedFuture(new Reply.Failed(ServeError.unavailable("model '"
                + request.modelName() + "' is being unloaded; retry later")));
    }

    /** What is wrong with the request for this model, or null. */
    private static String check(ServedModel model, InferRequest request) {
        ModelInfo info = model.predictor().info();
        TensorMetadata expected = model.signature().inputs().stream()
                .filter(i -> i.name().equals(info.inputName())).findFirst()
                .orElse(model.signature().inputs().get(0));
        if (request.inputs().size() != 1) {
            return ("model '" + model.name() + "' takes 1 input ('" + expected.name() + "'), the request has "
                    + request.inputs().size());
        }
        InferRequest.InputTensor in = request.inputs().get(0);
        if (!in.name().equals(expected.name())) {
            return ("unknown input '" + in.name() + "'; model '" + model.name() + "' expects '"
                    + expected.name() + "'");
        }
        if (in.datatype() != Datatype.FP32 && in.datatype() != Datatype.FP64) {
            return ("input '" + in.name() + "' has datatype " + in.datatype() + "; model '" + model.name()
                    + "' takes " + expected.datatype() + " (FP32 and FP64 are accepted)");
        }
        long[] shape = in.shape();
        int features = info.featureCount();
        if (shape.length != 2 || shape[0] < 1 || shape[1] < 1 || shape[0] > Integer.MAX_VALUE
                || shape[1] > Integer.MAX_VALUE || (features >= 0 && shape[1] != features)) {
            return ("input '" + in.name() + "' has shape " + Arrays.toString(shape) + "; model '"
                    + model.name() + "' expects [rows, " + (features >= 0 ? features : "features") + "] with rows >= 1");
        }
        long elements = shape[0] * shape[1];
        if (elements != in.data().size()) {
            return ("input '" + in.name() + "' has shape " + Arrays.toString(shape) + " (" + elements
                    + " elements) but " + in.data().size() + " data elements");
        }
        if (!info.acceptsMissing()) {
            TensorData d = in.data();
            for (int i = 0; i < d.size(); i++) {
                if (Double.isNaN(d.getDouble(i))) {
                    return ("input '" + in.name() + "' row " + (i / shape[1]) + " " + info.featureLabel(
                            (int) (i % shape[1])) + " is NaN, but model '" + model.name()
                            + "' does not accept missing values");
                }
            }
        }
        for (InferRequest.RequestedOutput o : request.outputs()) {
            if (model.signature().output(o.name()).isEmpty()) {
                return "unknown output '" + o.name() + "'; model '" + model.name() + "' has "
                        + model.signature().outputs().stream().map(TensorMetadata::name).toList();
            }
        }
        return null;
    }

    private static DynamicBatcher.Job job(ServedModel model, InferRequest request, long arrival) {
        List<InferRequest.RequestedOutput> outputs = new ArrayList<>();
        if (request.outputs().isEmpty()) {
            for (TensorMetadata o : model.signature().outputs()) {
                outputs.add(new InferRequest.RequestedOutput(o.name(), request.binaryOutputs()));
            }
        } else {
            Set<String> seen = new HashSet<>();
            for (InferRequest.RequestedOutput o : request.outputs()) {
                if (seen.add(o.name())) {
                    outputs.add(o);
                }
            }
        }
        InferRequest.InputTensor in = request.inputs().get(0);
        return new DynamicBatcher.Job(request.id(), (int) in.shape()[0], in.data(), outputs, arrival,
                new CompletableFuture<>());
    }
}
