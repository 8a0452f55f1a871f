package org.ml2tensor.runtime;

/**
 * Receives one-line notices a {@link Predictor} wants a user to see, such as the CPU fallback of
 * {@link Device#AUTO}. The default writes to standard error; a CLI may draw them its own way.
 */
@FunctionalInterface
public interface NoticeSink {
    /**
     * Writes {@code "ml2tensor: <line>"} to standard error, control characters escaped, each distinct line
     * once per process (a program that opens several predictors sees the CPU-fallback notice once).
     */
    NoticeSink STDERR = new OncePerProcess(
            line -> System.err.println("ml2tensor: " + org.ml2tensor.error.Printable.escape(line)));

    /** Drops every notice. */
    NoticeSink SILENT = line -> { };

    /** Shows one single-line notice. */
    void notice(String line);

    /** Passes each distinct line to a delegate once per process. */
    final class OncePerProcess implements NoticeSink {
        private static final java.util.Set<String> SHOWN = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private final NoticeSink delegate;

        public OncePerProcess(NoticeSink delegate) {
            this.delegate = java.util.Objects.requireNonNull(delegate, "delegate");
        }

        @Override
        public void notice(String line) {
            if (SHOWN.add(line)) {
                delegate.notice(line);
            }
        }
    }
}
