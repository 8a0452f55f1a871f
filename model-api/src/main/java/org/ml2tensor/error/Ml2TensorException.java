package org.ml2tensor.error;

import java.util.Objects;

/**
 * The one unchecked exception family of ml2tensor: an {@link ErrorCode}, a message, a context path
 * (file, byte offset, object path such as {@code Pipeline.steps[1] (StandardScaler) › scale_}) and a
 * hint that tells the user how to fix the problem.
 */
public class Ml2TensorException extends RuntimeException {
    private final ErrorCode code;
    private final String context;
    private final String hint;

    public Ml2TensorException(ErrorCode code, String message, String context, String hint, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.code = Objects.requireNonNull(code, "code");
        this.context = context == null ? "" : context;
        this.hint = hint == null ? "" : hint;
    }

    public Ml2TensorException(ErrorCode code, String message, String context, String hint) {
        this(code, message, context, hint, null);
    }

    public Ml2TensorException(ErrorCode code, String message) {
        this(code, message, null, null, null);
    }

    /** Starts a fluent description of an error. */
    public static Builder of(ErrorCode code, String message) {
        return new Builder(code, message);
    }

    public ErrorCode code() {
        return code;
    }

    /** Where the problem is: a file, a byte offset, an object path; empty when not known. */
    public String context() {
        return context;
    }

    /** What the user can do about it; empty when there is nothing to suggest. */
    public String hint() {
        return hint;
    }

    /** The message without context or hint. */
    public String bareMessage() {
        return super.getMessage();
    }

    /**
     * Returns a copy of this exception whose context is prefixed by {@code outer} (for example the file
     * name or the enclosing pipeline step), keeping code, hint and cause.
     */
    public Ml2TensorException within(String outer) {
        String combined = context.isEmpty() ? outer : outer + " › " + context;
        Ml2TensorException e = new Ml2TensorException(code, bareMessage(), combined, hint, getCause());
        e.setStackTrace(getStackTrace());
        return e;
    }

    /**
     * One line: context, message and hint, with control characters of names taken from files escaped
     * ({@link Printable#escape}), so a hostile file cannot forge lines or send terminal escapes.
     */
    @Override
    public String getMessage() {
        StringBuilder sb = new StringBuilder();
        if (!context.isEmpty()) {
            sb.append(context).append(": ");
        }
        sb.append(super.getMessage());
        if (!hint.isEmpty()) {
            sb.append(" (hint: ").append(hint).append(')');
        }
        return Printable.escape(sb.toString());
    }

    /** Fluent construction: {@code Ml2TensorException.of(code, msg).at(path).hint(fix).build()}. */
    public static final class Builder {
        private final ErrorCode code;
        private final String message;
        private String context;
        private String hint;
        private Throwable cause;

        private Builder(ErrorCode code, String message) {
            this.code = code;
            this.message = message;
        }

        public Builder at(String context) {
            this.context = context;
            return this;
        }

        public Builder hint(String hint) {
            this.hint = hint;
            return this;
        }

        public Builder cause(Throwable cause) {
            this.cause = cause;
            return this;
        }

        public Ml2TensorException build() {
            return new Ml2TensorException(code, message, context, hint, cause);
        }
    }
}
