package org.ml2tensor.conformance;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/** Runs an ONNX model on ONNX Runtime's CPU provider and returns every output as doubles/longs/strings. */
final class OrtTestRunner {
    private OrtTestRunner() {
    }

    static Map<String, Object> run(byte[] model, double[][] rows, boolean float64) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int n = rows.length;
        int f = rows[0].length;
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(model, opts)) {
            OnnxTensor input;
            if (float64) {
                DoubleBuffer b = ByteBuffer.allocateDirect(n * f * 8).order(ByteOrder.nativeOrder()).asDoubleBuffer();
                for (double[] r : rows) {
                    b.put(r);
                }
                b.flip();
                input = OnnxTensor.createTensor(env, b, new long[]{n, f});
            } else {
                FloatBuffer b = ByteBuffer.allocateDirect(n * f * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
                for (double[] r : rows) {
                    for (double v : r) {
                        b.put((float) v);
                    }
                }
                b.flip();
                input = OnnxTensor.createTensor(env, b, new long[]{n, f});
            }
            try (input; OrtSession.Result result = session.run(Map.of("input", input))) {
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<String, OnnxValue> e : result) {
                    out.put(e.getKey(), e.getValue().getValue());
                }
                return out;
            }
        }
    }

    /** Output as double[][] whatever its float type. */
    static double[][] matrix(Object v) {
        if (v instanceof float[][] m) {
            double[][] d = new double[m.length][];
            for (int i = 0; i < m.length; i++) {
                d[i] = new double[m[i].length];
                for (int j = 0; j < m[i].length; j++) {
                    d[i][j] = m[i][j];
                }
            }
            return d;
        }
        return (double[][]) v;
    }
}
