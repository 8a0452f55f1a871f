package org.ml2tensor.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * scikit-learn constructor parameters given as text ({@code --set loss=log_loss}), read once into typed
 * values by an estimator factory; a name no factory read is reported as an error.
 */
public final class Settings {
    private final Map<String, String> values;
    private final Set<String> used = new TreeSet<>();

    private Settings(Map<String, String> values) {
        this.values = new LinkedHashMap<>(values);
    }

    /** From {@code name=value} pairs. */
    public static Settings parse(List<String> pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String p : pairs) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "--set expects name=value, got '" + p + "'")
                        .hint("e.g. --set loss=log_loss --set alpha=1e-4").build();
            }
            m.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
        }
        return new Settings(m);
    }

    /** From a map. */
    public static Settings of(Map<String, String> values) {
        return new Settings(values);
    }

    /** No parameters (all defaults). */
    public static Settings empty() {
        return new Settings(Map.of());
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String string(String name, String dflt) {
        used.add(name);
        return values.getOrDefault(name, dflt);
    }

    public double number(String name, double dflt) {
        used.add(name);
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw bad(name, v, "a number");
        }
    }

    public int integer(String name, int dflt) {
        used.add(name);
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw bad(name, v, "an integer");
        }
    }

    public boolean bool(String name, boolean dflt) {
        used.add(name);
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        return switch (v) {
            case "True", "true", "1" -> true;
            case "False", "false", "0" -> false;
            default -> throw bad(name, v, "True or False");
        };
    }

    /** An optional integer ({@code None} → null), e.g. {@code random_state}. */
    public Long optionalLong(String name, Long dflt) {
        used.add(name);
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        if (v.equals("None") || v.equals("none") || v.equals("null")) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw bad(name, v, "an integer or None");
        }
    }

    /** An optional number ({@code None} → null), e.g. {@code tol}. */
    public Double optionalNumber(String name, Double dflt) {
        used.add(name);
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        if (v.equals("None") || v.equals("none") || v.equals("null")) {
            return null;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw bad(name, v, "a number or None");
        }
    }

    /** A {@code {label: weight, …}} or {@code label:weight,label:weight} map; null when absent or None. */
    public TreeMap<Double, Double> numberMap(String name) {
        used.add(name);
        String v = values.get(name);
        if (v == null || v.equals("None")) {
            return null;
        }
        if (v.equals("balanced")) {
            throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "class_weight 'balanced' is not supported for "
                            + "partial_fit")
                    .hint("compute the weights with sklearn.utils.compute_class_weight and pass them as "
                            + "class_weight=0:1.0,1:2.5").build();
        }
        TreeMap<Double, Double> m = new TreeMap<>();
        String body = v.replace("{", "").replace("}", "").trim();
        if (body.isEmpty()) {
            return m;
        }
        for (String kv : body.split(",")) {
            String[] p = kv.split(":");
            if (p.length != 2) {
                throw bad(name, v, "label:weight pairs, e.g. 0:1.0,1:2.5");
            }
            try {
                m.put(Double.parseDouble(p[0].trim()), Double.parseDouble(p[1].trim()));
            } catch (NumberFormatException e) {
                throw bad(name, v, "label:weight pairs, e.g. 0:1.0,1:2.5");
            }
        }
        return m;
    }

    /** Fails on a parameter that nothing read. */
    public void requireAllUsed(String estimator) {
        List<String> unknown = new ArrayList<>();
        for (String k : values.keySet()) {
            if (!used.contains(k)) {
                unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, estimator + " has no parameter "
                            + String.join(", ", unknown))
                    .hint("parameters: " + String.join(", ", used)).build();
        }
    }

    private static Ml2TensorException bad(String name, String v, String expected) {
        return Ml2TensorException.of(ErrorCode.INVALID_OPTION, name + "=" + v + ": expected " + expected).build();
    }
}
