package org.ml2tensor.importers.sklearn;

import org.ml2tensor.importers.ImportOptions;
import org.ml2tensor.importers.ModelFiles;
import org.ml2tensor.importers.ReadBudget;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.ir.SourceInfo;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.importers.pickle.NdArray;
import org.ml2tensor.importers.pickle.PickleDocument;
import org.ml2tensor.importers.pickle.PickleLimits;
import org.ml2tensor.importers.pickle.PickleReader;

/**
 * Entry point for scikit-learn models saved with {@code pickle} or {@code joblib}: reads the file with the
 * safe {@link PickleReader} (nothing is executed; only the registry's classes are accepted) and converts
 * the estimator into a {@link ModelIr}. Immutable and thread-safe.
 */
public final class SklearnImporter {
    /** The {@link SourceInfo#format()} of models from this importer. */
    public static final String FORMAT = "sklearn";

    private final SklearnRegistry registry;
    private final PickleReader reader;

    public SklearnImporter(SklearnRegistry registry, PickleLimits limits) {
        this.registry = registry;
        this.reader = new PickleReader(registry.allowlist(), limits);
    }

    /** The standard registry with default limits. */
    public static SklearnImporter standard() {
        return new SklearnImporter(SklearnRegistry.standard(), PickleLimits.defaults());
    }

    public SklearnRegistry registry() {
        return registry;
    }

    /** Reads and converts a pickle or joblib file. */
    public ModelIr load(Path file) {
        return load(PickleReader.readFile(file, reader.limits()), file.getFileName().toString());
    }

    /** Converts the bytes of a pickle or joblib file; {@code sourceName} prefixes error contexts. */
    public ModelIr load(byte[] fileBytes, String sourceName) {
        return load(fileBytes, sourceName, ImportOptions.Method.PREDICT);
    }

    /**
     * Converts the bytes of a pickle or joblib file computing {@code method}: {@code transform} turns a
     * predictor that also has one (LinearDiscriminantAnalysis, or a pipeline ending in it) into its transform,
     * and refuses any other predictor by name; {@code predict_log_proba} outputs a classifier's log-probabilities
     * as scikit-learn computes them ({@link LogProbaMethod}) and refuses an estimator without that method.
     */
    public ModelIr load(byte[] fileBytes, String sourceName, ImportOptions.Method method) {
        try (ReadBudget.Scope budget = ReadBudget.openFor(fileBytes.length, ImportOptions.defaults())) {
            return convert(fileBytes, sourceName, method);
        }
    }

    private ModelIr convert(byte[] fileBytes, String sourceName, ImportOptions.Method method) {
        PickleDocument doc = reader.read(fileBytes, sourceName);
        try {
            SklearnObject root = SklearnObject.root(doc.root());
            ConversionContext ctx = new ConversionContext(registry);
            ctx.requireAllSupported(root);
            Estimator estimator = switch (method) {
                case TRANSFORM -> ctx.transformOf(root);
                case PREDICT_LOG_PROBA -> LogProbaMethod.of(root, ctx);
                case PREDICT -> ctx.convert(root);
            };
            List<String> names = featureNames(root, estimator.inputWidth());
            return new ModelIr(estimator, estimator.inputWidth(), names,
                    new SourceInfo(FORMAT, root.className(), ModelFiles.sha256(fileBytes)));
        } catch (Ml2TensorException e) {
            throw sourceName == null ? e : e.within(sourceName);
        }
    }

    /** A human-readable tree of the estimator in a file (for {@code ml2tensor inspect}). */
    public String describe(Path file) {
        return describe(PickleReader.readFile(file, reader.limits()), file.getFileName().toString());
    }

    /**
     * A human-readable tree of the estimator: class, versions, input features, pipeline steps and, for
     * each estimator, what it converts to (or why it cannot be converted).
     */
    public String describe(byte[] fileBytes, String sourceName) {
        try (ReadBudget.Scope budget = ReadBudget.openFor(fileBytes.length, ImportOptions.defaults())) {
            PickleDocument doc = reader.read(fileBytes, sourceName);
            return new EstimatorDescriber(registry).describe(doc, sourceName, ModelFiles.sha256(fileBytes));
        }
    }

    /** {@code feature_names_in_} of the model (or of a pipeline's first step) when it has one. */
    static List<String> featureNames(SklearnObject est, int width) {
        Optional<SklearnObject> holder = Optional.of(est);
        for (int depth = 0; depth < 16 && holder.isPresent(); depth++) {
            SklearnObject h = holder.get();
            if (h.has("feature_names_in_") && h.get("feature_names_in_") instanceof NdArray a) {
                List<String> names = h.within("feature_names_in_", a::toStrings);
                return names.size() == width ? names : List.of();
            }
            if (!h.simpleName().equals("Pipeline")) {
                break;
            }
            holder = PipelineConverter.steps(h).stream().map(PipelineConverter.Step::estimator)
                    .filter(s -> s != null).findFirst();
        }
        return List.of();
    }

}
