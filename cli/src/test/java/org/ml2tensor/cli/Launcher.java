package org.ml2tensor.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the repository's {@code ./ml2tensor} launcher as a user would, capturing exit status and output. */
final class Launcher {
    static final Path REPO = Paths.get("..").toAbsolutePath().normalize();
    static final Path SKLEARN = REPO.resolve("conformance-tests/src/test/resources/fixtures/sklearn");
    static final Path BOOSTERS = REPO.resolve("importers/src/test/resources");

    record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private Launcher() {
    }

    static Run run(String... args) throws IOException, InterruptedException {
        return run(Map.of(), args);
    }

    /** Runs with extra environment variables. */
    static Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(REPO.resolve("ml2tensor").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(REPO.toFile());
        // The jar was just built by this Maven run: never rebuild from inside the build.
        pb.environment().put("ML2TENSOR_NO_BUILD", "1");
        pb.environment().putAll(env);
        Path out = Files.createTempFile("ml2tensor-out", ".txt");
        Path err = Files.createTempFile("ml2tensor-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("ml2tensor " + String.join(" ", args) + " did not finish");
        }
        Run r = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return r;
    }
}
