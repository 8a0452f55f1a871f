package org.ml2tensor.compiler.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * A tensor shape whose dimensions are either fixed sizes or named symbols (such as the batch {@code N}).
 * Shapes are best-effort static information used to check op contracts and to declare graph outputs.
 */
public record Shape(List<Dim> dims) {
    /** The batch dimension's symbol. */
    public static final String BATCH = "N";

    public Shape {
        dims = List.copyOf(dims);
    }

    /** One dimension: a fixed size or a symbol. */
    public sealed interface Dim {
        static Dim of(long size) {
            return new Fixed(size);
        }

        static Dim symbol(String name) {
            return new Symbolic(name);
        }
    }

    public record Fixed(long size) implements Dim {
        public Fixed {
            if (size < 0) {
                throw new IllegalArgumentException("negative dimension " + size);
            }
        }

        @Override
        public String toString() {
            return Long.toString(size);
        }
    }

    public record Symbolic(String name) implements Dim {
        @Override
        public String toString() {
            return name;
        }
    }

    public static Shape of(long... sizes) {
        List<Dim> d = new ArrayList<>();
        for (long s : sizes) {
            d.add(new Fixed(s));
        }
        return new Shape(d);
    }

    /** {@code [N, width...]} with a symbolic batch dimension. */
    public static Shape batch(long... trailing) {
        List<Dim> d = new ArrayList<>();
        d.add(new Symbolic(BATCH));
        for (long s : trailing) {
            d.add(new Fixed(s));
        }
        return new Shape(d);
    }

    public static Shape scalar() {
        return new Shape(List.of());
    }

    public int rank() {
        return dims.size();
    }

    public Dim dim(int axis) {
        return dims.get(axis < 0 ? axis + dims.size() : axis);
    }

    /** Fixed size of an axis, or -1 when symbolic. */
    public long size(int axis) {
        return dim(axis) instanceof Fixed f ? f.size() : -1;
    }

    /** Number of elements when fully fixed, else -1. */
    public long elementCount() {
        long n = 1;
        for (Dim d : dims) {
            if (d instanceof Fixed f) {
                n *= f.size();
            } else {
                return -1;
            }
        }
        return n;
    }

    public Shape with(int axis, Dim dim) {
        List<Dim> d = new ArrayList<>(dims);
        d.set(axis < 0 ? axis + d.size() : axis, dim);
        return new Shape(d);
    }

    @Override
    public String toString() {
        return dims.toString();
    }
}
