package org.ml2tensor.runtime;

/** Element type of a model's feature input: 32-bit or 64-bit IEEE floats. */
public enum FloatType {
    FLOAT32(Float.BYTES, "float32"),
    FLOAT64(Double.BYTES, "float64");

    private final int bytes;
    private final String label;

    FloatType(int bytes, String label) {
        this.bytes = bytes;
        this.label = label;
    }

    /** Size of one element in bytes. */
    public int bytes() {
        return bytes;
    }

    @Override
    public String toString() {
        return label;
    }
}
