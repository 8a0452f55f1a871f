package org.ml2tensor.bench.peers;

import org.ml2tensor.cli.bench.Candidate;

import org.ml2tensor.compiler.Precision;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.conformance.reference.ReferenceEvaluator;

/** The single-threaded EJML reference evaluator: the floor every engine should beat. */
final class ReferencePeer implements Candidate {
    private final ModelIr ir;

    ReferencePeer(ModelIr ir) {
        this.ir = ir;
    }

    @Override
    public String name() {
        return "peer: ejml-reference (1 thread)";
    }

    @Override
    public boolean peer() {
        return true;
    }

    @Override
    public void predict(float[] rows, int n) {
        int w = ir.featureCount();
        double[][] x = new double[n][w];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < w; c++) {
                x[r][c] = rows[r * w + c];
            }
        }
        ReferenceEvaluator.evaluate(ir, x, Precision.FLOAT32);
    }
}
