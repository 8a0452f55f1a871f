package org.ml2tensor.importers.lightgbm;

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
 * Imports LightGBM text models ({@code Booster.save_model("model.txt")}, format v3/v4) onto a
 * {@link TreeEnsemble}. Inputs are the raw feature values; categorical features take LightGBM's integer
 * category codes (for pandas categorical columns: the position in {@code pandas_categorical}).
 *
 * <p>See {@link LgbmIrBuilder} for missing-value, categorical and leaf-scaling conventions and
 * {@link LgbmObjective} for objectives and heads. Linear trees and zero-as-missing splits that cannot be
 * expressed as plain comparisons are refused with {@link ErrorCode#UNSUPPORTED}.
 */
public final class LightgbmImporter {
    private LightgbmImporter() {
    }

    public static ModelIr load(Path path) {
        return loadBytes(ModelFiles.read(path), ModelFiles.fileName(path));
    }

    /** Imports a model from the bytes of its text file; {@code file} names it in messages. */
    public static ModelIr loadBytes(byte[] bytes, String file) {
        try (ReadBudget.Scope budget = ReadBudget.openFor(bytes.length, ImportOptions.defaults())) {
            return convert(bytes, file);
        }
    }

    private static ModelIr convert(byte[] bytes, String file) {
        LgbmModel model = LgbmTextReader.read(bytes, file);
        TreeEnsemble ensemble = LgbmIrBuilder.build(model, file);
        return new ModelIr(ensemble, model.featureCount(), names(model, file),
                new SourceInfo("lightgbm", description(model), ModelFiles.sha256(bytes)));
    }

    /** The LightGBM objectives this importer compiles (the model file's {@code objective=} line). */
    public static java.util.List<String> supportedObjectives() {
        return LgbmObjective.SUPPORTED;
    }

    /** Facts for {@code ml2tensor inspect}. */
    public static LightgbmModelInfo describe(Path path) {
        return describeBytes(ModelFiles.read(path), ModelFiles.fileName(path));
    }

    /** Facts for {@code ml2tensor inspect} from the bytes of a model; {@code file} names it in messages. */
    public static LightgbmModelInfo describeBytes(byte[] bytes, String file) {
        try (ReadBudget.Scope budget = ReadBudget.openFor(bytes.length, ImportOptions.defaults())) {
            return describeModel(bytes, file);
        }
    }

    private static LightgbmModelInfo describeModel(byte[] bytes, String file) {
        LgbmModel model = LgbmTextReader.read(bytes, file);
        TreeEnsemble ensemble = LgbmIrBuilder.build(model, file);
        LgbmObjective objective = LgbmIrBuilder.objective(model, file);
        List<Integer> categorical = new ArrayList<>();
        for (int i = 0; i < model.featureInfos().size(); i++) {
            String info = model.featureInfos().get(i);
            if (!info.startsWith("[") && !info.equals("none")) {
                categorical.add(i);
            }
        }
        int classes = ensemble.head() instanceof Head.Classification c ? c.labels().size() : 0;
        return new LightgbmModelInfo(model.version(), model.boosting(),
                model.objective() == null ? "custom" : model.objective(), model.trees().size(), model.iterations(),
                ensemble.maxDepth(), model.featureCount(), names(model, file), categorical, ensemble.outputWidth(),
                classes, model.averageOutput(), objective.leafScale(), model.pandasCategorical());
    }

    private static List<String> names(LgbmModel model, String file) {
        if (model.featureNames().isEmpty()) {
            return List.of();
        }
        if (model.featureNames().size() != model.featureCount()) {
            throw Ml2TensorException.of(ErrorCode.INVALID_MODEL, "feature_names has " + model.featureNames().size()
                            + " names for max_feature_idx+1 = " + model.featureCount() + " features")
                    .at(file + " › feature_names").hint("the header is inconsistent; save the model again").build();
        }
        return model.featureNames();
    }

    private static String description(LgbmModel model) {
        String boosting = model.boosting().isEmpty() ? "" : " " + model.boosting();
        String objective = model.objective() == null ? "custom" : model.objective().split(" ")[0];
        return "lightgbm " + model.version() + boosting + " " + objective;
    }



}
