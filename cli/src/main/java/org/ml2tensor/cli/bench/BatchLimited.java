package org.ml2tensor.cli.bench;

/** A candidate timed only up to {@code maxBatch} rows per call; larger batches list it as skipped, with why. */
record BatchLimited(Candidate inner, int maxBatch, String skipReason) implements Candidate {
    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public boolean peer() {
        return inner.peer();
    }

    @Override
    public void predict(float[] rows, int n) throws Exception {
        inner.predict(rows, n);
    }

    @Override
    public void close() throws Exception {
        inner.close();
    }
}
