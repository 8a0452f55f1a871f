package org.ml2tensor.runtime;

/**
 * A numeric {@code rows × width} output (probabilities, scores, values) in the model's float type.
 * {@link Output.Floats} and {@link Output.Doubles} give the flat arrays without copying.
 */
public sealed interface Matrix permits Output.Floats, Output.Doubles {
    String name();

    int rows();

    int width();

    ElementType elementType();

    /** The value, rounded to float for a float64 output. */
    float getFloat(int row, int col);

    /** The value, widened exactly for a float32 output. */
    double getDouble(int row, int col);

    /** A row-major copy as {@code float[rows][width]}. */
    default float[][] toFloatArrays() {
        float[][] out = new float[rows()][width()];
        for (int r = 0; r < rows(); r++) {
            for (int c = 0; c < width(); c++) {
                out[r][c] = getFloat(r, c);
            }
        }
        return out;
    }

    /** A row-major copy as {@code double[rows][width]}. */
    default double[][] toDoubleArrays() {
        double[][] out = new double[rows()][width()];
        for (int r = 0; r < rows(); r++) {
            for (int c = 0; c < width(); c++) {
                out[r][c] = getDouble(r, c);
            }
        }
        return out;
    }

    /** Column {@code col} for all rows, e.g. the only column of a single-target regressor. */
    default double[] column(int col) {
        double[] out = new double[rows()];
        for (int r = 0; r < rows(); r++) {
            out[r] = getDouble(r, col);
        }
        return out;
    }
}
