package org.ml2tensor.ir;

/**
 * Dispatch over every {@link Estimator} kind. Adding an IR record means adding its method here (or to
 * {@link TransformerVisitor}); every visitor — lowering, reference evaluation, test evaluators — then stops
 * compiling until it handles the new kind, so no dispatch can be forgotten.
 */
public interface EstimatorVisitor<R> {
    R visitPipeline(Pipeline pipeline);

    R visitTransformer(Transformer transformer);

    R visitLinearModel(LinearModel model);

    R visitTreeEnsemble(TreeEnsemble ensemble);

    R visitTargetTransform(TargetTransform model);

    R visitKernelSvm(KernelSvm svm);

    R visitMlp(Mlp mlp);

    R visitNeighbors(Neighbors neighbors);

    R visitQuadraticModel(QuadraticModel model);

    R visitEnsemble(Ensemble ensemble);

    R visitMultiTarget(MultiTarget model);

    R visitLogProbabilities(LogProbabilities model);
}
