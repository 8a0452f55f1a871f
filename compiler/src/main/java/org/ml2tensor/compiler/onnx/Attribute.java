package org.ml2tensor.compiler.onnx;

import java.util.List;

import org.ml2tensor.onnx.proto.OnnxMl.TensorProto;

/** A typed ONNX node attribute. */
public sealed interface Attribute {
    String name();

    record Int(String name, long value) implements Attribute {
    }

    record Ints(String name, long[] values) implements Attribute {
    }

    record Float(String name, float value) implements Attribute {
    }

    record Floats(String name, float[] values) implements Attribute {
    }

    record Str(String name, String value) implements Attribute {
    }

    record Strs(String name, List<String> values) implements Attribute {
    }

    record Tensor(String name, TensorProto value) implements Attribute {
    }

    static Attribute of(String name, long v) {
        return new Int(name, v);
    }

    static Attribute ints(String name, long... v) {
        return new Ints(name, v.clone());
    }

    static Attribute of(String name, float v) {
        return new Float(name, v);
    }

    static Attribute floats(String name, float... v) {
        return new Floats(name, v.clone());
    }

    static Attribute of(String name, String v) {
        return new Str(name, v);
    }

    static Attribute tensor(String name, TensorProto v) {
        return new Tensor(name, v);
    }

    static Attribute strings(String name, List<String> v) {
        return new Strs(name, List.copyOf(v));
    }
}
