package org.ml2tensor.conformance;

/** {@code |actual - expected| <= absolute + relative·|expected|}; NaN equals NaN, infinities must match. */
record Tolerance(double absolute, double relative) {
    boolean accepts(double expected, double actual) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            return Double.isNaN(expected) && Double.isNaN(actual);
        }
        if (Double.isInfinite(expected) || Double.isInfinite(actual)) {
            return expected == actual
                    || Math.abs(expected) > Float.MAX_VALUE && Math.signum(expected) == Math.signum(actual);
        }
        return Math.abs(actual - expected) <= absolute + relative * Math.abs(expected);
    }

    @Override
    public String toString() {
        return "abs " + absolute + " + rel " + relative;
    }
}
