package org.ml2tensor.cli.bench;

import org.ml2tensor.runtime.PredictorOptions;

/** Factories of bench candidates. */
public final class Candidates {
    private Candidates() {
    }

    public static Candidate ort(String name, boolean peer, byte[] onnx, PredictorOptions options) {
        return new OrtCandidate(name, peer, onnx, options);
    }

    /** {@code candidate}, timed only at batches of at most {@code maxBatch} rows; {@code why} says why. */
    public static Candidate upTo(Candidate candidate, int maxBatch, String why) {
        return new BatchLimited(candidate, maxBatch, why);
    }
}
