package org.ml2tensor.compiler.onnx;

import org.ml2tensor.onnx.proto.OnnxMl.TensorProto.DataType;

/** Element types used in ml2tensor graphs, with their ONNX {@code TensorProto.DataType} codes. */
public enum DType {
    FLOAT(DataType.FLOAT, 4),
    DOUBLE(DataType.DOUBLE, 8),
    INT32(DataType.INT32, 4),
    INT64(DataType.INT64, 8),
    BOOL(DataType.BOOL, 1),
    STRING(DataType.STRING, 0);

    private final DataType onnx;
    private final int byteSize;

    DType(DataType onnx, int byteSize) {
        this.onnx = onnx;
        this.byteSize = byteSize;
    }

    public DataType onnx() {
        return onnx;
    }

    /** Bytes per element (0 for strings). */
    public int byteSize() {
        return byteSize;
    }

    public boolean isFloating() {
        return this == FLOAT || this == DOUBLE;
    }

    public boolean isInteger() {
        return this == INT32 || this == INT64;
    }

    public boolean isNumeric() {
        return isFloating() || isInteger();
    }
}
