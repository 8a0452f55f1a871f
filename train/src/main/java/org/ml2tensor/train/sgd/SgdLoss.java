package org.ml2tensor.train.sgd;

/**
 * The per-sample losses of scikit-learn's SGD ({@code _sgd_fast.pyx.tp}, {@code _loss.pyx.tp}):
 * {@link #loss} is the value (for the running loss and the passive-aggressive step), {@link #dloss} the
 * derivative with respect to the prediction {@code p}, both with scikit-learn's cut-offs.
 */
public sealed interface SgdLoss {
    double loss(double y, double p);

    double dloss(double y, double p);

    /** Whether labels are {0, 1} rather than {-1, +1} (scikit-learn 1.9's half-binomial log loss). */
    default boolean zeroOneLabels() {
        return false;
    }

    /** {@code Hinge(threshold)}: hinge (1) and perceptron (0); passive-aggressive treats it as classification. */
    record Hinge(double threshold) implements SgdLoss {
        @Override
        public double loss(double y, double p) {
            double z = p * y;
            return z <= threshold ? threshold - z : 0.0;
        }

        @Override
        public double dloss(double y, double p) {
            return p * y <= threshold ? -y : 0.0;
        }
    }

    /** {@code SquaredHinge(1)}. */
    record SquaredHinge(double threshold) implements SgdLoss {
        @Override
        public double loss(double y, double p) {
            double z = threshold - p * y;
            return z > 0 ? z * z : 0.0;
        }

        @Override
        public double dloss(double y, double p) {
            double z = threshold - p * y;
            return z > 0 ? -2 * y * z : 0.0;
        }
    }

    /** {@code ModifiedHuber}. */
    record ModifiedHuber() implements SgdLoss {
        @Override
        public double loss(double y, double p) {
            double z = p * y;
            if (z >= 1.0) {
                return 0.0;
            } else if (z >= -1.0) {
                return (1.0 - z) * (1.0 - z);
            }
            return -4.0 * z;
        }

        @Override
        public double dloss(double y, double p) {
            double z = p * y;
            if (z >= 1.0) {
                return 0.0;
            } else if (z >= -1.0) {
                return 2.0 * (1.0 - z) * -y;
            }
            return -4.0 * y;
        }
    }

    /** scikit-learn ≤ 1.5's {@code Log}: labels ±1, cut-offs at |y·p| &gt; 18. */
    record LogPlusMinus() implements SgdLoss {
        @Override
        public double loss(double y, double p) {
            double z = p * y;
            if (z > 18) {
                return Math.exp(-z);
            }
            if (z < -18) {
                return -z;
            }
            return Math.log(1.0 + Math.exp(-z));
        }

        @Override
        public double dloss(double y, double p) {
            double z = p * y;
            if (z > 18.0) {
                return Math.exp(-z) * -y;
            }
            if (z < -18.0) {
                return -y;
            }
            return -y / (Math.exp(z) + 1.0);
        }
    }

    /** scikit-learn 1.6+'s {@code CyHalfBinomialLoss}: labels 0/1, gradient {@code expit(p) - y}. */
    record HalfBinomial() implements SgdLoss {
        @Override
        public boolean zeroOneLabels() {
            return true;
        }

        @Override
        public double loss(double y, double p) {
            double log1pexp;
            if (p <= -37) {
                log1pexp = Math.exp(p);
            } else if (p <= -2) {
                log1pexp = Math.log1p(Math.exp(p));
            } else if (p <= 18) {
                log1pexp = Math.log(1 + Math.exp(p));
            } else if (p <= 33.3) {
                log1pexp = p + Math.exp(-p);
            } else {
                log1pexp = p;
            }
            return log1pexp - y * p;
        }

        @Override
        public double dloss(double y, double p) {
            if (p > -37) {
                double e = Math.exp(-p);
                return ((1 - y) - y * e) / (1 + e);
            }
            return Math.exp(p) - y;
        }
    }

    /** {@code squared_error}: {@code 0.5 (p-y)^2}. */
    record Squared() implements SgdLoss {
        @Override
        public double loss(double y, double p) {
            return 0.5 * (p - y) * (p - y);
        }

        @Override
        public double dloss(double y, double p) {
            return p - y;
        }
    }

    /** {@code huber} with threshold {@code epsilon}. */
    record Huber(double epsilon) implements SgdLoss {
        @Override
        public double loss(double y, double p) {
            double r = p - y;
            double a = Math.abs(r);
            return a <= epsilon ? 0.5 * r * r : epsilon * a - 0.5 * epsilon * epsilon;
        }

        @Override
        public double dloss(double y, double p) {
            double r = p - y;
            if (Math.abs(r) <= epsilon) {
                return r;
            }
            return r > 0 ? epsilon : -epsilon;
        }
    }

    /** {@code epsilon_insensitive}. */
    record EpsilonInsensitive(double epsilon) implements SgdLoss {
        @Override
        public double loss(double y, double p) {
            double r = Math.abs(y - p) - epsilon;
            return r > 0 ? r : 0.0;
        }

        @Override
        public double dloss(double y, double p) {
            if (y - p > epsilon) {
                return -1;
            } else if (p - y > epsilon) {
                return 1;
            }
            return 0;
        }
    }

    /** {@code squared_epsilon_insensitive}. */
    record SquaredEpsilonInsensitive(double epsilon) implements SgdLoss {
        @Override
        public double loss(double y, double p) {
            double r = Math.abs(y - p) - epsilon;
            return r > 0 ? r * r : 0.0;
        }

        @Override
        public double dloss(double y, double p) {
            double z = y - p;
            if (z > epsilon) {
                return -2 * (z - epsilon);
            } else if (z < -epsilon) {
                return 2 * (-z - epsilon);
            }
            return 0;
        }
    }
}
