package org.ml2tensor.ir;

import java.util.List;
import java.util.Objects;

/**
 * A multi-layer perceptron (scikit-learn {@code MLPClassifier} / {@code MLPRegressor}):
 * {@code a = x; a = hidden(a·W_l + b_l)} for every layer but the last, then {@code output(a·W_L + b_L)}.
 * A binary classifier has one output column {@code p}: probabilities {@code [1−p, p]}, class 1 iff
 * {@code p > 0.5}; a multiclass one has a softmax column per class and predicts the first arg-max; a multilabel
 * one ({@link Head.MultiClassification}) has one logistic column {@code p_t} per label, label {@code t} is
 * {@code p_t > 0.5} and its probability block {@code [1 − p_t, p_t]}.
 *
 * @param weights per layer {@code [inputs][outputs]} ({@code coefs_})
 * @param biases  per layer {@code [outputs]} ({@code intercepts_})
 * @param hidden  activation of the hidden layers
 * @param output  activation of the last layer ({@code out_activation_})
 * @param head    classification (probabilities) or regression
 */
public record Mlp(List<double[][]> weights, List<double[]> biases, Activation hidden, Activation output, Head head)
        implements Predictor {

    /** Activations of scikit-learn's {@code ACTIVATIONS} table. */
    public enum Activation {
        IDENTITY, LOGISTIC, TANH, RELU, SOFTMAX, EXP
    }

    public Mlp {
        weights = List.copyOf(weights);
        biases = List.copyOf(biases);
        Objects.requireNonNull(hidden, "hidden");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(head, "head");
        if (weights.isEmpty() || weights.size() != biases.size()) {
            throw new IllegalArgumentException("an MLP needs one bias vector per weight matrix, at least one layer");
        }
        int in = -1;
        for (int l = 0; l < weights.size(); l++) {
            double[][] w = weights.get(l);
            if (w.length == 0 || w[0].length == 0) {
                throw new IllegalArgumentException("layer " + l + " is empty");
            }
            if (in >= 0 && w.length != in) {
                throw new IllegalArgumentException("layer " + l + " reads " + w.length + " values, the previous layer has " + in);
            }
            for (double[] row : w) {
                if (row.length != w[0].length) {
                    throw new IllegalArgumentException("ragged weights in layer " + l);
                }
            }
            if (biases.get(l).length != w[0].length) {
                throw new IllegalArgumentException("layer " + l + " has " + biases.get(l).length + " biases for "
                        + w[0].length + " outputs");
            }
            in = w[0].length;
        }
        if (hidden == Activation.SOFTMAX || hidden == Activation.EXP) {
            throw new IllegalArgumentException("hidden activation " + hidden + " does not exist in scikit-learn");
        }
        if (head instanceof Head.Classification c) {
            int k = c.labels().size();
            boolean ok = k == 2 ? in == 1 && output == Activation.LOGISTIC : in == k && output == Activation.SOFTMAX;
            if (!ok || !c.probabilities()) {
                throw new IllegalArgumentException(k + " classes need " + (k == 2 ? "1 logistic" : k + " softmax")
                        + " output columns with probabilities; found " + in + " " + output);
            }
        } else if (head instanceof Head.MultiClassification mc) {
            // multilabel: one logistic column per label, classes [0, 1] each
            boolean ok = mc.targets().size() == in && output == Activation.LOGISTIC && mc.probabilities()
                    && mc.targets().stream().allMatch(l -> l.asText().equals(List.of("0", "1")));
            if (!ok) {
                throw new IllegalArgumentException("a multilabel MLP needs one logistic output column per label of"
                        + " classes [0, 1]; found " + in + " " + output);
            }
        } else if (head instanceof Head.Regression r) {
            if (r.targets() != in) {
                throw new IllegalArgumentException(r.targets() + " targets but " + in + " output columns");
            }
        } else {
            throw new IllegalArgumentException("an MLP classifies or regresses");
        }
    }

    @Override
    public int inputWidth() {
        return weights.get(0).length;
    }

    @Override
    public int outputWidth() {
        if (head instanceof Head.MultiClassification mc) {
            return mc.probabilityWidth();
        }
        return head instanceof Head.Classification c ? c.labels().size() : weights.get(weights.size() - 1)[0].length;
    }

    @Override
    public boolean[] missingInputs() {
        return Missing.all(inputWidth(), false);
    }

    @Override
    public ScoreTransform transform() {
        return ScoreTransform.IDENTITY;
    }

    @Override
    public <R> R accept(EstimatorVisitor<R> visitor) {
        return visitor.visitMlp(this);
    }
}
