package org.ml2tensor.train.sgd;

/** SGD regularisation: none, l2 (weight decay through the scale factor), l1 (truncated gradient), both. */
public enum Penalty {
    NONE, L2, L1, ELASTICNET;

    /** Parses scikit-learn's value ({@code l2}, {@code l1}, {@code elasticnet}, {@code None}). */
    public static Penalty parse(String name) {
        return switch (name) {
            case "None", "none", "null" -> NONE;
            case "l2" -> L2;
            case "l1" -> L1;
            case "elasticnet" -> ELASTICNET;
            default -> throw new IllegalArgumentException("penalty must be one of l2, l1, elasticnet, None; got '"
                    + name + "'");
        };
    }

    /** scikit-learn's spelling ({@code null} for none). */
    public String sklearnName() {
        return this == NONE ? null : name().toLowerCase(java.util.Locale.ROOT);
    }
}
