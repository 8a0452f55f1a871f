package org.ml2tensor.compiler;

/**
 * What the compiler decided and produced.
 *
 * @param estimator      short description of the lowered estimator (e.g. {@code TreeEnsemble(100 trees)})
 * @param strategy       {@code linear}, {@code transform}, or the tree strategy's CLI name
 * @param strategyReason why that strategy was chosen
 * @param trees          number of trees (0 for non-tree models)
 * @param maxDepth       deepest tree (0 for non-tree models)
 * @param treeNodes      total tree nodes (0 for non-tree models)
 * @param graphNodes     ONNX nodes emitted
 * @param onnxBytes      size of the serialised model
 * @param precision      the precision option
 * @param inputType      element type of the graph's numeric input: {@code float32} or {@code float64}
 * @param inexactSteps   steps whose results are no longer the library's, with the reason (fast mode)
 * @param stepGraph      the lowered step graph, one indented line per IR node with its lowering and node count
 */
public record CompileReport(String estimator, String strategy, String strategyReason, int trees, int maxDepth,
                            long treeNodes, int graphNodes, long onnxBytes, Precision precision, String inputType,
                            java.util.List<String> inexactSteps, java.util.List<String> stepGraph) {
    public CompileReport {
        inexactSteps = java.util.List.copyOf(inexactSteps);
        stepGraph = java.util.List.copyOf(stepGraph);
    }
}
