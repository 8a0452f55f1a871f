package org.ml2tensor.train.preprocessing;

import org.ml2tensor.train.Evaluation;
import org.ml2tensor.train.data.Chunk;

/** Evaluates a pipeline: held-out rows go through the scaler first. */
record TransformedEvaluation(Evaluation inner, Scaler scaler) implements Evaluation {
    @Override
    public void add(Chunk chunk) {
        inner.add(scaler.transform(chunk));
    }

    @Override
    public long rows() {
        return inner.rows();
    }

    @Override
    public double primary() {
        return inner.primary();
    }

    @Override
    public String summary() {
        return inner.summary();
    }
}
