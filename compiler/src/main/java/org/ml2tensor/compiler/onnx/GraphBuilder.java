package org.ml2tensor.compiler.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.ByteString;

import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.onnx.proto.OnnxMl.AttributeProto;
import org.ml2tensor.onnx.proto.OnnxMl.GraphProto;
import org.ml2tensor.onnx.proto.OnnxMl.NodeProto;
import org.ml2tensor.onnx.proto.OnnxMl.TensorProto;
import org.ml2tensor.onnx.proto.OnnxMl.TensorShapeProto;
import org.ml2tensor.onnx.proto.OnnxMl.TypeProto;
import org.ml2tensor.onnx.proto.OnnxMl.ValueInfoProto;

/**
 * Builds one ONNX graph with typed values. Every op method checks its contract (arity, attributes,
 * element types, static shapes) when the node is built and returns the typed output {@link Value}.
 * Names are deterministic ({@code prefix_counter} in build order), so the same calls always produce
 * byte-identical graphs.
 */
public final class GraphBuilder {
    private final String graphName;
    private final List<ValueInfoProto> inputs = new ArrayList<>();
    private final List<ValueInfoProto> outputs = new ArrayList<>();
    private final List<TensorProto> initializers = new ArrayList<>();
    private final List<NodeProto> nodes = new ArrayList<>();
    private final Map<String, Integer> counters = new HashMap<>();
    private final Map<String, Value> scalarCache = new LinkedHashMap<>();
    private final java.util.Set<String> usedNames = new java.util.HashSet<>();
    private boolean usesMlDomain;
    private boolean usesTreeEnsembleV5;
    private java.util.function.BiPredicate<String, Value> outputInterceptor;

    public GraphBuilder(String graphName) {
        this.graphName = graphName;
    }

    /** A fresh value name with the given prefix. */
    public String freshName(String prefix) {
        while (true) {
            int n = counters.merge(prefix, 1, Integer::sum);
            String name = prefix + "_" + n;
            if (usedNames.add(name)) {
                return name;
            }
        }
    }

    private String claim(String name) {
        if (!usedNames.add(name)) {
            throw graphError("the value name '" + name + "' is already used in graph " + graphName);
        }
        return name;
    }

    /**
     * Routes {@link #output} calls to {@code interceptor} (which returns true when it took the value) instead
     * of declaring graph outputs; null restores declaring. Returns the previous interceptor.
     */
    public java.util.function.BiPredicate<String, Value> interceptOutputs(
            java.util.function.BiPredicate<String, Value> interceptor) {
        java.util.function.BiPredicate<String, Value> previous = outputInterceptor;
        outputInterceptor = interceptor;
        return previous;
    }

    /** Whether any node of the {@code ai.onnx.ml} domain was emitted. */
    public boolean usesMlDomain() {
        return usesMlDomain;
    }

    /** Whether the graph holds ai.onnx.ml 5's {@code TreeEnsemble} (the model must import ai.onnx.ml 5). */
    public boolean usesTreeEnsembleV5() {
        return usesTreeEnsembleV5;
    }

    // ---------------------------------------------------------------- graph inputs and outputs

    public Value input(String name, DType dtype, Shape shape) {
        Value v = new Value(claim(name), dtype, shape, this);
        inputs.add(valueInfo(v.name(), dtype, shape));
        return v;
    }

    /** Declares {@code v} as graph output {@code name} (an Identity node renames it when needed). */
    public Value output(String name, Value v) {
        own(v);
        if (outputInterceptor != null && outputInterceptor.test(name, v)) {
            return v; // taken by an enclosing meta-estimator (LoweringContext.capture)
        }
        Value out = v;
        if (!v.name().equals(name)) {
            out = emit(OpSchema.IDENTITY, List.of(v), List.of(), name, v.dtype(), v.shape());
        }
        outputs.add(valueInfo(out.name(), out.dtype(), out.shape()));
        return out;
    }

    // ---------------------------------------------------------------- initializers

    public Value floats(String hint, float[] data, long... dims) {
        checkCount(data.length, dims);
        ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        return raw(hint, DType.FLOAT, b.array(), dims);
    }

    public Value doubles(String hint, double[] data, long... dims) {
        checkCount(data.length, dims);
        ByteBuffer b = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(data);
        return raw(hint, DType.DOUBLE, b.array(), dims);
    }

    /** Floating values in the given precision (float32 values are rounded to nearest). */
    public Value reals(String hint, DType dtype, double[] data, long... dims) {
        if (dtype == DType.DOUBLE) {
            return doubles(hint, data, dims);
        }
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) data[i];
        }
        return floats(hint, f, dims);
    }

    public Value longs(String hint, long[] data, long... dims) {
        checkCount(data.length, dims);
        ByteBuffer b = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(data);
        return raw(hint, DType.INT64, b.array(), dims);
    }

    public Value ints(String hint, int[] data, long... dims) {
        checkCount(data.length, dims);
        ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(data);
        return raw(hint, DType.INT32, b.array(), dims);
    }

    public Value bools(String hint, boolean[] data, long... dims) {
        checkCount(data.length, dims);
        byte[] b = new byte[data.length];
        for (int i = 0; i < data.length; i++) {
            b[i] = (byte) (data[i] ? 1 : 0);
        }
        return raw(hint, DType.BOOL, b, dims);
    }

    public Value strings(String hint, List<String> data, long... dims) {
        checkCount(data.size(), dims);
        TensorProto.Builder t = TensorProto.newBuilder().setName(freshName(hint))
                .setDataType(DType.STRING.onnx().getNumber());
        for (long d : dims) {
            t.addDims(d);
        }
        for (String s : data) {
            t.addStringData(ByteString.copyFrom(s, StandardCharsets.UTF_8));
        }
        initializers.add(t.build());
        return new Value(t.getName(), DType.STRING, Shape.of(dims), this);
    }

    /** A cached scalar constant (rank 0) of a numeric type. */
    public Value scalar(DType dtype, double value) {
        String key = dtype + ":" + Double.doubleToRawLongBits(value);
        return scalarCache.computeIfAbsent(key, k -> switch (dtype) {
            case FLOAT -> floats("const", new float[]{(float) value});
            case DOUBLE -> doubles("const", new double[]{value});
            case INT32 -> ints("const", new int[]{(int) value});
            case INT64 -> longs("const", new long[]{(long) value});
            case BOOL -> bools("const", new boolean[]{value != 0});
            case STRING -> throw graphError("no numeric scalar of type STRING");
        });
    }

    private Value raw(String hint, DType dtype, byte[] bytes, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(freshName(hint))
                .setDataType(dtype.onnx().getNumber()).setRawData(ByteString.copyFrom(bytes));
        for (long d : dims) {
            t.addDims(d);
        }
        initializers.add(t.build());
        return new Value(t.getName(), dtype, Shape.of(dims), this);
    }

    private static void checkCount(long count, long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        if (n != count) {
            throw graphError("initializer has " + count + " values for shape " + Arrays.toString(dims));
        }
    }

    // ---------------------------------------------------------------- element-wise ops

    public Value add(Value a, Value b) {
        return binary(OpSchema.ADD, a, b);
    }

    public Value sub(Value a, Value b) {
        return binary(OpSchema.SUB, a, b);
    }

    public Value mul(Value a, Value b) {
        return binary(OpSchema.MUL, a, b);
    }

    public Value div(Value a, Value b) {
        return binary(OpSchema.DIV, a, b);
    }

    public Value pow(Value a, Value b) {
        return binary(OpSchema.POW, a, b);
    }

    public Value min(Value a, Value b) {
        return binary(OpSchema.MIN, a, b);
    }

    public Value max(Value a, Value b) {
        return binary(OpSchema.MAX, a, b);
    }

    private Value binary(OpSchema op, Value a, Value b) {
        requireSameType(op, a, b);
        return emit(op, List.of(a, b), List.of(), null, a.dtype(), broadcast(op, a.shape(), b.shape()));
    }

    public Value neg(Value x) {
        return unaryNumeric(OpSchema.NEG, x);
    }

    public Value abs(Value x) {
        return unaryNumeric(OpSchema.ABS, x);
    }

    public Value exp(Value x) {
        return unaryFloat(OpSchema.EXP, x);
    }

    public Value floor(Value x) {
        return unaryFloat(OpSchema.FLOOR, x);
    }

    public Value sqrt(Value x) {
        return unaryFloat(OpSchema.SQRT, x);
    }

    public Value log(Value x) {
        return unaryFloat(OpSchema.LOG, x);
    }

    /**
     * The logistic function as {@code 1 / (1 + exp(-x))}, the form scipy's {@code expit}, XGBoost and LightGBM
     * evaluate. ONNX Runtime's own {@code Sigmoid} kernel loses all relative precision for negative inputs
     * (float64: about 1e-9 relative at x = -16, exactly 0 below about -37 where expit gives 1e-16), which
     * one-vs-rest normalisation turns into wrong probabilities (measured 1.7e-7 absolute); this form stays
     * within 4 ulps of expit over [-700, 700] ({@code GraphBuilderTest}).
     */
    public Value sigmoid(Value x) {
        return div(scalar(x.dtype(), 1.0), add(scalar(x.dtype(), 1.0), exp(neg(x))));
    }

    public Value tanh(Value x) {
        return unaryFloat(OpSchema.TANH, x);
    }

    public Value relu(Value x) {
        return unaryFloat(OpSchema.RELU, x);
    }

    /**
     * TopK along the last axis: the {@code k} smallest (or largest) values in order and their int64 indices;
     * among equal values the lower index comes first (ONNX TopK's tie rule).
     *
     * @return {@code [values, indices]}
     */
    public Value[] topK(Value x, long k, boolean largest) {
        if (!x.dtype().isNumeric()) {
            throw graphError("TopK needs a numeric input, got " + x);
        }
        Shape out = x.shape().with(x.rank() - 1, Shape.Dim.of(k));
        Value values = emit(OpSchema.TOP_K, List.of(x, longs("k", new long[]{k}, 1)), List.of(
                Attribute.of("axis", -1), Attribute.of("largest", largest ? 1 : 0), Attribute.of("sorted", 1)),
                null, x.dtype(), out);
        String indices = freshName("topk_indices");
        int last = nodes.size() - 1;
        nodes.set(last, nodes.get(last).toBuilder().addOutput(indices).build());
        return new Value[]{values, new Value(indices, DType.INT64, out, this)};
    }

    public Value softmax(Value x, int axis) {
        requireFloat(OpSchema.SOFTMAX, x);
        return emit(OpSchema.SOFTMAX, List.of(x), List.of(Attribute.of("axis", axis)), null, x.dtype(), x.shape());
    }

    private Value unaryNumeric(OpSchema op, Value x) {
        if (!x.dtype().isNumeric()) {
            throw graphError(op.opType() + " needs a numeric input, got " + x);
        }
        return emit(op, List.of(x), List.of(), null, x.dtype(), x.shape());
    }

    private Value unaryFloat(OpSchema op, Value x) {
        requireFloat(op, x);
        return emit(op, List.of(x), List.of(), null, x.dtype(), x.shape());
    }

    // ---------------------------------------------------------------- comparisons and logic

    public Value less(Value a, Value b) {
        return compare(OpSchema.LESS, a, b);
    }

    public Value lessOrEqual(Value a, Value b) {
        return compare(OpSchema.LESS_OR_EQUAL, a, b);
    }

    public Value greater(Value a, Value b) {
        return compare(OpSchema.GREATER, a, b);
    }

    public Value greaterOrEqual(Value a, Value b) {
        return compare(OpSchema.GREATER_OR_EQUAL, a, b);
    }

    public Value and(Value a, Value b) {
        if (a.dtype() != DType.BOOL || b.dtype() != DType.BOOL) {
            throw graphError("And needs bool inputs, got " + a + ", " + b);
        }
        return emit(OpSchema.AND, List.of(a, b), List.of(), null, DType.BOOL, broadcast(OpSchema.AND, a.shape(), b.shape()));
    }

    public Value equal(Value a, Value b) {
        return compare(OpSchema.EQUAL, a, b);
    }

    private Value compare(OpSchema op, Value a, Value b) {
        requireSameType(op, a, b);
        return emit(op, List.of(a, b), List.of(), null, DType.BOOL, broadcast(op, a.shape(), b.shape()));
    }

    public Value not(Value x) {
        if (x.dtype() != DType.BOOL) {
            throw graphError("Not needs a bool input, got " + x);
        }
        return emit(OpSchema.NOT, List.of(x), List.of(), null, DType.BOOL, x.shape());
    }

    public Value isNaN(Value x) {
        requireFloat(OpSchema.IS_NAN, x);
        return emit(OpSchema.IS_NAN, List.of(x), List.of(), null, DType.BOOL, x.shape());
    }

    public Value where(Value condition, Value whenTrue, Value whenFalse) {
        if (condition.dtype() != DType.BOOL) {
            throw graphError("Where needs a bool condition, got " + condition);
        }
        requireSameType(OpSchema.WHERE, whenTrue, whenFalse);
        Shape s = broadcast(OpSchema.WHERE, condition.shape(),
                broadcast(OpSchema.WHERE, whenTrue.shape(), whenFalse.shape()));
        return emit(OpSchema.WHERE, List.of(condition, whenTrue, whenFalse), List.of(), null, whenTrue.dtype(), s);
    }

    public Value cast(Value x, DType to) {
        if (x.dtype() == to) {
            return x;
        }
        return emit(OpSchema.CAST, List.of(x), List.of(Attribute.of("to", to.onnx().getNumber())), null, to,
                x.shape());
    }

    // ---------------------------------------------------------------- linear algebra, indexing, shapes

    /** MatMul of rank-2 or rank-3 (batched) operands. */
    public Value matMul(Value a, Value b) {
        requireSameType(OpSchema.MAT_MUL, a, b);
        if (!a.dtype().isFloating()) {
            throw graphError("MatMul needs floating operands (ORT has no integer MatMul on CUDA), got " + a);
        }
        if (a.rank() < 2 || b.rank() < 2) {
            throw graphError("MatMul operands must have rank >= 2: " + a + ", " + b);
        }
        long k1 = a.shape().size(-1);
        long k2 = b.shape().size(-2);
        if (k1 >= 0 && k2 >= 0 && k1 != k2) {
            throw graphError("MatMul inner dimensions differ: " + a + " x " + b);
        }
        Shape batchA = new Shape(a.shape().dims().subList(0, a.rank() - 2));
        Shape batchB = new Shape(b.shape().dims().subList(0, b.rank() - 2));
        List<Shape.Dim> dims = new ArrayList<>(broadcast(OpSchema.MAT_MUL, batchA, batchB).dims());
        dims.add(a.shape().dim(-2));
        dims.add(b.shape().dim(-1));
        return emit(OpSchema.MAT_MUL, List.of(a, b), List.of(), null, a.dtype(), new Shape(dims));
    }

    public Value gather(Value data, Value indices, int axis) {
        requireIndices(OpSchema.GATHER, indices);
        int ax = axis < 0 ? axis + data.rank() : axis;
        List<Shape.Dim> dims = new ArrayList<>(data.shape().dims().subList(0, ax));
        dims.addAll(indices.shape().dims());
        dims.addAll(data.shape().dims().subList(ax + 1, data.rank()));
        return emit(OpSchema.GATHER, List.of(data, indices), List.of(Attribute.of("axis", ax)), null, data.dtype(),
                new Shape(dims));
    }

    public Value gatherElements(Value data, Value indices, int axis) {
        requireIndices(OpSchema.GATHER_ELEMENTS, indices);
        if (data.rank() != indices.rank()) {
            throw graphError("GatherElements needs data and indices of equal rank: " + data + ", " + indices);
        }
        return emit(OpSchema.GATHER_ELEMENTS, List.of(data, indices), List.of(Attribute.of("axis", axis)), null,
                data.dtype(), indices.shape());
    }

    public Value concat(int axis, List<Value> parts) {
        if (parts.isEmpty()) {
            throw graphError("Concat needs at least one input");
        }
        Value first = parts.get(0);
        int ax = axis < 0 ? axis + first.rank() : axis;
        long total = 0;
        for (Value p : parts) {
            requireSameType(OpSchema.CONCAT, first, p);
            if (p.rank() != first.rank()) {
                throw graphError("Concat inputs differ in rank: " + first + ", " + p);
            }
            long s = p.shape().size(ax);
            total = (total < 0 || s < 0) ? -1 : total + s;
        }
        Shape s = first.shape().with(ax, total < 0 ? Shape.Dim.symbol("concat") : Shape.Dim.of(total));
        return emit(OpSchema.CONCAT, parts, List.of(Attribute.of("axis", ax)), null, first.dtype(), s);
    }

    /**
     * Reshape to {@code target} (ONNX semantics: 0 copies the input dimension, -1 is inferred);
     * {@code result} is the shape the caller knows the output has.
     */
    public Value reshape(Value x, long[] target, Shape result) {
        Value shape = longs("shape", target.clone(), target.length);
        return emit(OpSchema.RESHAPE, List.of(x, shape), List.of(), null, x.dtype(), result);
    }

    public Value transpose(Value x, int... perm) {
        if (perm.length != x.rank()) {
            throw graphError("Transpose perm " + Arrays.toString(perm) + " does not match " + x);
        }
        List<Shape.Dim> dims = new ArrayList<>();
        long[] p = new long[perm.length];
        for (int i = 0; i < perm.length; i++) {
            dims.add(x.shape().dim(perm[i]));
            p[i] = perm[i];
        }
        return emit(OpSchema.TRANSPOSE, List.of(x), List.of(Attribute.ints("perm", p)), null, x.dtype(),
                new Shape(dims));
    }

    public Value reduceSum(Value x, int axis, boolean keepDims) {
        int ax = axis < 0 ? axis + x.rank() : axis;
        Value axes = longs("axes", new long[]{ax}, 1);
        List<Shape.Dim> dims = new ArrayList<>(x.shape().dims());
        if (keepDims) {
            dims.set(ax, Shape.Dim.of(1));
        } else {
            dims.remove(ax);
        }
        return emit(OpSchema.REDUCE_SUM, List.of(x, axes), List.of(Attribute.of("keepdims", keepDims ? 1 : 0)),
                null, x.dtype(), new Shape(dims));
    }

    /** Index of the first maximum along {@code axis} (int64), dropping that axis. */
    public Value argMax(Value x, int axis) {
        int ax = axis < 0 ? axis + x.rank() : axis;
        List<Shape.Dim> dims = new ArrayList<>(x.shape().dims());
        dims.remove(ax);
        return emit(OpSchema.ARG_MAX, List.of(x),
                List.of(Attribute.of("axis", ax), Attribute.of("keepdims", 0), Attribute.of("select_last_index", 0)),
                null, DType.INT64, new Shape(dims));
    }

    public Value unsqueeze(Value x, int axis) {
        int ax = axis < 0 ? axis + x.rank() + 1 : axis;
        Value axes = longs("axes", new long[]{ax}, 1);
        List<Shape.Dim> dims = new ArrayList<>(x.shape().dims());
        dims.add(ax, Shape.Dim.of(1));
        return emit(OpSchema.UNSQUEEZE, List.of(x, axes), List.of(), null, x.dtype(), new Shape(dims));
    }

    public Value squeeze(Value x, int axis) {
        int ax = axis < 0 ? axis + x.rank() : axis;
        long size = x.shape().size(ax);
        if (size != 1 && size != -1) {
            throw graphError("Squeeze of axis " + ax + " with size " + size + " in " + x);
        }
        Value axes = longs("axes", new long[]{ax}, 1);
        List<Shape.Dim> dims = new ArrayList<>(x.shape().dims());
        dims.remove(ax);
        return emit(OpSchema.SQUEEZE, List.of(x, axes), List.of(), null, x.dtype(), new Shape(dims));
    }

    /**
     * {@code ai.onnx.ml} LabelEncoder from strings to int64: each element equal to {@code keys[i]} becomes
     * {@code values[i]}, any other {@code otherwise}. The one string op ml2tensor emits: opset 17's Equal
     * does not take strings, and ONNX Runtime runs string tensors on the CPU whatever the op.
     */
    public Value labelEncoder(Value strings, List<String> keys, long[] values, long otherwise) {
        if (strings.dtype() != DType.STRING) {
            throw graphError("LabelEncoder needs a string input, got " + strings);
        }
        if (keys.size() != values.length || keys.isEmpty()) {
            throw graphError("LabelEncoder needs as many values as keys (at least one)");
        }
        return emit(OpSchema.LABEL_ENCODER, List.of(strings), List.of(Attribute.strings("keys_strings", keys),
                Attribute.ints("values_int64s", values), Attribute.of("default_int64", otherwise)), null,
                DType.INT64, strings.shape());
    }

    /**
     * Emits an op whose output type the caller states (used for ops without a typed method, such as the
     * {@code ai.onnx.ml} tree ensembles). The contract of {@code op} is still checked.
     */
    public Value custom(OpSchema op, List<Value> inputs, List<Attribute> attributes, DType outType, Shape outShape) {
        return emit(op, inputs, attributes, null, outType, outShape);
    }

    // ---------------------------------------------------------------- node emission and checks

    private Value emit(OpSchema op, List<Value> in, List<Attribute> attrs, String outName, DType outType,
                       Shape outShape) {
        if (in.size() < op.minInputs() || in.size() > op.maxInputs()) {
            throw graphError("building " + describe(op) + ": expected " + op.minInputs()
                    + (op.maxInputs() == op.minInputs() ? "" : ".." + (op.maxInputs() == Integer.MAX_VALUE ? "n" : op.maxInputs()))
                    + " inputs but received " + in.size());
        }
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(op.opType());
        if (!op.domain().isEmpty()) {
            node.setDomain(op.domain());
            usesMlDomain |= OpSchema.ML_DOMAIN.equals(op.domain());
            usesTreeEnsembleV5 |= op == OpSchema.TREE_ENSEMBLE;
        }
        for (Value v : in) {
            own(v);
            node.addInput(v.name());
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Attribute a : attrs) {
            OpSchema.AttrKind expected = op.attributes().get(a.name());
            if (expected == null) {
                throw graphError("building " + describe(op) + ": unknown attribute '" + a.name() + "'; allowed: "
                        + new java.util.TreeSet<>(op.attributes().keySet()));
            }
            if (expected != OpSchema.kindOf(a)) {
                throw graphError("building " + describe(op) + ": attribute '" + a.name() + "' must be " + expected
                        + " but is " + OpSchema.kindOf(a));
            }
            if (!seen.add(a.name())) {
                throw graphError("building " + describe(op) + ": attribute '" + a.name() + "' given twice");
            }
            node.addAttribute(toProto(a));
        }
        String name = outName != null ? claim(outName) : freshName(op.opType().toLowerCase(java.util.Locale.ROOT));
        node.addOutput(name);
        node.setName(name);
        nodes.add(node.build());
        return new Value(name, outType, outShape, this);
    }

    private static String describe(OpSchema op) {
        return (op.domain().isEmpty() ? "" : op.domain() + ":") + op.opType();
    }

    private void own(Value v) {
        if (v.owner() != this) {
            throw graphError("value " + v.name() + " belongs to another graph than " + graphName);
        }
    }

    private static void requireSameType(OpSchema op, Value a, Value b) {
        if (a.dtype() != b.dtype()) {
            throw graphError(op.opType() + " operands differ in element type: " + a + ", " + b);
        }
    }

    private static void requireFloat(OpSchema op, Value x) {
        if (!x.dtype().isFloating()) {
            throw graphError(op.opType() + " needs a floating input, got " + x);
        }
    }

    private static void requireIndices(OpSchema op, Value indices) {
        if (!indices.dtype().isInteger()) {
            throw graphError(op.opType() + " indices must be int32 or int64, got " + indices);
        }
    }

    /** Numpy-style broadcast of two shapes; symbolic dimensions broadcast with 1 and with themselves. */
    static Shape broadcast(OpSchema op, Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        List<Shape.Dim> dims = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            int ia = i - (rank - a.rank());
            int ib = i - (rank - b.rank());
            Shape.Dim da = ia >= 0 ? a.dims().get(ia) : Shape.Dim.of(1);
            Shape.Dim db = ib >= 0 ? b.dims().get(ib) : Shape.Dim.of(1);
            dims.add(broadcastDim(op, a, b, da, db));
        }
        return new Shape(dims);
    }

    private static Shape.Dim broadcastDim(OpSchema op, Shape a, Shape b, Shape.Dim da, Shape.Dim db) {
        if (da.equals(db)) {
            return da;
        }
        if (da instanceof Shape.Fixed fa && fa.size() == 1) {
            return db;
        }
        if (db instanceof Shape.Fixed fb && fb.size() == 1) {
            return da;
        }
        if (da instanceof Shape.Fixed && db instanceof Shape.Fixed) {
            throw graphError(op.opType() + " shapes do not broadcast: " + a + " and " + b);
        }
        return da instanceof Shape.Fixed ? da : db;
    }

    private static AttributeProto toProto(Attribute a) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(a.name());
        if (a instanceof Attribute.Int i) {
            b.setType(AttributeProto.AttributeType.INT).setI(i.value());
        } else if (a instanceof Attribute.Ints i) {
            b.setType(AttributeProto.AttributeType.INTS);
            for (long v : i.values()) {
                b.addInts(v);
            }
        } else if (a instanceof Attribute.Float f) {
            b.setType(AttributeProto.AttributeType.FLOAT).setF(f.value());
        } else if (a instanceof Attribute.Floats f) {
            b.setType(AttributeProto.AttributeType.FLOATS);
            for (float v : f.values()) {
                b.addFloats(v);
            }
        } else if (a instanceof Attribute.Str s) {
            b.setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s.value()));
        } else if (a instanceof Attribute.Strs s) {
            b.setType(AttributeProto.AttributeType.STRINGS);
            for (String v : s.values()) {
                b.addStrings(ByteString.copyFromUtf8(v));
            }
        } else if (a instanceof Attribute.Tensor t) {
            b.setType(AttributeProto.AttributeType.TENSOR).setT(t.value());
        }
        return b.build();
    }

    private static ValueInfoProto valueInfo(String name, DType dtype, Shape shape) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (Shape.Dim d : shape.dims()) {
            if (d instanceof Shape.Fixed f) {
                s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(f.size()));
            } else {
                s.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(((Shape.Symbolic) d).name()));
            }
        }
        TypeProto type = TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(dtype.onnx().getNumber()).setShape(s)).build();
        return ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }

    static Ml2TensorException graphError(String message) {
        return Ml2TensorException.of(ErrorCode.GRAPH, message)
                .hint("this is a defect of the ml2tensor compiler; please report it with the model").build();
    }

    /** The finished graph. */
    public GraphProto build() {
        if (outputs.isEmpty()) {
            throw graphError("graph " + graphName + " has no outputs");
        }
        return GraphProto.newBuilder().setName(graphName).addAllInput(inputs).addAllOutput(outputs)
                .addAllInitializer(initializers).addAllNode(nodes).build();
    }

    /** Number of nodes emitted so far. */
    public int nodeCount() {
        return nodes.size();
    }
}
