package org.ml2tensor.ir;

/** Dispatch over every {@link Transformer} record; see {@link EstimatorVisitor}. */
public interface TransformerVisitor<R> {
    R visitAffine(Transformer.Affine t);

    R visitProjection(Transformer.Projection t);

    R visitImpute(Transformer.Impute t);

    R visitImputeStrings(Transformer.ImputeStrings t);

    R visitMissingIndicator(Transformer.MissingIndicator t);

    R visitOneHotEncode(Transformer.OneHotEncode t);

    R visitOrdinalEncode(Transformer.OrdinalEncode t);

    R visitElementwise(Transformer.Elementwise t);

    R visitSelectColumns(Transformer.SelectColumns t);

    R visitNormalize(Transformer.Normalize t);

    R visitBinarize(Transformer.Binarize t);

    R visitChain(Transformer.Chain t);

    R visitUnion(Transformer.Union t);

    R visitDiscretize(Discretize t);

    R visitPolynomial(Polynomial t);

    R visitPowerTransform(PowerTransform t);

    R visitQuantileTransform(QuantileTransform t);

    R visitSpline(Spline t);

    R visitKnnImpute(KnnImpute t);
}
