package org.ml2tensor.ir;

import java.util.Objects;

/**
 * Per-class (or per-centre) quadratic scores, {@code raw_k = offsets_k + factor · q_k(x)}, then
 * {@link #transform()} and {@link #head()}:
 * <ul>
 *   <li>with {@code projections}: {@code q_k = ‖(x − means_k) · projections_k‖²} ({@code projections_k} is
 *       {@code [inputs][r_k]}; QuadraticDiscriminantAnalysis folds {@code rotations_k · scalings_k^-½} into it);</li>
 *   <li>without: {@code q_k = Σ_j (x_j − means_kj)² / divisors_kj} (GaussianNB: {@code var_}), or
 *       {@code Σ_j (x_j − means_kj)²} when {@code divisors} is null too (KMeans: squared distances).</li>
 * </ul>
 * GaussianNB and QDA use {@code factor = −½} and SOFTMAX; KMeans uses {@code factor = −1} and
 * {@link ScoreTransform#SQRT_NEG}, so the label (first arg-max of the raw scores) is the nearest centre and the
 * scores are the Euclidean distances.
 *
 * @param means       {@code [outputs][inputs]}
 * @param projections {@code [outputs][inputs][r_k]}, or null
 * @param divisors    {@code [outputs][inputs]}, or null (only without projections)
 * @param offsets     {@code [outputs]}
 * @param factor      multiplier of {@code q_k}
 * @param transform   score transform
 * @param head        meaning of the scores
 */
public record QuadraticModel(double[][] means, double[][][] projections, double[][] divisors, double[] offsets,
                             double factor, ScoreTransform transform, Head head) implements Predictor {
    public QuadraticModel {
        Objects.requireNonNull(transform, "transform");
        Objects.requireNonNull(head, "head");
        if (means.length == 0 || means[0].length == 0) {
            throw new IllegalArgumentException("means must be non-empty");
        }
        int width = means[0].length;
        for (double[] m : means) {
            if (m.length != width) {
                throw new IllegalArgumentException("ragged means");
            }
        }
        if (offsets.length != means.length) {
            throw new IllegalArgumentException(offsets.length + " offsets for " + means.length + " outputs");
        }
        if (projections != null) {
            if (divisors != null) {
                throw new IllegalArgumentException("projections and divisors are exclusive");
            }
            if (projections.length != means.length) {
                throw new IllegalArgumentException(projections.length + " projections for " + means.length + " outputs");
            }
            for (double[][] p : projections) {
                if (p.length != width || p[0].length == 0) {
                    throw new IllegalArgumentException("a projection must be [" + width + "][r], r >= 1");
                }
                for (double[] row : p) {
                    if (row.length != p[0].length) {
                        throw new IllegalArgumentException("ragged projection");
                    }
                }
            }
        }
        if (divisors != null) {
            if (divisors.length != means.length) {
                throw new IllegalArgumentException(divisors.length + " divisor rows for " + means.length + " outputs");
            }
            for (double[] d : divisors) {
                if (d.length != width) {
                    throw new IllegalArgumentException("ragged divisors");
                }
            }
        }
    }

    /** The largest projection width r_k (0 without projections). */
    public int rank() {
        int r = 0;
        if (projections != null) {
            for (double[][] p : projections) {
                r = Math.max(r, p[0].length);
            }
        }
        return r;
    }

    @Override
    public int inputWidth() {
        return means[0].length;
    }

    @Override
    public int outputWidth() {
        return means.length;
    }

    @Override
    public boolean[] missingInputs() {
        return Missing.all(inputWidth(), false);
    }

    @Override
    public <R> R accept(EstimatorVisitor<R> visitor) {
        return visitor.visitQuadraticModel(this);
    }
}
