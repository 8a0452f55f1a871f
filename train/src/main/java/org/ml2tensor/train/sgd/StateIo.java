package org.ml2tensor.train.sgd;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/** Length-prefixed double vectors and matrices for checkpoints, with bounds on what a file may claim. */
public final class StateIo {
    private static final int MAX_LENGTH = 1 << 26;

    private StateIo() {
    }

    public static void write(DataOutputStream out, double[] v) throws IOException {
        out.writeInt(v.length);
        for (double d : v) {
            out.writeDouble(d);
        }
    }

    public static void write(DataOutputStream out, double[][] m) throws IOException {
        out.writeInt(m.length);
        for (double[] row : m) {
            write(out, row);
        }
    }

    public static double[] readVector(DataInputStream in) throws IOException {
        int n = length(in.readInt());
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readDouble();
        }
        return v;
    }

    public static double[][] readMatrix(DataInputStream in) throws IOException {
        int n = length(in.readInt());
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = readVector(in);
        }
        return m;
    }

    private static int length(int n) {
        if (n < 0 || n > MAX_LENGTH) {
            throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "corrupt checkpoint: array length " + n)
                    .hint("delete the checkpoint folder and train again").build();
        }
        return n;
    }
}
