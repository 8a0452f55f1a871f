package org.ml2tensor.runtime.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ml2tensor.contract.ModelContract;
import org.ml2tensor.runtime.ModelInfo;
import org.ml2tensor.runtime.Output;
import org.ml2tensor.runtime.Predictions;

/**
 * The columns of a prediction table, per the ml2tensor output contract:
 * <ul>
 *   <li>classifiers: {@code label}, then {@code proba_<class>} per class ({@code log_proba_<class>} for a model
 *       compiled with method {@code predict_log_proba}); without probabilities,
 *       {@code decision} (one decision value) or {@code decision_<class>};</li>
 *   <li>multi-output classifiers: {@code label_<t>} per target, then {@code proba_<t>_<class>} per target and
 *       class;</li>
 *   <li>regressors: {@code prediction}, or {@code prediction_<i>} for several targets;</li>
 *   <li>transformers: {@code x0 … x<k-1>};</li>
 *   <li>outlier detectors: {@code label}, {@code score};</li>
 *   <li>other models: each output by name, {@code <name>_<i>} when it has several columns.</li>
 * </ul>
 */
public final class PredictionLayout {
    /** One table column: its header and where its values come from. */
    public record Column(String header, String output, int index) {
    }

    private final List<Column> columns;

    private PredictionLayout(List<Column> columns) {
        this.columns = List.copyOf(columns);
    }

    /** The layout for {@code info}, with output widths taken from a first chunk of predictions. */
    public static PredictionLayout of(ModelInfo info, Predictions first) {
        List<Column> cols = new ArrayList<>();
        boolean ok = switch (info.task()) {
            case CLASSIFICATION -> classifier(info, first, cols);
            case MULTI_CLASSIFICATION -> multiClassifier(info, first, cols);
            case REGRESSION -> prefixed(first, ModelContract.VARIABLE, "prediction", "prediction_", cols);
            case TRANSFORM -> indexed(first, ModelContract.VARIABLE, "x", cols);
            case OUTLIER -> first.has(ModelContract.LABEL) && first.has(ModelContract.SCORES)
                    && add(first, ModelContract.LABEL, "label", cols)
                    && prefixed(first, ModelContract.SCORES, "score", "score_", cols);
            case UNKNOWN -> false;
        };
        if (!ok) {
            cols.clear();
            for (Output o : first.outputs()) {
                prefixed(first, o.name(), o.name(), o.name() + "_", cols);
            }
        }
        return new PredictionLayout(cols);
    }

    private static boolean classifier(ModelInfo info, Predictions p, List<Column> cols) {
        if (!p.has(ModelContract.LABEL)) {
            return false;
        }
        add(p, ModelContract.LABEL, "label", cols);
        if (p.has(ModelContract.PROBABILITIES)) {
            return perClass(info, p, ModelContract.PROBABILITIES, "proba_", cols);
        }
        if (p.has(ModelContract.LOG_PROBABILITIES)) {
            return perClass(info, p, ModelContract.LOG_PROBABILITIES, "log_proba_", cols);
        }
        if (p.has(ModelContract.SCORES)) {
            Output s = p.output(ModelContract.SCORES).orElseThrow();
            return s.width() == 1 ? add(p, ModelContract.SCORES, "decision", cols)
                    : perClass(info, p, ModelContract.SCORES, "decision_", cols);
        }
        return true;
    }

    /**
     * {@code label_<t>} per target, then {@code proba_<t>_<class>} per target and class (the probability
     * blocks in target order); false (generic names) when the outputs do not match the metadata.
     */
    private static boolean multiClassifier(ModelInfo info, Predictions p, List<Column> cols) {
        List<List<String>> targets = info.targetClassLabels();
        Optional<Output> label = p.output(ModelContract.LABEL);
        if (targets.isEmpty() || label.isEmpty() || label.get().width() != targets.size()) {
            return false;
        }
        for (int t = 0; t < targets.size(); t++) {
            cols.add(new Column("label_" + t, ModelContract.LABEL, t));
        }
        Optional<Output> proba = p.output(ModelContract.PROBABILITIES);
        if (proba.isEmpty()) {
            return true;
        }
        int width = targets.stream().mapToInt(List::size).sum();
        if (proba.get().width() != width) {
            return false;
        }
        int at = 0;
        for (int t = 0; t < targets.size(); t++) {
            for (String c : targets.get(t)) {
                cols.add(new Column("proba_" + t + "_" + c, ModelContract.PROBABILITIES, at++));
            }
        }
        return true;
    }

    private static boolean perClass(ModelInfo info, Predictions p, String output, String prefix, List<Column> cols) {
        int width = p.output(output).orElseThrow().width();
        List<String> classes = info.classLabels().size() == width ? info.classLabels() : null;
        for (int i = 0; i < width; i++) {
            cols.add(new Column(prefix + (classes == null ? Integer.toString(i) : classes.get(i)), output, i));
        }
        return true;
    }

    private static boolean add(Predictions p, String output, String header, List<Column> cols) {
        if (!p.has(output)) {
            return false;
        }
        cols.add(new Column(header, output, 0));
        return true;
    }

    private static boolean prefixed(Predictions p, String output, String single, String prefix, List<Column> cols) {
        Optional<Output> o = p.output(output);
        if (o.isEmpty()) {
            return false;
        }
        int width = o.get().width();
        if (width == 1) {
            cols.add(new Column(single, output, 0));
        } else {
            for (int i = 0; i < width; i++) {
                cols.add(new Column(prefix + i, output, i));
            }
        }
        return true;
    }

    private static boolean indexed(Predictions p, String output, String prefix, List<Column> cols) {
        Optional<Output> o = p.output(output);
        if (o.isEmpty()) {
            return false;
        }
        for (int i = 0; i < o.get().width(); i++) {
            cols.add(new Column(prefix + i, output, i));
        }
        return true;
    }

    public List<Column> columns() {
        return columns;
    }

    public List<String> headers() {
        return columns.stream().map(Column::header).toList();
    }
}
