package org.ml2tensor.importers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.ml2tensor.importers.lightgbm.LightgbmImporter;
import org.ml2tensor.importers.sklearn.SklearnRegistry;
import org.ml2tensor.importers.xgboost.XgboostImporter;

/**
 * What the importers accept, generated from their registries (behind {@code ml2tensor list-estimators}):
 * the scikit-learn classes by public module, and the XGBoost and LightGBM objectives.
 */
public final class SupportedModels {
    private SupportedModels() {
    }

    /** scikit-learn (and scikit-learn-API wrapper) classes grouped by public module, e.g. {@code sklearn.ensemble}. */
    public static Map<String, List<String>> sklearnByModule() {
        Map<String, TreeSet<String>> byModule = new TreeMap<>();
        for (String qn : SklearnRegistry.standard().pythonNames()) {
            int dot = qn.lastIndexOf('.');
            byModule.computeIfAbsent(publicModule(qn.substring(0, dot)), k -> new TreeSet<>()).add(qn.substring(dot + 1));
        }
        Map<String, List<String>> out = new TreeMap<>();
        byModule.forEach((m, names) -> out.put(m, List.copyOf(names)));
        return out;
    }

    /** The XGBoost objectives compiled from {@code .json}/{@code .ubj} models. */
    public static List<String> xgboostObjectives() {
        return XgboostImporter.supportedObjectives();
    }

    /** The LightGBM objectives compiled from text models. */
    public static List<String> lightgbmObjectives() {
        return LightgbmImporter.supportedObjectives();
    }

    /** The whole list as text lines. */
    public static List<String> render() {
        List<String> out = new ArrayList<>();
        out.add("scikit-learn (.pkl / .joblib), by module:");
        sklearnByModule().forEach((m, names) -> out.add("  " + m + ": " + String.join(", ", names)));
        out.add("XGBoost (.json / .ubj; gbtree and dart boosters), objectives:");
        out.add("  " + String.join(", ", xgboostObjectives()));
        out.add("LightGBM (text model from save_model; gbdt, dart, rf), objectives:");
        out.add("  " + String.join(", ", lightgbmObjectives()));
        return out;
    }

    /**
     * The module users import a class from: the first two components for scikit-learn
     * ({@code sklearn.ensemble._forest} → {@code sklearn.ensemble}), the package for others.
     */
    static String publicModule(String module) {
        String[] parts = module.split("\\.");
        if (parts[0].equals("sklearn") && parts.length > 1 && !parts[1].startsWith("_")) {
            return parts[0] + "." + parts[1];
        }
        return parts[0];
    }
}
