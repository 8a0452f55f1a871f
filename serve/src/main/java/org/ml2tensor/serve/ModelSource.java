package org.ml2tensor.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * Which files are served: {@code .onnx} files and source models ({@code .pkl}, {@code .pickle},
 * {@code .joblib}, XGBoost {@code .json}/{@code .ubj}, LightGBM {@code .txt}); a model's name is its file
 * name without the extension.
 */
public final class ModelSource {
    static final Set<String> EXTENSIONS = Set.of("onnx", "pkl", "pickle", "joblib", "json", "ubj", "txt");

    private ModelSource() {
    }

    /** The served model name of a file, e.g. {@code iris} for {@code iris.pkl}. */
    public static String modelName(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /** Whether a file name has a served extension (hidden and temporary files excluded). */
    public static boolean isModelFile(Path file) {
        String n = file.getFileName().toString();
        if (n.startsWith(".") || n.endsWith("~")) {
            return false;
        }
        int dot = n.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** The model files named by the arguments: files as given, directories by their model files (sorted). */
    public static List<Path> expand(List<Path> arguments) {
        List<Path> files = new ArrayList<>();
        for (Path p : arguments) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(Files::isRegularFile).filter(ModelSource::isModelFile).sorted().forEach(files::add);
                } catch (IOException e) {
                    throw Ml2TensorException.of(ErrorCode.IO, "cannot list the model directory: " + e.getMessage())
                            .at(p.toString()).cause(e).build();
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw Ml2TensorException.of(ErrorCode.IO, "no such model file or directory").at(p.toString())
                        .hint("give .onnx or source model files, or a directory of them").build();
            }
        }
        if (files.isEmpty()) {
            throw Ml2TensorException.of(ErrorCode.IO, "no model files to serve in " + arguments)
                    .hint("a directory is served by its " + String.join(", ", EXTENSIONS.stream().sorted().toList())
                            + " files").build();
        }
        return files;
    }
}
