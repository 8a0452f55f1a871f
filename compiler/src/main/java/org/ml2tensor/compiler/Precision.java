package org.ml2tensor.compiler;

import java.util.Locale;

/**
 * Numeric precision of a compiled graph.
 *
 * <ul>
 *   <li>{@link #AUTO} (default) follows the library: every step computes in the type the library computes
 *       in and casts where the library casts (see {@link PrecisionPlan}); decisions equal the library's
 *       on double inputs.</li>
 *   <li>{@link #FLOAT32}, the fast mode: float32 input and arithmetic everywhere. Steps that the library
 *       computes in float64 are then no longer exact; the compiler lists them
 *       ({@link CompileReport#inexactSteps()}, metadata {@code ml2tensor.inexact_steps}).</li>
 *   <li>{@link #FLOAT64}: float64 input and arithmetic everywhere, including leaf sums; comparisons still
 *       round inputs to float32 where the library does (scikit-learn's trees, XGBoost).</li>
 * </ul>
 */
public enum Precision {
    AUTO,
    FLOAT32,
    FLOAT64;

    /** CLI spelling: {@code auto} / {@code float32} / {@code float64}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the CLI spelling ({@code library} is accepted for {@code auto}). */
    public static Precision fromCli(String s) {
        String v = s.toLowerCase(Locale.ROOT);
        return v.equals("library") ? AUTO : valueOf(v.toUpperCase(Locale.ROOT));
    }
}
