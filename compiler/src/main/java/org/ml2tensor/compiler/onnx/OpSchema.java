package org.ml2tensor.compiler.onnx;

import java.util.Map;

/**
 * The ONNX operators ml2tensor emits, with the contract checked when a node is built: domain, input
 * arity, output count and the attributes (with their kinds) the op accepts. Forms are those of
 * opset 13 and later (axes of ReduceSum/Squeeze/Unsqueeze as inputs).
 */
public enum OpSchema {
    IDENTITY("Identity", 1, 1, 1, Map.of()),
    ADD("Add", 2, 2, 1, Map.of()),
    SUB("Sub", 2, 2, 1, Map.of()),
    MUL("Mul", 2, 2, 1, Map.of()),
    DIV("Div", 2, 2, 1, Map.of()),
    POW("Pow", 2, 2, 1, Map.of()),
    NEG("Neg", 1, 1, 1, Map.of()),
    ABS("Abs", 1, 1, 1, Map.of()),
    SQRT("Sqrt", 1, 1, 1, Map.of()),
    FLOOR("Floor", 1, 1, 1, Map.of()),
    EXP("Exp", 1, 1, 1, Map.of()),
    LOG("Log", 1, 1, 1, Map.of()),
    SIGMOID("Sigmoid", 1, 1, 1, Map.of()),
    SOFTMAX("Softmax", 1, 1, 1, Map.of("axis", AttrKind.INT)),
    MAT_MUL("MatMul", 2, 2, 1, Map.of()),
    GATHER("Gather", 2, 2, 1, Map.of("axis", AttrKind.INT)),
    GATHER_ELEMENTS("GatherElements", 2, 2, 1, Map.of("axis", AttrKind.INT)),
    LESS("Less", 2, 2, 1, Map.of()),
    LESS_OR_EQUAL("LessOrEqual", 2, 2, 1, Map.of()),
    GREATER("Greater", 2, 2, 1, Map.of()),
    GREATER_OR_EQUAL("GreaterOrEqual", 2, 2, 1, Map.of()),
    AND("And", 2, 2, 1, Map.of()),
    EQUAL("Equal", 2, 2, 1, Map.of()),
    NOT("Not", 1, 1, 1, Map.of()),
    WHERE("Where", 3, 3, 1, Map.of()),
    IS_NAN("IsNaN", 1, 1, 1, Map.of()),
    CAST("Cast", 1, 1, 1, Map.of("to", AttrKind.INT)),
    CONCAT("Concat", 1, Integer.MAX_VALUE, 1, Map.of("axis", AttrKind.INT)),
    RESHAPE("Reshape", 2, 2, 1, Map.of()),
    TRANSPOSE("Transpose", 1, 1, 1, Map.of("perm", AttrKind.INTS)),
    REDUCE_SUM("ReduceSum", 1, 2, 1, Map.of("keepdims", AttrKind.INT, "noop_with_empty_axes", AttrKind.INT)),
    ARG_MAX("ArgMax", 1, 1, 1, Map.of("axis", AttrKind.INT, "keepdims", AttrKind.INT, "select_last_index", AttrKind.INT)),
    UNSQUEEZE("Unsqueeze", 2, 2, 1, Map.of()),
    SQUEEZE("Squeeze", 1, 2, 1, Map.of()),
    MIN("Min", 1, Integer.MAX_VALUE, 1, Map.of()),
    MAX("Max", 1, Integer.MAX_VALUE, 1, Map.of()),
    TANH("Tanh", 1, 1, 1, Map.of()),
    RELU("Relu", 1, 1, 1, Map.of()),
    TOP_K("TopK", 2, 2, 2, Map.of("axis", AttrKind.INT, "largest", AttrKind.INT, "sorted", AttrKind.INT)),
    LABEL_ENCODER("LabelEncoder", "ai.onnx.ml", 1, 1, 1, Map.of("keys_strings", AttrKind.STRINGS,
            "values_int64s", AttrKind.INTS, "default_int64", AttrKind.INT)),
    TREE_ENSEMBLE_REGRESSOR("TreeEnsembleRegressor", "ai.onnx.ml", 1, 1, 1, Map.ofEntries(
            Map.entry("aggregate_function", AttrKind.STRING),
            Map.entry("base_values", AttrKind.FLOATS),
            Map.entry("base_values_as_tensor", AttrKind.TENSOR),
            Map.entry("n_targets", AttrKind.INT),
            Map.entry("nodes_falsenodeids", AttrKind.INTS),
            Map.entry("nodes_featureids", AttrKind.INTS),
            Map.entry("nodes_hitrates", AttrKind.FLOATS),
            Map.entry("nodes_missing_value_tracks_true", AttrKind.INTS),
            Map.entry("nodes_modes", AttrKind.STRINGS),
            Map.entry("nodes_nodeids", AttrKind.INTS),
            Map.entry("nodes_treeids", AttrKind.INTS),
            Map.entry("nodes_truenodeids", AttrKind.INTS),
            Map.entry("nodes_values", AttrKind.FLOATS),
            Map.entry("nodes_values_as_tensor", AttrKind.TENSOR),
            Map.entry("post_transform", AttrKind.STRING),
            Map.entry("target_ids", AttrKind.INTS),
            Map.entry("target_nodeids", AttrKind.INTS),
            Map.entry("target_treeids", AttrKind.INTS),
            Map.entry("target_weights", AttrKind.FLOATS),
            Map.entry("target_weights_as_tensor", AttrKind.TENSOR))),
    /** ai.onnx.ml 5's tree ensemble: thresholds, leaf weights and output in the input type (float64 here). */
    TREE_ENSEMBLE("TreeEnsemble", "ai.onnx.ml", 1, 1, 1, Map.ofEntries(
            Map.entry("aggregate_function", AttrKind.INT),
            Map.entry("leaf_targetids", AttrKind.INTS),
            Map.entry("leaf_weights", AttrKind.TENSOR),
            Map.entry("n_targets", AttrKind.INT),
            Map.entry("nodes_falseleafs", AttrKind.INTS),
            Map.entry("nodes_falsenodeids", AttrKind.INTS),
            Map.entry("nodes_featureids", AttrKind.INTS),
            Map.entry("nodes_missing_value_tracks_true", AttrKind.INTS),
            Map.entry("nodes_modes", AttrKind.TENSOR),
            Map.entry("nodes_splits", AttrKind.TENSOR),
            Map.entry("nodes_trueleafs", AttrKind.INTS),
            Map.entry("nodes_truenodeids", AttrKind.INTS),
            Map.entry("post_transform", AttrKind.INT),
            Map.entry("tree_roots", AttrKind.INTS)));

    /** Kinds of attribute values. */
    public enum AttrKind { INT, INTS, FLOAT, FLOATS, STRING, STRINGS, TENSOR }

    public static final String ML_DOMAIN = "ai.onnx.ml";

    private final String opType;
    private final String domain;
    private final int minInputs;
    private final int maxInputs;
    private final int outputs;
    private final Map<String, AttrKind> attributes;

    OpSchema(String opType, int minInputs, int maxInputs, int outputs, Map<String, AttrKind> attributes) {
        this(opType, "", minInputs, maxInputs, outputs, attributes);
    }

    OpSchema(String opType, String domain, int minInputs, int maxInputs, int outputs,
             Map<String, AttrKind> attributes) {
        this.opType = opType;
        this.domain = domain;
        this.minInputs = minInputs;
        this.maxInputs = maxInputs;
        this.outputs = outputs;
        this.attributes = attributes;
    }

    public String opType() {
        return opType;
    }

    /** Empty for the default ONNX domain. */
    public String domain() {
        return domain;
    }

    public int minInputs() {
        return minInputs;
    }

    public int maxInputs() {
        return maxInputs;
    }

    public int outputs() {
        return outputs;
    }

    public Map<String, AttrKind> attributes() {
        return attributes;
    }

    /** The kind an attribute value has. */
    static AttrKind kindOf(Attribute a) {
        if (a instanceof Attribute.Int) {
            return AttrKind.INT;
        } else if (a instanceof Attribute.Ints) {
            return AttrKind.INTS;
        } else if (a instanceof Attribute.Float) {
            return AttrKind.FLOAT;
        } else if (a instanceof Attribute.Floats) {
            return AttrKind.FLOATS;
        } else if (a instanceof Attribute.Str) {
            return AttrKind.STRING;
        } else if (a instanceof Attribute.Strs) {
            return AttrKind.STRINGS;
        }
        return AttrKind.TENSOR;
    }
}
