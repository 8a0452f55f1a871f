package org.ml2tensor.importers.sklearn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Locates the committed fixtures written by {@code src/test/python/make_sklearn_fixtures.py}. */
final class Fixtures {
    private Fixtures() {
    }

    static Path root() {
        try {
            return Path.of(Fixtures.class.getResource("/sklearn").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One directory per scikit-learn version, e.g. {@code skl1.2.1}. */
    static List<Path> versionDirs() {
        try (Stream<Path> s = Files.list(root())) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file written for one model: pickles per protocol and joblib files per compression. */
    static List<Path> modelFiles(Path dir, String model) {
        Map<String, Object> index = Json.map(Json.read(dir.resolve("index.json")));
        List<Path> files = new ArrayList<>();
        for (int legacy = 0; legacy <= 1; legacy++) {
            Path p = dir.resolve(model + ".p" + legacy + ".pkl");
            if (Files.exists(p)) {
                files.add(p);
            }
        }
        for (Object p : Json.list(index.get("protocols"))) {
            files.add(dir.resolve(model + ".p" + ((Double) p).intValue() + ".pkl"));
        }
        files.add(dir.resolve(model + ".joblib"));
        for (Object c : Json.list(index.get("compressions"))) {
            files.add(dir.resolve(model + "." + c + ".joblib"));
        }
        return files;
    }

    static List<String> models(Path dir) {
        Map<String, Object> index = Json.map(Json.read(dir.resolve("index.json")));
        return Json.list(index.get("models")).stream().map(Object::toString).toList();
    }

    /** All model files of all versions (for fuzzing). */
    static List<Path> allModelFiles() {
        List<Path> out = new ArrayList<>();
        for (Path dir : versionDirs()) {
            for (String m : models(dir)) {
                out.addAll(modelFiles(dir, m));
            }
        }
        return out;
    }
}
