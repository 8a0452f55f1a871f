package org.ml2tensor.cli.bench;

import java.nio.file.Path;

import org.ml2tensor.compiler.ir.ModelIr;
import org.ml2tensor.runtime.PredictorOptions;

/** Factories of bench candidates. */
public final class Candidates {
    private Candidates() {
    }

    public static Candidate ort(String name, boolean peer, byte[] onnx, PredictorOptions options) {
        return new OrtCandidate(name, peer, onnx, options);
    }

    public static Candidate xgboost(Path model, int width, int threads) throws Exception {
        return new XgboostPeer(model, width, threads);
    }

    public static Candidate lightgbm(Path model, int width, int threads) throws Exception {
        return new LightgbmPeer(model, width, threads);
    }

    public static Candidate reference(ModelIr ir) {
        return new ReferencePeer(ir);
    }

    /** {@code candidate}, timed only at batches of at most {@code maxBatch} rows; {@code why} says why. */
    public static Candidate upTo(Candidate candidate, int maxBatch, String why) {
        return new BatchLimited(candidate, maxBatch, why);
    }
}
