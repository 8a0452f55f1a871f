package org.ml2tensor.importers.xgboost;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.ml2tensor.importers.Csv;

/**
 * Trains small models with XGBoost4J 3.4.0 (test dependency) and writes them as fixtures in the layout of
 * {@code make_xgboost_fixtures.py}: {@code NAME.json}/{@code NAME.ubj}, {@code NAME.rows.csv},
 * {@code NAME.margin.csv}, {@code NAME.pred.csv}. Run once to refresh the committed {@code v3_*} files:
 *
 * <pre>
 * mvn -q -o -pl importers -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt \
 *     -Dmdep.includeScope=test
 * java -cp importers/target/test-classes:importers/target/classes:$(cat /tmp/cp.txt) \
 *     org.ml2tensor.importers.xgboost.Xgboost4jFixtures importers/src/test/resources/xgboost
 * </pre>
 */
public final class Xgboost4jFixtures {
    static final int ROWS = 300;
    static final int FEATURES = 4;

    private Xgboost4jFixtures() {
    }

    /** A training set: row-major features with NaN, and labels of several kinds. */
    record Data(float[] x, float[] signal, float[] binary, float[] classes, float[] counts) {
        static Data make(long seed, boolean categoricalColumn0) {
            Random r = new Random(seed);
            float[] x = new float[ROWS * FEATURES];
            float[] signal = new float[ROWS];
            float[] binary = new float[ROWS];
            float[] classes = new float[ROWS];
            float[] counts = new float[ROWS];
            double[] effect = {1.5, -1.0, 0.5, -2.0, 2.0};
            for (int i = 0; i < ROWS; i++) {
                for (int j = 0; j < FEATURES; j++) {
                    x[i * FEATURES + j] = r.nextDouble() < 0.1 ? Float.NaN : (float) r.nextGaussian();
                }
                if (categoricalColumn0 && !Float.isNaN(x[i * FEATURES])) {
                    x[i * FEATURES] = r.nextInt(5);
                }
                double a = nz(x[i * FEATURES]);
                double s = (categoricalColumn0 ? effect[(int) a] : a) - 0.5 * nz(x[i * FEATURES + 1])
                        + 0.25 * nz(x[i * FEATURES + 2]) * nz(x[i * FEATURES + 3]);
                signal[i] = (float) s;
                binary[i] = s + 0.3 * r.nextGaussian() > 0 ? 1 : 0;
                classes[i] = s < -0.5 ? 0 : s < 0.5 ? 1 : 2;
                counts[i] = (float) Math.floor(Math.exp(0.5 * s) * (0.5 + r.nextDouble()));
            }
            return new Data(x, signal, binary, classes, counts);
        }

        private static double nz(float v) {
            return Float.isNaN(v) ? 0 : v;
        }

        DMatrix matrix(float[] label, boolean categoricalColumn0) throws XGBoostError {
            DMatrix d = new DMatrix(x, ROWS, FEATURES, Float.NaN);
            d.setLabel(label);
            if (categoricalColumn0) {
                d.setFeatureTypes(new String[]{"c", "q", "q", "q"});
            }
            return d;
        }
    }

    static Booster train(DMatrix d, int rounds, Object... params) throws XGBoostError {
        Map<String, Object> p = new HashMap<>();
        p.put("max_depth", 3);
        p.put("eta", 0.3);
        p.put("seed", 7);
        p.put("nthread", 1);
        for (int i = 0; i < params.length; i += 2) {
            p.put((String) params[i], params[i + 1]);
        }
        return XGBoost.train(d, p, rounds, new HashMap<>(), null, null);
    }

    /** Random rows, rows on and just below thresholds of the saved model, NaN/zero/extreme rows. */
    static float[][] probeRows(Data data, byte[] modelJson, boolean categoricalColumn0) {
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            float[] row = new float[FEATURES];
            System.arraycopy(data.x(), i * FEATURES, row, 0, FEATURES);
            rows.add(row);
        }
        XgbModel model = XgboostImporter.parse(modelJson, "probe.json");
        Set<String> seen = new LinkedHashSet<>();
        int k = 0;
        for (XgbTree t : model.trees()) {
            for (int i = 0; i < t.numNodes() && seen.size() < 12; i++) {
                if (t.left()[i] == -1 || t.splitType()[i] != 0 || !seen.add(t.splitIndex()[i] + ":"
                        + t.splitCondition()[i])) {
                    continue;
                }
                float[] at = rows.get(k++ % 24).clone();
                at[t.splitIndex()[i]] = t.splitCondition()[i];
                float[] below = at.clone();
                below[t.splitIndex()[i]] = Math.nextDown(t.splitCondition()[i]);
                rows.add(at);
                rows.add(below);
            }
        }
        float[] nan = new float[FEATURES];
        java.util.Arrays.fill(nan, Float.NaN);
        rows.add(nan);
        rows.add(new float[FEATURES]);
        float[] big = new float[FEATURES];
        java.util.Arrays.fill(big, 3.0e38f);
        rows.add(big);
        float[] small = new float[FEATURES];
        java.util.Arrays.fill(small, -3.0e38f);
        rows.add(small);
        if (categoricalColumn0) {
            for (float c : new float[]{0, 1, 2, 3, 4, 7, -1, Float.NaN}) {
                rows.add(new float[]{c, 0.1f, -0.2f, 0.3f});
            }
        }
        return rows.toArray(new float[0][]);
    }

    /** Saves the model in the given formats plus rows, margins and predictions. */
    static void save(Path dir, String name, Booster booster, float[][] rows, boolean categoricalColumn0,
                     String... formats)
            throws XGBoostError, IOException {
        for (String ext : formats) {
            Files.write(dir.resolve(name + "." + ext), booster.toByteArray(ext));
        }
        float[] flat = new float[rows.length * FEATURES];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * FEATURES, FEATURES);
        }
        DMatrix d = new DMatrix(flat, rows.length, FEATURES, Float.NaN);
        if (categoricalColumn0) {
            d.setFeatureTypes(new String[]{"c", "q", "q", "q"});
        }
        Csv.write(dir.resolve(name + ".rows.csv"), widen(rows));
        Csv.write(dir.resolve(name + ".margin.csv"), widen(booster.predict(d, true)));
        Csv.write(dir.resolve(name + ".pred.csv"), widen(booster.predict(d)));
    }

    static double[][] widen(float[][] v) {
        double[][] out = new double[v.length][];
        for (int i = 0; i < v.length; i++) {
            out[i] = new double[v[i].length];
            for (int j = 0; j < v[i].length; j++) {
                out[i][j] = v[i][j];
            }
        }
        return out;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "importers/src/test/resources/xgboost");
        Files.createDirectories(dir);
        Data data = Data.make(42, false);
        Data cat = Data.make(43, true);
        write(dir, "v3_binary_logistic", data, false,
                train(data.matrix(data.binary(), false), 8, "objective", "binary:logistic"), "json", "ubj");
        write(dir, "v3_multi_softprob", data, false, train(data.matrix(data.classes(), false), 4,
                "objective", "multi:softprob", "num_class", 3), "json", "ubj");
        write(dir, "v3_multi_output_tree", data, false, train(data.matrix(data.classes(), false), 4,
                "objective", "multi:softprob", "num_class", 3, "tree_method", "hist",
                "multi_strategy", "multi_output_tree"), "json", "ubj");
        write(dir, "v3_dart", data, false, train(data.matrix(data.binary(), false), 8,
                "objective", "binary:logistic", "rate_drop", 0.4, "skip_drop", 0.0), "json");
        write(dir, "v3_categorical", cat, true, train(cat.matrix(cat.binary(), true), 6,
                "objective", "binary:logistic", "tree_method", "hist", "max_cat_to_onehot", 1), "json", "ubj");
        write(dir, "v3_count_poisson", data, false,
                train(data.matrix(data.counts(), false), 6, "objective", "count:poisson"), "json");
        write(dir, "v3_reg_squarederror", data, false,
                train(data.matrix(data.signal(), false), 6, "objective", "reg:squarederror"), "ubj");
    }

    private static void write(Path dir, String name, Data data, boolean categorical, Booster booster,
                              String... formats) throws XGBoostError, IOException {
        float[][] rows = probeRows(data, booster.toByteArray("json"), categorical);
        save(dir, name, booster, rows, categorical, formats);
        System.out.println(name);
    }
}
