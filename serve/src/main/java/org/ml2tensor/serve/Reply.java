package org.ml2tensor.serve;

/** What an inference request completes with: a result or a protocol error. */
public sealed interface Reply {
    /** A successful inference. */
    record Ok(InferResult result) implements Reply {
    }

    /** A protocol error. */
    record Failed(ServeError error) implements Reply {
    }

    static Reply failed(ServeError.Kind kind, String message) {
        return new Failed(new ServeError(kind, message));
    }
}
