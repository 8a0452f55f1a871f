package org.ml2tensor.importers.sklearn;

import java.util.ArrayList;
import java.util.List;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Pipeline;
import org.ml2tensor.ir.Transformer;
import org.ml2tensor.importers.pickle.PyValue;

/**
 * {@code sklearn.pipeline.Pipeline}: steps in order, {@code 'passthrough'} and None steps skipped,
 * nested pipelines flattened. Every step but the last must be a transformer.
 */
final class PipelineConverter implements SklearnConverter {

    /** One named step of a pipeline: null estimator for passthrough. */
    record Step(String name, SklearnObject estimator) {
    }

    static List<Step> steps(SklearnObject pipeline) {
        List<PyValue> raw = pipeline.items("steps");
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            List<PyValue> pair = pipeline.itemsOf("steps", raw.get(i));
            if (pair.size() != 2 || !(pair.get(0) instanceof PyValue.PyStr name)) {
                throw pipeline.invalid("steps", "step " + i + " is not a (name, estimator) pair");
            }
            PyValue v = pair.get(1);
            boolean skip = v instanceof PyValue.PyNone
                    || v instanceof PyValue.PyStr s && (s.value().equals("passthrough") || s.value().equals("drop"));
            steps.add(new Step(name.value(), skip ? null : pipeline.child("steps", v, "steps[" + i + "]")));
        }
        return steps;
    }

    @Override
    public Estimator convert(SklearnObject est, ConversionContext ctx) {
        List<Estimator> converted = new ArrayList<>();
        List<SklearnObject> present = steps(est).stream().map(Step::estimator).filter(e -> e != null).toList();
        for (int i = 0; i < present.size(); i++) {
            // steps before the last are transformers (a predictor's transform, e.g. LDA, where it has one)
            converted.add(i < present.size() - 1 ? ctx.transformer(present.get(i)) : ctx.convert(present.get(i)));
        }
        if (converted.isEmpty()) {
            throw est.unsupported("steps", "the pipeline has no estimator (all steps are passthrough)",
                    "add an estimator to the pipeline");
        }
        List<Transformer> transformers = new ArrayList<>();
        for (int i = 0; i < converted.size() - 1; i++) {
            flattenInto(est, converted.get(i), transformers, i);
        }
        Estimator last = converted.get(converted.size() - 1);
        if (last instanceof Transformer t) {
            flattenInto(est, t, transformers, converted.size() - 1);
            return transformers.size() == 1 ? transformers.get(0) : new Transformer.Chain(transformers);
        }
        if (last instanceof Pipeline p) {
            transformers.addAll(p.steps());
            last = p.last();
        }
        if (transformers.isEmpty()) {
            return last;
        }
        return new Pipeline(transformers, last);
    }

    /** {@code Pipeline.transform}: every step's transform, the last one's too (LDA; a transformer as it is). */
    @Override
    public Transformer transformer(SklearnObject est, ConversionContext ctx) {
        List<SklearnObject> present = steps(est).stream().map(Step::estimator).filter(e -> e != null).toList();
        if (present.isEmpty()) {
            throw est.unsupported("steps", "the pipeline has no estimator (all steps are passthrough)",
                    "add an estimator to the pipeline");
        }
        List<Transformer> transformers = new ArrayList<>();
        for (int i = 0; i < present.size(); i++) {
            SklearnObject step = present.get(i);
            flattenInto(est, i < present.size() - 1 ? ctx.transformer(step) : ctx.transformOf(step), transformers, i);
        }
        return transformers.size() == 1 ? transformers.get(0) : new Transformer.Chain(transformers);
    }

    @Override
    public List<SklearnObject> children(SklearnObject est) {
        return steps(est).stream().map(Step::estimator).filter(e -> e != null).toList();
    }

    /** Adds a transformer step, splicing nested chains so the pipeline stays flat. */
    private static void flattenInto(SklearnObject est, Estimator e, List<Transformer> out, int index) {
        if (e instanceof Transformer.Chain c) {
            out.addAll(c.steps());
        } else if (e instanceof Transformer t) {
            out.add(t);
        } else {
            throw est.unsupported("steps", "step " + index + " is a predictor but is not the last step",
                    "only the last pipeline step may be a predictor");
        }
    }
}
