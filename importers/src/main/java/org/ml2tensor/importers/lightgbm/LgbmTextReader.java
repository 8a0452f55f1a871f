package org.ml2tensor.importers.lightgbm;

import org.ml2tensor.importers.ReadBudget;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * Parses LightGBM's text model format ({@code Booster.save_model}, {@code version=v2..v4}): the header
 * ({@code key=value} lines and the bare {@code average_output} flag), the {@code Tree=i} blocks up to
 * {@code end of trees}, then the {@code [boosting: …]} parameter and the {@code pandas_categorical:} line.
 * Errors name the file and line.
 */
final class LgbmTextReader {
    private static final String RESAVE = "the file is truncated or not a LightGBM text model; save it again "
            + "with Booster.save_model('model.txt')";

    /** Budget of one line or token string (object, array header, list slot). */
    private static final long LINE_COST = 64;

    private final String[] lines;
    private final String file;
    private int pos;

    private LgbmTextReader(String text, String file) {
        this.lines = text.split("\r?\n", -1);
        this.file = file;
    }

    static LgbmModel read(byte[] bytes, String file) {
        long lines = 1;
        for (byte b : bytes) {
            lines += b == '\n' ? 1 : 0;
        }
        ReadBudget.charge(2L * bytes.length + LINE_COST * lines, "the text of " + lines + " lines");
        return new LgbmTextReader(new String(bytes, StandardCharsets.UTF_8), file).model();
    }

    private LgbmModel model() {
        skipBlank();
        if (pos >= lines.length || !lines[pos].trim().equals("tree")) {
            throw error(pos, "not a LightGBM text model (the first line must be 'tree')", RESAVE);
        }
        pos++;
        Map<String, String> header = new HashMap<>();
        Map<String, Integer> headerLine = new HashMap<>();
        boolean averageOutput = false;
        while (pos < lines.length && !lines[pos].startsWith("Tree=") && !lines[pos].equals("end of trees")) {
            String line = lines[pos].trim();
            int eq = line.indexOf('=');
            if (eq > 0) {
                header.put(line.substring(0, eq), line.substring(eq + 1));
                headerLine.put(line.substring(0, eq), pos);
            } else if (line.equals("average_output")) {
                averageOutput = true;
            }
            pos++;
        }
        int numClass = headerInt(header, headerLine, "num_class", 1);
        int perIteration = headerInt(header, headerLine, "num_tree_per_iteration", numClass);
        int maxFeatureIdx = headerInt(header, headerLine, "max_feature_idx", null);
        if (maxFeatureIdx < 0 || numClass < 1 || perIteration < 1) {
            throw error(headerLine.getOrDefault("max_feature_idx", 0), "max_feature_idx, num_class or "
                    + "num_tree_per_iteration out of range", RESAVE);
        }
        if (maxFeatureIdx >= Integer.MAX_VALUE - 16) {
            throw Ml2TensorException.of(ErrorCode.LIMIT_EXCEEDED, "max_feature_idx " + maxFeatureIdx + " is too large")
                    .at(file + ":" + (headerLine.getOrDefault("max_feature_idx", 0) + 1)).hint(RESAVE).build();
        }
        List<String> names = tokens(header.get("feature_names"));
        List<String> infos = tokens(header.get("feature_infos"));
        if (!infos.isEmpty() && infos.size() != maxFeatureIdx + 1) {
            throw error(headerLine.getOrDefault("feature_infos", 0), "feature_infos has " + infos.size()
                    + " entries for max_feature_idx+1 = " + (maxFeatureIdx + 1L) + " features", RESAVE);
        }
        ReadBudget.chargeWidth(maxFeatureIdx + 1L, "max_feature_idx = " + maxFeatureIdx);

        List<LgbmTree> trees = new ArrayList<>();
        while (pos < lines.length && lines[pos].startsWith("Tree=")) {
            trees.add(tree());
        }
        if (pos >= lines.length || !lines[pos].equals("end of trees")) {
            throw error(Math.min(pos, lines.length - 1), "missing 'end of trees' (truncated file?)", RESAVE);
        }
        String boosting = "";
        String pandas = null;
        for (int i = pos + 1; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.startsWith("[boosting: ") && line.endsWith("]")) {
                boosting = line.substring("[boosting: ".length(), line.length() - 1).trim();
            } else if (line.startsWith("pandas_categorical:")) {
                String json = line.substring("pandas_categorical:".length()).trim();
                pandas = json.equals("null") || json.isEmpty() ? null : json;
            }
        }
        return new LgbmModel(header.getOrDefault("version", "?"), numClass, perIteration, maxFeatureIdx + 1,
                header.get("objective"), averageOutput, names, infos, trees, boosting, pandas);
    }

    private LgbmTree tree() {
        int start = pos;
        int index;
        try {
            index = Integer.parseInt(lines[pos].substring("Tree=".length()).trim());
        } catch (NumberFormatException e) {
            throw error(pos, "bad tree header '" + lines[pos] + "'", RESAVE);
        }
        pos++;
        Map<String, String> kv = new HashMap<>();
        Map<String, Integer> at = new HashMap<>();
        while (pos < lines.length && !lines[pos].isBlank() && !lines[pos].startsWith("Tree=")
                && !lines[pos].equals("end of trees")) {
            String line = lines[pos];
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw error(pos, "expected key=value inside Tree=" + index, RESAVE);
            }
            kv.put(line.substring(0, eq), line.substring(eq + 1));
            at.put(line.substring(0, eq), pos);
            pos++;
        }
        skipBlank();
        TreeFields f = new TreeFields(kv, at, start, index);
        int leaves = f.integer("num_leaves");
        if (leaves < 1) {
            throw error(at.get("num_leaves"), "num_leaves must be at least 1, is " + leaves, RESAVE);
        }
        int numCat = kv.containsKey("num_cat") ? f.integer("num_cat") : 0;
        double[] leafValue = f.doubles("leaf_value", leaves);
        boolean linear = kv.containsKey("is_linear") && f.integer("is_linear") != 0;
        if (leaves == 1) {
            return new LgbmTree(index, start, 1, new int[0], new double[0], new int[0], new int[0], new int[0],
                    leafValue, new int[0], new long[0], linear);
        }
        int internal = leaves - 1;
        int[] boundaries = numCat > 0 ? f.ints("cat_boundaries", numCat + 1) : new int[0];
        long[] words = numCat > 0 ? f.longs("cat_threshold") : new long[0];
        return new LgbmTree(index, start, leaves, f.ints("split_feature", internal),
                f.doubles("threshold", internal), f.ints("decision_type", internal), f.ints("left_child", internal),
                f.ints("right_child", internal), leafValue, boundaries, words, linear);
    }

    /** Typed access to the key=value lines of one tree block. */
    private final class TreeFields {
        private final Map<String, String> kv;
        private final Map<String, Integer> at;
        private final int start;
        private final int index;

        TreeFields(Map<String, String> kv, Map<String, Integer> at, int start, int index) {
            this.kv = kv;
            this.at = at;
            this.start = start;
            this.index = index;
        }

        private String raw(String key) {
            String v = kv.get(key);
            if (v == null) {
                throw error(start, "Tree=" + index + " has no '" + key + "'", RESAVE);
            }
            return v;
        }

        int integer(String key) {
            try {
                return Integer.parseInt(raw(key).trim());
            } catch (NumberFormatException e) {
                throw error(at.get(key), key + " is not an integer: '" + kv.get(key) + "'", RESAVE);
            }
        }

        int[] ints(String key, int expected) {
            List<String> t = tokens(raw(key));
            check(key, t.size(), expected);
            int[] out = new int[t.size()];
            for (int i = 0; i < out.length; i++) {
                try {
                    out[i] = Integer.parseInt(t.get(i));
                } catch (NumberFormatException e) {
                    throw error(at.get(key), key + "[" + i + "] is not an integer: '" + t.get(i) + "'", RESAVE);
                }
            }
            return out;
        }

        long[] longs(String key) {
            List<String> t = tokens(raw(key));
            long[] out = new long[t.size()];
            for (int i = 0; i < out.length; i++) {
                try {
                    out[i] = Long.parseLong(t.get(i));
                } catch (NumberFormatException e) {
                    throw error(at.get(key), key + "[" + i + "] is not an integer: '" + t.get(i) + "'", RESAVE);
                }
                if (out[i] < 0 || out[i] > 0xFFFFFFFFL) {
                    throw error(at.get(key), key + "[" + i + "] is not a uint32 word: " + out[i], RESAVE);
                }
            }
            return out;
        }

        double[] doubles(String key, int expected) {
            List<String> t = tokens(raw(key));
            check(key, t.size(), expected);
            double[] out = new double[t.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = parseDouble(t.get(i), at.get(key), key + "[" + i + "]");
            }
            return out;
        }

        private void check(String key, int actual, int expected) {
            if (actual != expected) {
                throw error(at.get(key), key + " has " + actual + " values, expected " + expected + " (Tree="
                        + index + ")", RESAVE);
            }
        }
    }

    /** A number as C's printf writes it ({@code %.17g}), including {@code inf} and {@code nan}. */
    private double parseDouble(String s, int line, String what) {
        switch (s.toLowerCase()) {
            case "inf":
            case "+inf":
            case "infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf":
            case "-infinity":
                return Double.NEGATIVE_INFINITY;
            case "nan":
            case "-nan":
                return Double.NaN;
            default:
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw error(line, what + " is not a number: '" + s + "'", RESAVE);
                }
        }
    }

    private int headerInt(Map<String, String> header, Map<String, Integer> at, String key, Integer fallback) {
        String v = header.get(key);
        if (v == null) {
            if (fallback == null) {
                throw error(0, "the header has no '" + key + "'", RESAVE);
            }
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw error(at.get(key), key + " is not an integer: '" + v + "'", RESAVE);
        }
    }

    private static List<String> tokens(String s) {
        List<String> out = new ArrayList<>();
        if (s == null) {
            return out;
        }
        long spaces = 1;
        for (int i = 0; i < s.length(); i++) {
            spaces += s.charAt(i) == ' ' ? 1 : 0;
        }
        ReadBudget.charge(LINE_COST * spaces + 2L * s.length(), spaces + " tokens");
        for (String t : s.trim().split(" +")) {
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    private void skipBlank() {
        while (pos < lines.length && lines[pos].isBlank()) {
            pos++;
        }
    }

    private Ml2TensorException error(int line, String message, String hint) {
        return Ml2TensorException.of(ErrorCode.MODEL_FORMAT, message).at(file + ":" + (line + 1)).hint(hint).build();
    }
}
