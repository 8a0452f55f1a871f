package org.ml2tensor.runtime.io;

/** Receives {@link Progress} reports, e.g. to draw a progress bar. Called on the predicting thread. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = p -> { };

    void onProgress(Progress progress);
}
