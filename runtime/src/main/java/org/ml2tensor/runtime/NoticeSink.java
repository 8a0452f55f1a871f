package org.ml2tensor.runtime;

/**
 * Receives one-line notices a {@link Predictor} wants a user to see, such as the CPU fallback of
 * {@link Device#AUTO}. The default writes to standard error; a CLI may draw them its own way.
 */
@FunctionalInterface
public interface NoticeSink {
    /** Writes {@code "ml2tensor: <line>"} to standard error, control characters escaped. */
    NoticeSink STDERR = line -> System.err.println("ml2tensor: " + org.ml2tensor.error.Printable.escape(line));

    /** Drops every notice. */
    NoticeSink SILENT = line -> { };

    /** Shows one single-line notice. */
    void notice(String line);
}
