package org.ml2tensor.error;

/**
 * Stable error codes of {@link Ml2TensorException}. Each code maps to a process exit status of the CLI.
 */
public enum ErrorCode {
    /** A file could not be found or read. */
    IO(3),
    /** A model file is malformed, truncated or hostile (bad bytes, bad lengths, refused globals). */
    MODEL_FORMAT(4),
    /** A model object is well-formed but its estimator, option or attribute is not supported. */
    UNSUPPORTED(5),
    /** A model attribute has the wrong type, shape or value. */
    INVALID_MODEL(6),
    /** User input data (CSV/NPY rows, arrays) does not fit the model. */
    INVALID_INPUT(7),
    /** A compile option or CLI argument is invalid or incompatible with the model. */
    INVALID_OPTION(2),
    /** An ONNX graph would break an op contract (arity, attribute, dtype); a compiler defect. */
    GRAPH(8),
    /** A tensor or table would exceed a configured size limit. */
    LIMIT_EXCEEDED(9),
    /** The requested execution provider (e.g. CUDA) is not available on this machine. */
    PROVIDER_UNAVAILABLE(10),
    /** ONNX Runtime failed to load or run a model. */
    RUNTIME(11),
    /** A result did not match its reference. */
    VERIFICATION(12);

    private final int exitStatus;

    ErrorCode(int exitStatus) {
        this.exitStatus = exitStatus;
    }

    /** The CLI exit status used for this code. */
    public int exitStatus() {
        return exitStatus;
    }
}
