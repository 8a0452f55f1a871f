package org.ml2tensor.importers.xgboost;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.ir.SourceInfo;
import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.importers.ImportOptions;
import org.ml2tensor.importers.ModelFiles;
import org.ml2tensor.importers.ReadBudget;
import org.ml2tensor.error.Ml2TensorException;

/**
 * Imports XGBoost models saved with {@code Booster.save_model} as JSON ({@code .json}) or UBJSON
 * ({@code .ubj}), written by XGBoost 1.0 to 3.x, boosters {@code gbtree} and {@code dart}, onto a
 * {@link TreeEnsemble}. The format is detected from the content, not the file name.
 *
 * <p>See {@link XgbIrBuilder} for the split, categorical, DART and base-score conventions and
 * {@link XgbObjective} for the objectives and heads. By default every tree is imported (as
 * {@code Booster.predict} does); see {@link XgboostOptions#bestIterationOnly()}.
 */
public final class XgboostImporter {
    private XgboostImporter() {
    }

    /** Imports every tree of the model at {@code path}. */
    public static ModelIr load(Path path) {
        return load(path, XgboostOptions.DEFAULTS);
    }

    public static ModelIr load(Path path, XgboostOptions options) {
        return loadBytes(ModelFiles.read(path), ModelFiles.fileName(path), options);
    }

    /**
     * Imports a model from its bytes (JSON or UBJSON; also the UBJSON {@code {"Config","Model"}} document
     * of a pickled {@code Booster} handle).
     *
     * @param file name used in messages
     */
    public static ModelIr loadBytes(byte[] bytes, String file, XgboostOptions options) {
        try (ReadBudget.Scope budget = ReadBudget.openFor(bytes.length, ImportOptions.defaults())) {
            return convert(bytes, file, options);
        }
    }

    private static ModelIr convert(byte[] bytes, String file, XgboostOptions options) {
        XgbModel model = parse(bytes, file);
        TreeEnsemble ensemble = XgbIrBuilder.build(model, treeCount(model, options), file);
        List<String> names = model.featureNames().size() == model.numFeature() ? model.featureNames() : List.of();
        String description = "xgboost " + model.versionText() + " " + model.booster() + " " + model.objective();
        return new ModelIr(ensemble, model.numFeature(), names, new SourceInfo("xgboost", description,
                ModelFiles.sha256(bytes)));
    }

    /** The XGBoost objectives this importer compiles ({@code learner.objective.name}). */
    public static java.util.List<String> supportedObjectives() {
        return XgbObjective.names();
    }

    /** Facts for {@code ml2tensor inspect}. */
    public static XgboostModelInfo describe(Path path) {
        return describe(path, XgboostOptions.DEFAULTS);
    }

    public static XgboostModelInfo describe(Path path, XgboostOptions options) {
        return describeBytes(ModelFiles.read(path), ModelFiles.fileName(path), options);
    }

    /** Facts for {@code ml2tensor inspect} from the bytes of a model; {@code file} names it in messages. */
    public static XgboostModelInfo describeBytes(byte[] bytes, String file, XgboostOptions options) {
        try (ReadBudget.Scope budget = ReadBudget.openFor(bytes.length, ImportOptions.defaults())) {
            return describeModel(bytes, file, options);
        }
    }

    private static XgboostModelInfo describeModel(byte[] bytes, String file, XgboostOptions options) {
        XgbModel model = parse(bytes, file);
        int count = treeCount(model, options);
        TreeEnsemble ensemble = XgbIrBuilder.build(model, count, file);
        List<Integer> categorical = new ArrayList<>();
        for (int i = 0; i < model.featureTypes().size(); i++) {
            if (model.featureTypes().get(i).equals("c")) {
                categorical.add(i);
            }
        }
        int classes = ensemble.head() instanceof Head.Classification c ? c.labels().size() : 0;
        boolean vector = model.trees().stream().anyMatch(XgbTree::vectorLeaf);
        return new XgboostModelInfo(model.versionText(), model.booster(), model.objective(), count,
                model.trees().size(), ensemble.maxDepth(), model.numFeature(),
                model.featureNames().size() == model.numFeature() ? model.featureNames() : List.of(), categorical,
                ensemble.outputWidth(), classes, ensemble.baseScores(), model.bestIteration(), vector);
    }

    /** The fix for a model in XGBoost's legacy binary format. */
    public static final String LEGACY_HINT = "models in the legacy binary format (or from XGBoost < 1.0) must be"
            + " loaded by XGBoost and saved again with Booster.save_model('model.json')";

    static XgbModel parse(byte[] bytes, String file) {
        DocValue doc;
        switch (detect(bytes)) {
            case JSON:
                doc = JsonDocumentReader.read(bytes, file);
                break;
            case UBJSON:
                doc = UbjsonDocumentReader.read(bytes, file);
                break;
            default:
                throw Ml2TensorException.of(ErrorCode.MODEL_FORMAT, "not an XGBoost JSON or UBJSON model")
                        .at(file)
                        .hint(bytes.length == 0 ? "the file is empty"
                                : LEGACY_HINT)
                        .build();
        }
        return XgbModelReader.read(DocNode.root(doc, file));
    }

    enum Encoding { JSON, UBJSON, UNKNOWN }

    /**
     * JSON starts with {@code {} then whitespace or a quote; UBJSON with {@code {} then the integer marker
     * of the first key's length ({@code i U I l L}) or {@code }} for an empty object.
     */
    static Encoding detect(byte[] bytes) {
        int i = 0;
        while (i < bytes.length && (bytes[i] == ' ' || bytes[i] == '\n' || bytes[i] == '\r' || bytes[i] == '\t')) {
            i++;
        }
        if (i >= bytes.length || bytes[i] != '{') {
            return Encoding.UNKNOWN;
        }
        if (i == 0 && bytes.length > 1) {
            byte b = bytes[1];
            if (b == 'i' || b == 'U' || b == 'I' || b == 'l' || b == 'L' || b == 'N') {
                return Encoding.UBJSON;
            }
        }
        return Encoding.JSON;
    }

    private static int treeCount(XgbModel model, XgboostOptions options) {
        if (options.bestIterationOnly() && model.bestIteration().isPresent()) {
            return Math.min(model.trees().size(), model.treesInFirstIterations(model.bestIteration().getAsInt() + 1));
        }
        return model.trees().size();
    }



}
