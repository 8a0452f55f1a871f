package org.ml2tensor.bench.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./ml2tensor bench} with this module built: the launcher points the CLI at target/bench-lib and the
 * peers (XGBoost4J, the EJML reference) are timed next to every strategy.
 */
class BenchPeersIT {
    private static final Path REPO = Paths.get("..").toAbsolutePath().normalize();

    @Test
    void benchTimesEveryStrategyAndPeerAndWritesJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(REPO.resolve("ml2tensor").toString(), "bench",
                REPO.resolve("importers/src/test/resources/xgboost/binary_logistic.json").toString(),
                "--batch", "1,8", "--seconds", "0.01", "--min-calls", "1", "--reference-max-batch", "1",
                "--threads", "1", "--device", "cpu", "--json", json.toString()).directory(REPO.toFile());
        pb.environment().put("ML2TENSOR_NO_BUILD", "1");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("bench did not finish");
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String all = stdout + Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), all);
        String text = Files.readString(json);
        try (com.fasterxml.jackson.core.JsonParser parser = new com.fasterxml.jackson.core.JsonFactory().createParser(text)) {
            while (parser.nextToken() != null) {
                // reading every token checks the document is well-formed JSON
            }
        }
        for (String c : List.of("gemm", "tree-traversal", "perfect-tree-traversal", "peer: onnxruntime TreeEnsemble",
                "peer: xgboost4j", "peer: ejml-reference (1 thread)")) {
            assertTrue(text.contains("\"batch\":1,\"candidate\":\"" + c), c + " missing at batch 1:\n" + text);
            assertTrue(stdout.contains("| 8 | " + c), c + " missing at batch 8:\n" + stdout);
        }
        assertTrue(stdout.contains("| 8 | peer: ejml-reference (1 thread) | skipped: reference timed up to batch 1 "),
                stdout);
        assertTrue(stdout.contains("[auto]"), stdout);
    }
}
