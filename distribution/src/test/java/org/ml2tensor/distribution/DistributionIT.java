package org.ml2tensor.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive as a user gets it: unpacked into an empty folder and run with nothing but a Java
 * runtime (no Maven, no repository, an empty environment): {@code bin/ml2tensor demo} verifies against
 * scikit-learn, the class path holds no bench peer or conformance-test jar, and every bundled jar is
 * named in the third-party notices.
 */
class DistributionIT {
    @TempDir
    static Path dir;
    static Path home;

    @BeforeAll
    static void unpack() throws Exception {
        Path archive = Path.of(System.getProperty("ml2tensor.archive"));
        assertTrue(Files.isRegularFile(archive), archive + " was not built");
        Process tar = new ProcessBuilder("tar", "xzf", archive.toString(), "-C", dir.toString()).inheritIO().start();
        assertEquals(0, tar.waitFor());
        try (Stream<Path> s = Files.list(dir)) {
            home = s.filter(p -> p.getFileName().toString().startsWith("ml2tensor-")).findFirst().orElseThrow();
        }
    }

    record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/ml2tensor").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", dir.resolve("home").toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("ML2TENSOR_JAVA_OPTS", "-Djava.io.tmpdir=" + tmp);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("bin/ml2tensor " + String.join(" ", args) + " did not finish");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void layoutHasTheLauncherJarLibrariesReadmeLicenseAndNotices() throws IOException {
        for (String f : List.of("bin/ml2tensor", "ml2tensor.jar", "lib", "README.md", "LICENSE", "THIRD-PARTY-NOTICES.txt")) {
            assertTrue(Files.exists(home.resolve(f)), f);
        }
        assertTrue(Files.isExecutable(home.resolve("bin/ml2tensor")));
        String notices = Files.readString(home.resolve("THIRD-PARTY-NOTICES.txt"));
        List<String> jars;
        try (Stream<Path> s = Files.list(home.resolve("lib"))) {
            jars = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        for (String jar : jars) {
            assertTrue(jar.endsWith(".jar"), jar);
            assertTrue(!jar.contains("xgboost") && !jar.contains("lightgbm") && !jar.contains("scala")
                    && !jar.contains("conformance") && !jar.contains("ejml"), "not on the CLI class path: " + jar);
            String artifact = jar.replaceAll("-\\d[^-]*(-SNAPSHOT)?\\.jar$", "");
            assertTrue(artifact.startsWith("model-api") || artifact.startsWith("compiler") || artifact.startsWith("importers") || artifact.startsWith("runtime")
                    || artifact.startsWith("train") || artifact.startsWith("serve") || artifact.startsWith("onnx-proto") || notices.contains(artifact), artifact + " missing from the notices");
        }
        try (JarFile jar = new JarFile(home.resolve("ml2tensor.jar").toFile())) {
            for (String entry : jar.getManifest().getMainAttributes().getValue("Class-Path").split(" ")) {
                assertTrue(Files.isRegularFile(home.resolve(entry)), "manifest class path entry " + entry);
            }
        }
    }

    @Test
    void demoRunsWithOnlyAJavaRuntimeAndLeavesNoTemporaryFolders() throws Exception {
        for (int i = 0; i < 2; i++) { // the first run writes the AppCDS archive, the second maps it
            Run r = run("demo");
            assertEquals(0, r.exit(), r.out() + r.err());
            assertTrue(r.out().contains("VERIFIED: 30/30 labels"), r.out());
        }
        try (Stream<Path> s = Files.list(dir.resolve("tmp"))) {
            assertEquals(List.of(), s.toList(), "nothing left in the temp folder");
        }
        try (Stream<Path> s = Files.walk(dir.resolve("home/.cache/ml2tensor"))) {
            List<String> names = s.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.contains("libonnxruntime.so"), names.toString());
            assertTrue(names.stream().anyMatch(n -> n.startsWith("appcds-") && n.endsWith(".jsa")), names.toString());
        }
        Run none = run();
        assertEquals(2, none.exit(), none.out() + none.err());
    }
}
