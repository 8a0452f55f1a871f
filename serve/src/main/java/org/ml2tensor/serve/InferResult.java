package org.ml2tensor.serve;

import java.util.List;

/**
 * The answer to one inference request.
 *
 * @param modelName    model that ran
 * @param modelVersion its version
 * @param id           the request's id
 * @param outputs      output tensors in the model's output order (or the requested order)
 * @param timing       where the time went
 */
public record InferResult(String modelName, String modelVersion, String id, List<OutputTensor> outputs,
                          Timing timing) {
    public InferResult {
        outputs = List.copyOf(outputs);
    }

    /** Nanoseconds queued before the batch started, and the batch's ONNX Runtime call; rows in that batch. */
    public record Timing(long queueNanos, long inferNanos, int batchRows, int batchRequests) {
    }
}
