package org.ml2tensor.compiler;

import org.ml2tensor.compiler.onnx.DType;

/** Element type of the graph input and of the arithmetic in the graph. */
public enum Precision {
    /** float32 input; tree thresholds rounded so decisions match the library on float32 inputs. */
    FLOAT32(DType.FLOAT),
    /** float64 input and arithmetic, for callers who feed doubles. */
    FLOAT64(DType.DOUBLE);

    private final DType dtype;

    Precision(DType dtype) {
        this.dtype = dtype;
    }

    public DType dtype() {
        return dtype;
    }

    /** CLI spelling: {@code float32} / {@code float64}. */
    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
