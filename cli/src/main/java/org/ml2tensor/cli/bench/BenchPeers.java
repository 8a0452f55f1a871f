package org.ml2tensor.cli.bench;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * Finds the optional {@link PeerProvider} for {@code bench}: the jars of the {@code bench-peers} module in
 * the folder named by {@code -Dml2tensor.bench.path} (the {@code ./ml2tensor} launcher sets it to
 * {@code bench-peers/target/bench-lib}), else {@code lib/bench/} next to the CLI jar. They are loaded in
 * a child class loader, only when {@code bench} runs, so the other commands never carry them.
 */
public final class BenchPeers {
    /** System property naming the folder of the bench-peers jars. */
    public static final String PATH_PROPERTY = "ml2tensor.bench.path";

    private BenchPeers() {
    }

    /** The provider, or empty (with the folder that was looked at) when the peers are not installed. */
    public static Optional<PeerProvider> load() {
        Optional<Path> folder = folder();
        if (folder.isEmpty()) {
            return Optional.empty();
        }
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder.get())) {
            for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                jars.add(p.toUri().toURL());
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        ClassLoader loader = new URLClassLoader(jars.toArray(URL[]::new), BenchPeers.class.getClassLoader());
        return ServiceLoader.load(PeerProvider.class, loader).findFirst();
    }

    /** Where the peers were looked for, for messages. */
    public static String where() {
        return folder().map(Path::toString).orElse(defaultFolder().map(Path::toString).orElse("lib/bench"));
    }

    private static Optional<Path> folder() {
        String p = System.getProperty(PATH_PROPERTY);
        Optional<Path> f = p != null && !p.isBlank() ? Optional.of(Path.of(p)) : defaultFolder();
        return f.filter(Files::isDirectory);
    }

    private static Optional<Path> defaultFolder() {
        try {
            URL jar = BenchPeers.class.getProtectionDomain().getCodeSource().getLocation();
            Path parent = Path.of(jar.toURI()).getParent();
            return parent == null ? Optional.empty() : Optional.of(parent.resolve("lib").resolve("bench"));
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
