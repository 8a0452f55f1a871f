package org.ml2tensor.compiler.ir;

import java.util.List;

/** Transformers applied in order, then a final estimator (which may itself be a transformer). */
public record Pipeline(List<Transformer> steps, Estimator last) implements Estimator {
    public Pipeline {
        steps = List.copyOf(steps);
        int width = steps.isEmpty() ? last.inputWidth() : steps.get(0).inputWidth();
        for (Transformer t : steps) {
            if (t.inputWidth() != width) {
                throw new IllegalArgumentException("pipeline step " + t.getClass().getSimpleName()
                        + " reads " + t.inputWidth() + " columns but receives " + width);
            }
            width = t.outputWidth();
        }
        if (last.inputWidth() != width) {
            throw new IllegalArgumentException("final step reads " + last.inputWidth()
                    + " columns but receives " + width);
        }
    }

    @Override
    public int inputWidth() {
        return steps.isEmpty() ? last.inputWidth() : steps.get(0).inputWidth();
    }

    @Override
    public int outputWidth() {
        return last.outputWidth();
    }
}
