package org.ml2tensor.train.sgd;

/** scikit-learn's SGD learning-rate schedules (the enum order matches {@code _sgd_fast}'s constants). */
public enum LearningRate {
    CONSTANT, OPTIMAL, INVSCALING, ADAPTIVE, PA1, PA2;

    /** Parses scikit-learn's name ({@code optimal}, {@code pa1}, …). */
    public static LearningRate parse(String name) {
        return switch (name) {
            case "constant" -> CONSTANT;
            case "optimal" -> OPTIMAL;
            case "invscaling" -> INVSCALING;
            case "adaptive" -> ADAPTIVE;
            case "pa1" -> PA1;
            case "pa2" -> PA2;
            default -> throw new IllegalArgumentException("learning_rate must be one of constant, optimal, "
                    + "invscaling, adaptive, pa1, pa2; got '" + name + "'");
        };
    }

    /** scikit-learn's spelling. */
    public String sklearnName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
