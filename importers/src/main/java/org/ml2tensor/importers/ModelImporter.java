package org.ml2tensor.importers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.importers.lightgbm.LightgbmImporter;
import org.ml2tensor.importers.sklearn.SklearnImporter;
import org.ml2tensor.importers.xgboost.XgboostImporter;
import org.ml2tensor.importers.xgboost.XgboostOptions;

/**
 * Entry point for reading a model file of any supported format into the model IR, with format detection
 * from the file's first bytes.
 */
public final class ModelImporter {
    private ModelImporter() {
    }

    /** Reads {@code file} (format detected when {@code format} is AUTO) into the IR, with default options. */
    public static ModelIr load(Path file, ModelFormat format) {
        return load(file, format, ImportOptions.defaults());
    }

    /**
     * Reads {@code file} (format detected when {@code format} is AUTO) into the IR within the
     * {@link ReadBudget} of {@code options}.
     */
    public static ModelIr load(Path file, ModelFormat format, ImportOptions options) {
        // read once, then detect from the bytes read: a pipe cannot be read twice
        byte[] bytes = ModelFiles.read(file, options);
        ModelFormat f = format == ModelFormat.AUTO ? detect(bytes, file) : format;
        if (f == ModelFormat.ONNX || f == ModelFormat.AUTO) {
            return rejectNonSource(file, f);
        }
        String name = ModelFiles.fileName(file);
        if (options.method() != ImportOptions.Method.PREDICT && f != ModelFormat.SKLEARN) {
            throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, f.name().toLowerCase(java.util.Locale.ROOT)
                    + " models have no " + options.method().cliName() + " method").at(file.toString())
                    .hint("drop --method (predict is the only method of a booster)").build();
        }
        try (ReadBudget.Scope budget = ReadBudget.openFor(bytes.length, options)) {
            return switch (f) {
                case SKLEARN -> SklearnImporter.standard().load(bytes, name, options.method());
                case XGBOOST -> XgboostImporter.loadBytes(bytes, name, XgboostOptions.DEFAULTS);
                case LIGHTGBM -> LightgbmImporter.loadBytes(bytes, name);
                default -> throw new IllegalStateException();
            };
        }
    }

    private static ModelIr rejectNonSource(Path file, ModelFormat f) {
        if (f == ModelFormat.ONNX) {
            throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "the file is already an ONNX model")
                    .at(file.toString()).hint("give a scikit-learn, XGBoost or LightGBM model to compile").build();
        }
        throw new IllegalStateException("unresolved format " + f);
    }

    /** A human-readable description of the source model (estimators, trees, classes, features). */
    public static String describe(Path file, ModelFormat format) {
        return describe(file, format, ImportOptions.defaults());
    }

    /** {@link #describe(Path, ModelFormat)} within the {@link ReadBudget} of {@code options}. */
    public static String describe(Path file, ModelFormat format, ImportOptions options) {
        byte[] bytes = ModelFiles.read(file, options);
        ModelFormat f = format == ModelFormat.AUTO ? detect(bytes, file) : format;
        if (f == ModelFormat.ONNX || f == ModelFormat.AUTO) {
            throw new IllegalArgumentException("not a source model format: " + f);
        }
        String name = ModelFiles.fileName(file);
        try (ReadBudget.Scope budget = ReadBudget.openFor(bytes.length, options)) {
            return switch (f) {
                case SKLEARN -> SklearnImporter.standard().describe(bytes, name);
                case XGBOOST -> printableLines(
                        XgboostImporter.describeBytes(bytes, name, XgboostOptions.DEFAULTS).render());
                case LIGHTGBM -> printableLines(LightgbmImporter.describeBytes(bytes, name).render());
                default -> throw new IllegalStateException();
            };
        }
    }

    /** {@code format} itself, or the format detected from the file when AUTO. */
    public static ModelFormat resolve(Path file, ModelFormat format) {
        return format == ModelFormat.AUTO ? detect(file) : format;
    }

    /**
     * Detects the format from the first bytes of a file. Only regular files are looked at: reading the head
     * of a pipe would consume it, so a pipe needs an explicit format (or {@link #load}, which reads once).
     */
    public static ModelFormat detect(Path file) {
        byte[] head = new byte[64];
        int n;
        if (Files.exists(file) && !Files.isRegularFile(file) && !Files.isDirectory(file)) {
            throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "the format of a pipe or device cannot be"
                            + " detected without consuming it").at(file.toString())
                    .hint("pass --format (sklearn, xgboost, lightgbm or onnx), or give a regular file").build();
        }
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (NoSuchFileException e) {
            throw Ml2TensorException.of(ErrorCode.IO, "no such file").at(file.toString())
                    .hint("check the path").build();
        } catch (IOException e) {
            throw Ml2TensorException.of(ErrorCode.IO, "cannot read the file: " + e.getMessage()).at(file.toString())
                    .cause(e).build();
        }
        return detect(head, n, file);
    }

    /** Detects the format of a model already read into memory. */
    static ModelFormat detect(byte[] bytes, Path file) {
        return detect(bytes, Math.min(bytes.length, 64), file);
    }

    private static ModelFormat detect(byte[] head, int n, Path file) {
        if (n == 0) {
            throw Ml2TensorException.of(ErrorCode.MODEL_FORMAT, "the file is empty").at(file.toString())
                    .hint("give a model file written by scikit-learn, XGBoost or LightGBM").build();
        }
        int b0 = head[0] & 0xff;
        int b1 = n > 1 ? head[1] & 0xff : -1;
        // pickle (PROTO opcode) and joblib's whole-file compressions
        if (b0 == 0x80 || b0 == 0x78 || (b0 == 0x1f && b1 == 0x8b) || (b0 == 'B' && b1 == 'Z')
                || (b0 == 0xfd && b1 == '7') || (b0 == 0x5d && b1 == 0x00) || (b0 == 0x04 && b1 == 0x22)) {
            return ModelFormat.SKLEARN;
        }
        String text = new String(head, 0, n, StandardCharsets.ISO_8859_1);
        if (text.startsWith("tree\n") || text.startsWith("tree\r\n")) {
            return ModelFormat.LIGHTGBM;
        }
        if (text.startsWith("binf") || text.startsWith("bs64")) {
            // XGBoost's legacy binary model (save_model('x.model'/'x.bin') before 2.0 or XGBoost < 1.0):
            // the XGBoost importer refuses it with the re-save hint.
            return ModelFormat.XGBOOST;
        }
        String trimmed = text.stripLeading();
        if (trimmed.startsWith("{")) {
            // UBJSON objects start with '{' followed by a key length marker; JSON with '"' or whitespace.
            return ModelFormat.XGBOOST;
        }
        if (file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx") || b0 == 0x08) {
            return ModelFormat.ONNX;
        }
        String lower = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith(".bin") || lower.endsWith(".model") || lower.endsWith(".deprecated")) {
            throw Ml2TensorException.of(ErrorCode.MODEL_FORMAT, "unrecognised model format (first bytes "
                            + hex(head, Math.min(n, 8)) + "); a binary .bin/.model file is usually XGBoost's"
                            + " legacy binary format").at(file.toString())
                    .hint(XgboostImporter.LEGACY_HINT).build();
        }
        throw Ml2TensorException.of(ErrorCode.MODEL_FORMAT, "unrecognised model format (first bytes "
                        + hex(head, Math.min(n, 8)) + ")").at(file.toString())
                .hint("supported: scikit-learn .pkl/.joblib, XGBoost .json/.ubj, LightGBM .txt, ONNX .onnx; "
                        + "or pass --format").build();
    }

    private static String hex(byte[] b, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(String.format("%02x", b[i] & 0xff));
        }
        return sb.toString();
    }

    /** Joins description lines, escaping the control characters a hostile file may put in names. */
    private static String printableLines(java.util.List<String> lines) {
        return String.join("\n", lines.stream().map(org.ml2tensor.error.Printable::escape).toList());
    }
}
