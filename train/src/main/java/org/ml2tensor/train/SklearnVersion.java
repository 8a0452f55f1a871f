package org.ml2tensor.train;

/**
 * Which scikit-learn release's {@code partial_fit} semantics to reproduce where they differ: the log loss
 * (1.9: half-binomial on 0/1 labels; 1.2: {@code Log} on ±1 labels), SGDClassifier's default {@code eta0}
 * (0.01 vs 0.0), {@code fit}'s stopping objective (loss + penalty vs loss), and the naive Bayes
 * {@code force_alpha} default.
 */
public enum SklearnVersion {
    V1_2("1.2.1"), V1_9("1.9.1");

    private final String full;

    SklearnVersion(String full) {
        this.full = full;
    }

    /** The release checked against, e.g. {@code 1.9.1}. */
    public String full() {
        return full;
    }

    /** Parses {@code 1.2}, {@code 1.2.1}, {@code 1.9}, {@code 1.9.1}. */
    public static SklearnVersion parse(String v) {
        if (v.equals("1.2") || v.startsWith("1.2.")) {
            return V1_2;
        }
        if (v.equals("1.9") || v.startsWith("1.9.")) {
            return V1_9;
        }
        throw new IllegalArgumentException("supported scikit-learn semantics: 1.2 or 1.9, not '" + v + "'");
    }
}
