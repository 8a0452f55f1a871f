package org.ml2tensor.serve;

import java.util.List;

/**
 * A decoded inference request, independent of REST or gRPC.
 *
 * @param modelName      model to run
 * @param modelVersion   version asked for, empty for the current one
 * @param id             request id echoed in the response (may be empty)
 * @param inputs         input tensors
 * @param outputs        requested outputs; empty = all of the model's outputs
 * @param binaryOutputs  whether outputs not named in {@code outputs} are returned in binary form
 */
public record InferRequest(String modelName, String modelVersion, String id, List<InputTensor> inputs,
                           List<RequestedOutput> outputs, boolean binaryOutputs) {
    public InferRequest {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** One input tensor with its decoded row-major elements. */
    public record InputTensor(String name, Datatype datatype, long[] shape, TensorData data) {
    }

    /** A requested output and whether it is to be returned in binary form. */
    public record RequestedOutput(String name, boolean binary) {
    }
}
