package org.ml2tensor.importers.sklearn;

import java.util.List;
import org.ml2tensor.ir.ClassLabels;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.Predictor;
import org.ml2tensor.ir.Pipeline;
import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.error.Printable;
import org.ml2tensor.importers.pickle.Compression;
import org.ml2tensor.importers.pickle.PickleDocument;

/** Renders the estimator tree of a pickled model as indented text, one line per estimator. */
final class EstimatorDescriber {
    private static final int MAX_LABELS = 10;

    private final SklearnRegistry registry;

    EstimatorDescriber(SklearnRegistry registry) {
        this.registry = registry;
    }

    String describe(PickleDocument doc, String sourceName, String sha256) {
        StringBuilder sb = new StringBuilder();
        SklearnObject root;
        try {
            root = SklearnObject.root(doc.root());
        } catch (Ml2TensorException e) {
            return sb.append("not a scikit-learn model: ").append(e.getMessage()).append('\n').toString();
        }
        sb.append(Printable.escape(root.className())).append('\n');
        sb.append("  file: ").append(sourceName == null ? "(bytes)" : sourceName).append(", pickle protocol ")
                .append(doc.protocol());
        if (doc.compression() != Compression.NONE) {
            sb.append(", ").append(doc.compression().name().toLowerCase()).append(" compressed");
        }
        sb.append(", ").append(doc.decodedBytes()).append(" bytes decoded\n");
        sb.append("  sha256: ").append(sha256).append('\n');
        sb.append("  scikit-learn version: ").append(Printable.escape(root.sklearnVersion().orElse("unknown"))).append('\n');
        Estimator converted = null;
        String failure = null;
        try {
            converted = new ConversionContext(registry).convert(root);
        } catch (Ml2TensorException e) {
            failure = brief(e);
        }
        if (converted != null) {
            List<String> names = SklearnImporter.featureNames(root, converted.inputWidth());
            sb.append("  input: ").append(converted.inputWidth()).append(" features");
            if (!names.isEmpty()) {
                sb.append(": ").append(abbreviate(names));
            }
            sb.append('\n');
        }
        node(sb, root, 1, converted, failure);
        return sb.toString();
    }

    private void node(StringBuilder sb, SklearnObject est, int depth, Estimator converted, String failure) {
        String indent = "  ".repeat(depth);
        if (est.simpleName().equals("Pipeline") && depth < 8) {
            StringBuilder body = new StringBuilder();
            List<PipelineConverter.Step> steps;
            try {
                steps = PipelineConverter.steps(est);
            } catch (Ml2TensorException e) {
                sb.append(indent).append("Pipeline\n");
                sb.append(indent).append("  (unreadable steps: ").append(brief(e)).append(")\n");
                return;
            }
            boolean failureShownBelow = false;
            for (int i = 0; i < steps.size(); i++) {
                PipelineConverter.Step step = steps.get(i);
                body.append(indent).append("  steps[").append(i).append("] '").append(Printable.escape(step.name()))
                        .append("': ");
                if (step.estimator() == null) {
                    body.append("passthrough\n");
                    continue;
                }
                Estimator e = null;
                String why = null;
                try {
                    e = new ConversionContext(registry).convert(step.estimator());
                } catch (Ml2TensorException ex) {
                    why = brief(ex);
                    failureShownBelow |= why.equals(failure);
                }
                if (step.estimator().simpleName().equals("Pipeline")) {
                    body.append('\n');
                    node(body, step.estimator(), depth + 2, e, why);
                    failureShownBelow |= why != null && body.indexOf(failure == null ? "\0" : failure) >= 0;
                } else {
                    line(body, step.estimator(), e, why);
                }
            }
            sb.append(indent).append("Pipeline")
                    .append(failure != null && !failureShownBelow ? " — not convertible: " + failure : "")
                    .append('\n').append(body);
            return;
        }
        sb.append(indent);
        line(sb, est, converted, failure);
    }

    /** A refusal in one line: the message, plus its place for attribute-level errors; never the hint. */
    static String brief(Ml2TensorException e) {
        return e.code() == org.ml2tensor.error.ErrorCode.UNSUPPORTED || e.context().isEmpty()
                ? e.bareMessage() : e.context() + ": " + e.bareMessage();
    }

    private static void line(StringBuilder sb, SklearnObject est, Estimator e, String failure) {
        sb.append(Printable.escape(est.simpleName()));
        if (e == null) {
            sb.append(" — not convertible: ").append(failure).append('\n');
            return;
        }
        sb.append(" → ").append(summary(e)).append('\n');
    }

    static String summary(Estimator e) {
        String widths = e.inputWidth() + " → " + e.outputWidth() + " columns";
        if (e instanceof TreeEnsemble t) {
            return "tree ensemble: " + t.trees().size() + (t.trees().size() == 1 ? " tree" : " trees")
                    + ", max depth " + t.maxDepth() + ", " + t.totalNodes() + " nodes"
                    + (t.hasCategoricalSplits() ? ", categorical splits" : "") + ", " + widths
                    + ", " + t.transform() + "; " + head(t.head());
        }
        if (e instanceof Predictor p) {
            return e.getClass().getSimpleName() + ": " + widths + ", " + p.transform() + "; " + head(p.head());
        }
        if (e instanceof Pipeline p) {
            return "pipeline of " + (p.steps().size() + 1) + " steps ending in " + summary(p.last());
        }
        return e.getClass().getSimpleName() + ": " + widths;
    }

    private static String head(Head h) {
        if (h instanceof Head.Classification c) {
            return c.labels().size() + " classes " + labels(c.labels())
                    + (c.probabilities() ? " (probabilities)" : " (decision values)");
        }
        if (h instanceof Head.Regression r) {
            return "regression, " + r.targets() + (r.targets() == 1 ? " target" : " targets");
        }
        if (h instanceof Head.Outlier o) {
            return "outlier detection, offset " + o.offset();
        }
        if (h instanceof Head.MultiClassification m) {
            return m.targets().size() + " targets " + abbreviate(m.targets().stream().map(EstimatorDescriber::labels)
                    .toList()) + (m.probabilities() ? " (probabilities)" : " (labels only)");
        }
        return h.toString();
    }

    private static String labels(ClassLabels l) {
        return "[" + abbreviate(l.asText()) + "]";
    }

    private static String abbreviate(List<String> items) {
        if (items.size() <= MAX_LABELS) {
            return Printable.escape(String.join(", ", items));
        }
        return Printable.escape(String.join(", ", items.subList(0, MAX_LABELS))) + ", … (" + items.size() + " in all)";
    }
}
