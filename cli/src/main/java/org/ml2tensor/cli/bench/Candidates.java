package org.ml2tensor.cli.bench;

import org.ml2tensor.runtime.PredictorOptions;

/** Factories of bench candidates. */
public final class Candidates {
    private Candidates() {
    }

    public static Candidate ort(String name, boolean peer, byte[] onnx, PredictorOptions options) {
        return new OrtCandidate(name, peer, onnx, options);
    }

    /** {@code onnx} in a plain ONNX Runtime session with {@code threads} intra-op threads ({@link PlainOrtCandidate}). */
    public static Candidate plain(String name, boolean peer, byte[] onnx, int threads) throws Exception {
        return new PlainOrtCandidate(name, peer, onnx, threads);
    }

    /**
     * {@code rows} rows of {@code width} columns, row-major, from a numeric CSV (a first line that does not parse
     * is a header; empty cells and NaN are missing), cycled when the file has fewer rows.
     */
    public static float[] csvRows(java.nio.file.Path csv, int width, int rows) throws java.io.IOException {
        java.util.List<float[]> read = new java.util.ArrayList<>();
        try (java.io.BufferedReader r = java.nio.file.Files.newBufferedReader(csv)) {
            String line;
            boolean first = true;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                float[] row = new float[width];
                try {
                    if (cells.length != width) {
                        throw new NumberFormatException("width " + cells.length);
                    }
                    for (int i = 0; i < width; i++) {
                        String c = cells[i].trim();
                        row[i] = c.isEmpty() ? Float.NaN : Float.parseFloat(c);
                    }
                } catch (NumberFormatException e) {
                    if (first) {
                        first = false;
                        continue;
                    }
                    throw org.ml2tensor.error.Ml2TensorException.of(org.ml2tensor.error.ErrorCode.INVALID_INPUT,
                            "row " + (read.size() + 1) + " is not " + width + " numeric cells: " + e.getMessage())
                            .at(csv.toString()).hint("pass a numeric CSV with the model's " + width + " columns")
                            .build();
                }
                first = false;
                read.add(row);
            }
        }
        if (read.isEmpty()) {
            throw org.ml2tensor.error.Ml2TensorException.of(org.ml2tensor.error.ErrorCode.INVALID_INPUT, "no rows")
                    .at(csv.toString()).hint("pass a CSV with at least one row").build();
        }
        float[] out = new float[rows * width];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(read.get(i % read.size()), 0, out, i * width, width);
        }
        return out;
    }

    /** {@code candidate}, timed only at batches of at most {@code maxBatch} rows; {@code why} says why. */
    public static Candidate upTo(Candidate candidate, int maxBatch, String why) {
        return new BatchLimited(candidate, maxBatch, why);
    }
}
