package org.ml2tensor.ir;

import java.util.Objects;

/**
 * PowerTransformer: per column the Yeo-Johnson or Box-Cox transform with {@code lambdas_[j]}, then, when
 * {@code standardize=True}, {@code (y - mean) / scale} of the internal StandardScaler. NaN passes through.
 * <ul>
 *   <li>Yeo-Johnson, x ≥ 0: {@code ((x + 1)^λ - 1) / λ}, or {@code log(x + 1)} when λ = 0;
 *       x &lt; 0: {@code -((1 - x)^(2-λ) - 1) / (2 - λ)}, or {@code -log(1 - x)} when λ = 2;</li>
 *   <li>Box-Cox: {@code (x^λ - 1) / λ}, or {@code log x} when λ = 0.</li>
 * </ul>
 *
 * @param mean  the scaler's {@code mean_} (null without standardisation)
 * @param scale the scaler's {@code scale_} (null without standardisation)
 */
public record PowerTransform(Method method, double[] lambdas, double[] mean, double[] scale)
        implements Transformer.SameColumns {
    /** The power transform family. */
    public enum Method { YEO_JOHNSON, BOX_COX }

    /** |λ| (or |λ - 2|) below this counts as 0 (2), as scikit-learn's {@code np.spacing(1.0)}. */
    public static final double EPS = Math.ulp(1.0);

    public PowerTransform {
        Objects.requireNonNull(method, "method");
        if ((mean == null) != (scale == null) || mean != null && (mean.length != lambdas.length
                || scale.length != lambdas.length)) {
            throw new IllegalArgumentException("standardisation needs a mean and a scale per column");
        }
        for (double l : lambdas) {
            if (!Double.isFinite(l)) {
                throw new IllegalArgumentException("lambda " + l + " is not finite");
            }
        }
    }

    /** The transform of {@code x} in column {@code j}, before standardisation. */
    public double power(int j, double x) {
        double l = lambdas[j];
        if (method == Method.BOX_COX) {
            return Math.abs(l) < EPS ? Math.log(x) : (Math.pow(x, l) - 1) / l;
        }
        if (x >= 0) {
            return Math.abs(l) < EPS ? Math.log1p(x) : (Math.pow(x + 1, l) - 1) / l;
        }
        return Math.abs(l - 2) > EPS ? -(Math.pow(1 - x, 2 - l) - 1) / (2 - l) : -Math.log1p(-x);
    }

    /** The output of {@code x} in column {@code j}. */
    public double apply(int j, double x) {
        double y = power(j, x);
        return mean == null ? y : (y - mean[j]) / scale[j];
    }

    @Override
    public int width() {
        return lambdas.length;
    }

    @Override
    public <R> R accept(TransformerVisitor<R> visitor) {
        return visitor.visitPowerTransform(this);
    }
}
