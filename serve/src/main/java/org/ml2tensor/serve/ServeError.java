package org.ml2tensor.serve;

/**
 * A request the server answers with a protocol error instead of a result: the kind fixes the HTTP status
 * and the gRPC status code, the message is the body's {@code error} text.
 */
public record ServeError(Kind kind, String message) {

    /** What went wrong, with its HTTP status. */
    public enum Kind {
        BAD_REQUEST(400), UNAUTHENTICATED(401), NOT_FOUND(404), TOO_LARGE(413),
        /** Queue full or shutting down: retry later (503 with Retry-After). */
        UNAVAILABLE(503), INTERNAL(500);

        private final int httpStatus;

        Kind(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    public static ServeError badRequest(String message) {
        return new ServeError(Kind.BAD_REQUEST, message);
    }

    public static ServeError notFound(String message) {
        return new ServeError(Kind.NOT_FOUND, message);
    }

    public static ServeError unavailable(String message) {
        return new ServeError(Kind.UNAVAILABLE, message);
    }
}
