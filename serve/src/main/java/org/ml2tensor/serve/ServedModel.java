package org.ml2tensor.serve;

import java.nio.file.Path;

import org.ml2tensor.runtime.Predictor;

/**
 * One served model version: its predictor, protocol signature and batching queue. Retiring it lets the
 * queued requests finish, then closes the predictor.
 *
 * @param name    served name (file name without extension)
 * @param version "1", then one more at each reload
 * @param sha256  of the file it was loaded from
 */
public record ServedModel(String name, String version, Path file, String sha256, Predictor predictor,
                          ModelSignature signature, DynamicBatcher batcher) {

    /** Stops taking requests, lets queued ones finish, then closes the predictor (in the background). */
    void retire() {
        batcher.close(() -> predictor.close());
    }
}
