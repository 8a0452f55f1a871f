package org.ml2tensor.cli.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import org.ml2tensor.runtime.FloatType;

import org.ml2tensor.runtime.Predictor;
import org.ml2tensor.runtime.PredictorOptions;

/** A compiled ONNX model run through the ml2tensor {@link Predictor} (ONNX Runtime). */
final class OrtCandidate implements Candidate {
    private final String name;
    private final boolean peer;
    private final Predictor predictor;
    private FloatBuffer buffer;
    private DoubleBuffer doubles;

    OrtCandidate(String name, boolean peer, byte[] onnx, PredictorOptions options) {
        this.name = name;
        this.peer = peer;
        this.predictor = Predictor.open(onnx, name, options);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean peer() {
        return peer;
    }

    String provider() {
        return predictor.provider().toString();
    }

    @Override
    public void predict(float[] rows, int n) {
        if (predictor.info().inputType() == FloatType.FLOAT64) {
            // float64 models get doubles, as a caller holding doubles would pass them (one widening copy,
            // like the float copy below)
            if (doubles == null || doubles.capacity() < rows.length) {
                doubles = ByteBuffer.allocateDirect(rows.length * 8).order(ByteOrder.nativeOrder()).asDoubleBuffer();
            }
            doubles.clear();
            for (int i = 0; i < rows.length; i++) {
                doubles.put(rows[i]);
            }
            doubles.flip();
            predictor.predict(doubles, n);
            return;
        }
        if (buffer == null || buffer.capacity() < rows.length) {
            buffer = ByteBuffer.allocateDirect(rows.length * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
        buffer.clear();
        buffer.put(rows, 0, rows.length).flip();
        predictor.predict(buffer, n);
    }

    @Override
    public void close() {
        predictor.close();
    }
}
