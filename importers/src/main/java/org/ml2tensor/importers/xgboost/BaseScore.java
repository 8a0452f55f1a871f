package org.ml2tensor.importers.xgboost;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code learner_model_param.base_score}, a string in every XGBoost version: {@code "0.500000"}
 * (1.0–1.2), {@code "5E-1"} (1.3–3.0), or a JSON array inside the string, {@code "[5E-1]"} or
 * {@code "[a,b,c]"} (3.1+, one intercept per class/target); {@code "(a,b)"} is accepted as XGBoost's own
 * reader does. Values are float32, as XGBoost stores them.
 */
final class BaseScore {
    private BaseScore() {
    }

    /** The values, or null when the text is not a number or a bracketed list of numbers. */
    static double[] parse(String text) {
        String s = text.trim();
        boolean bracketed = s.length() >= 2 && (s.charAt(0) == '[' && s.endsWith("]")
                || s.charAt(0) == '(' && s.endsWith(")"));
        if (bracketed) {
            s = s.substring(1, s.length() - 1).trim();
        }
        List<Double> values = new ArrayList<>();
        if (!s.isEmpty()) {
            for (String part : s.split(",", -1)) {
                String p = part.trim();
                if (p.isEmpty() || !bracketed && values.size() > 0) {
                    return null;
                }
                try {
                    values.add((double) Float.parseFloat(p));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        if (values.isEmpty()) {
            return null;
        }
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
