package org.ml2tensor.compiler.ir;

/** What a step does with missing values (NaN, or the empty string in a string column) in its input. */
public enum NanHandling {
    /** Missing values are meaningless to it (linear models, projections). */
    REJECTS,
    /** It passes them through to its output unchanged (scalers). */
    PASSES,
    /** It gives them a defined result (trees route them, imputers fill them, encoders match them). */
    HANDLES;

    /** Whether a model whose first steps are {@code steps} (in order) then {@code last} accepts missing values. */
    public static NanHandling chain(Iterable<? extends Estimator> steps, Estimator last) {
        for (Estimator e : steps) {
            NanHandling h = e.nanHandling();
            if (h != PASSES) {
                return h;
            }
        }
        return last == null ? PASSES : last.nanHandling();
    }

    /** The weakest of two branches read side by side. */
    public NanHandling weakest(NanHandling other) {
        return ordinal() <= other.ordinal() ? this : other;
    }
}
