package org.ml2tensor.serve;

import java.util.Locale;
import java.util.Optional;

import org.ml2tensor.runtime.ElementType;

/** The Open Inference Protocol's tensor data types, with their element size in the binary encoding. */
public enum Datatype {
    BOOL(1), UINT8(1), UINT16(2), UINT32(4), UINT64(8), INT8(1), INT16(2), INT32(4), INT64(8),
    FP16(2), BF16(2), FP32(4), FP64(8),
    /** Strings: in binary form each element is a 4-byte little-endian length followed by its bytes. */
    BYTES(-1);

    private final int size;

    Datatype(int size) {
        this.size = size;
    }

    /** Bytes per element in the binary encoding; -1 for BYTES (variable). */
    public int size() {
        return size;
    }

    /** The protocol name ({@code FP32}, …), or empty when {@code name} is not one. */
    public static Optional<Datatype> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The protocol data type of an ONNX Runtime element type. */
    public static Datatype of(ElementType t) {
        return switch (t) {
            case FLOAT32 -> FP32;
            case FLOAT64 -> FP64;
            case FLOAT16 -> FP16;
            case BFLOAT16 -> BF16;
            case INT8 -> INT8;
            case UINT8 -> UINT8;
            case INT16 -> INT16;
            case UINT16 -> UINT16;
            case INT32 -> INT32;
            case UINT32 -> UINT32;
            case INT64 -> INT64;
            case UINT64 -> UINT64;
            case BOOL -> BOOL;
            case STRING, OTHER -> BYTES;
        };
    }
}
