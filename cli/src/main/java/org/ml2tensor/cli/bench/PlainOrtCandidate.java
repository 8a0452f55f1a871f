package org.ml2tensor.cli.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Map;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

/**
 * A compiled ONNX model in a plain ONNX Runtime session, as a user without ml2tensor's runtime would run it:
 * default session options, {@code threads} intra-op threads, the whole batch in one {@code run} (no
 * {@code Predictor} chunking, no CPU companion). The environment is the one the {@code Predictor}
 * candidates opened first (same natives).
 */
final class PlainOrtCandidate implements Candidate {
    private final String name;
    private final boolean peer;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String input;
    private final boolean doubles;
    private final long width;
    private ByteBuffer buffer;

    PlainOrtCandidate(String name, boolean peer, byte[] onnx, int threads) throws Exception {
        this.name = name;
        this.peer = peer;
        this.env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(threads);
            so.setInterOpNumThreads(1);
            this.session = env.createSession(onnx, so);
        }
        Map.Entry<String, NodeInfo> in = session.getInputInfo().entrySet().iterator().next();
        this.input = in.getKey();
        TensorInfo info = (TensorInfo) in.getValue().getInfo();
        this.doubles = info.type == OnnxJavaType.DOUBLE;
        this.width = info.getShape()[1];
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean peer() {
        return peer;
    }

    @Override
    public void predict(float[] rows, int n) throws Exception {
        int cells = (int) (n * width);
        int bytes = cells * (doubles ? 8 : 4);
        if (buffer == null || buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }
        buffer.clear();
        OnnxTensor t;
        if (doubles) {
            DoubleBuffer d = buffer.asDoubleBuffer();
            for (int i = 0; i < cells; i++) {
                d.put(rows[i]);
            }
            d.flip();
            t = OnnxTensor.createTensor(env, d, new long[] {n, width});
        } else {
            FloatBuffer f = buffer.asFloatBuffer();
            f.put(rows, 0, cells).flip();
            t = OnnxTensor.createTensor(env, f, new long[] {n, width});
        }
        try (t; OrtSession.Result r = session.run(Map.of(input, t))) {
            if (r.size() == 0) {
                throw new IllegalStateException("no outputs");
            }
        }
    }

    @Override
    public void close() throws Exception {
        session.close();
    }
}
