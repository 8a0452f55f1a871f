package org.ml2tensor.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end tests of the {@code ./ml2tensor} launcher (run by failsafe after the jar is packaged). */
class CliIT {
    private static final Path RF = Launcher.SKLEARN.resolve("random_forest_classifier_strings__skl1.9.1");

    @Test
    void demoVerifiesAgainstScikitLearn() throws Exception {
        Launcher.Run r = Launcher.run("demo");
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("VERIFIED: 30/30 labels"), r.all());
    }

    @Test
    void compileIsDeterministicAndInspectDescribesTheResult(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.onnx");
        Path b = dir.resolve("b.onnx");
        for (Path out : List.of(a, b)) {
            Launcher.Run r = Launcher.run("compile", RF.resolve("model.pkl").toString(), "-o", out.toString());
            assertEquals(0, r.exit(), r.all());
            assertTrue(r.out().contains("strategy:"), r.out());
        }
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), "same model compiles to the same bytes");
        Launcher.Run inspect = Launcher.run("inspect", a.toString());
        assertEquals(0, inspect.exit(), inspect.all());
        assertTrue(inspect.out().contains("input:      input FLOAT[N, 4]"), inspect.out());
        assertTrue(inspect.out().contains("ml2tensor.class_labels: [\"setosa\",\"versicolor\",\"virginica\"]"),
                inspect.out());
    }

    @Test
    void inspectPrintsTheEstimatorTreeAndStrategy() throws Exception {
        Launcher.Run r = Launcher.run("inspect", RF.resolve("model.joblib").toString());
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("RandomForestClassifier"), r.out());
        assertTrue(r.out().contains("strategy:"), r.out());
        assertTrue(r.out().contains("max depth"), r.out());
    }

    @Test
    void predictWritesTheContractColumnsAndMatchesScikitLearn(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("y.csv");
        Launcher.Run r = Launcher.run("predict", RF.resolve("model.pkl").toString(), "--input",
                RF.resolve("input.csv").toString(), "--output", out.toString(), "--device", "cpu");
        assertEquals(0, r.exit(), r.all());
        List<String> got = Files.readAllLines(out);
        List<String> expected = Files.readAllLines(RF.resolve("expected.csv"));
        assertEquals(expected.get(0), got.get(0), "header");
        assertEquals(expected.size(), got.size());
        for (int i = 1; i < got.size(); i++) {
            String[] g = got.get(i).split(",");
            String[] e = expected.get(i).split(",");
            assertEquals(e[0], g[0], "label of row " + i);
            for (int k = 1; k < e.length; k++) {
                assertEquals(Double.parseDouble(e[k]), Double.parseDouble(g[k]), 2e-6, "row " + i + " col " + k);
            }
        }
    }

    @Test
    void predictOnXgboostModelWithNpyOutput(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("x.csv");
        List<String> rows = Files.readAllLines(Launcher.BOOSTERS.resolve("xgboost/binary_logistic.rows.csv"));
        Files.writeString(csv, "f0,f1,f2,f3\n" + String.join("\n", rows) + "\n");
        Path out = dir.resolve("y.npy");
        Launcher.Run r = Launcher.run("predict", Launcher.BOOSTERS.resolve("xgboost/binary_logistic.json").toString(),
                "--input", csv.toString(), "--output", out.toString(), "--quiet");
        assertEquals(0, r.exit(), r.all());
        assertTrue(Files.size(out) > 128);
    }

    @Test
    void missingFileGivesAClearErrorAndExitStatus(@TempDir Path dir) throws Exception {
        Launcher.Run r = Launcher.run("compile", dir.resolve("nope.pkl").toString(), "-o", dir.resolve("x.onnx").toString());
        assertEquals(3, r.exit(), r.all());
        assertTrue(r.err().contains("nope.pkl") && r.err().contains("no such file"), r.err());
        assertFalse(Files.exists(dir.resolve("x.onnx")));
    }

    @Test
    void wrongInputWidthGivesAClearErrorAndNoOutput(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("x.csv");
        Files.writeString(csv, "a,b,c\n1,2,3\n");
        Path out = dir.resolve("y.csv");
        Launcher.Run r = Launcher.run("predict", RF.resolve("model.pkl").toString(), "--input", csv.toString(),
                "--output", out.toString());
        assertEquals(7, r.exit(), r.all());
        assertTrue(r.err().contains("x.csv") && r.err().contains("3"), r.err());
        assertFalse(Files.exists(out), "no half-written output");
    }

    @Test
    void hostilePickleIsRefusedAndNothingRuns(@TempDir Path dir) throws Exception {
        Path marker = dir.resolve("pwned");
        // protocol 2: GLOBAL 'os system', the command as a string, TUPLE1, REDUCE, STOP
        String cmd = "touch " + marker;
        byte[] head = {(byte) 0x80, 2, 'c'};
        byte[] global = "os\nsystem\n".getBytes();
        byte[] str = cmd.getBytes();
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.write(head);
        b.write(global);
        b.write('X');
        b.write(new byte[]{(byte) str.length, 0, 0, 0});
        b.write(str);
        b.write(new byte[]{(byte) 0x85, 'R', '.'});
        Path evil = dir.resolve("evil.pkl");
        Files.write(evil, b.toByteArray());
        Launcher.Run r = Launcher.run("compile", evil.toString(), "-o", dir.resolve("x.onnx").toString());
        assertEquals(4, r.exit(), r.all());
        assertTrue(r.err().contains("os.system") || r.err().contains("os system"), r.err());
        assertFalse(Files.exists(marker), "the pickle's command must not run");
    }

    @Test
    void unknownOptionValueIsReported() throws Exception {
        Launcher.Run r = Launcher.run("compile", RF.resolve("model.pkl").toString(), "-o", "/tmp/x.onnx",
                "--strategy", "fastest");
        assertEquals(2, r.exit(), r.all());
        assertTrue(r.err().contains("--strategy") && r.err().contains("tree-traversal"), r.err());
    }

    @Test
    void benchTimesEveryStrategyAndPeerAndWritesJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        Launcher.Run r = Launcher.run("bench", Launcher.BOOSTERS.resolve("xgboost/binary_logistic.json").toString(),
                "--batch", "1,8", "--seconds", "0.01", "--min-calls", "1", "--reference-max-batch", "1",
                "--threads", "1", "--device", "cpu", "--json", json.toString());
        assertEquals(0, r.exit(), r.all());
        String text = Files.readString(json);
        try (com.fasterxml.jackson.core.JsonParser p = new com.fasterxml.jackson.core.JsonFactory().createParser(text)) {
            while (p.nextToken() != null) {
                // reading every token checks the document is well-formed JSON
            }
        }
        for (String c : List.of("gemm", "tree-traversal", "perfect-tree-traversal", "peer: onnxruntime TreeEnsemble",
                "peer: xgboost4j", "peer: ejml-reference (1 thread)")) {
            assertTrue(text.contains("\"batch\":1,\"candidate\":\"" + c), c + " missing at batch 1:\n" + text);
            assertTrue(r.out().contains("| 8 | " + c), c + " missing at batch 8:\n" + r.out());
        }
        assertTrue(r.out().contains("| 8 | peer: ejml-reference (1 thread) | skipped: reference timed up to batch 1 "),
                r.out());
        assertTrue(r.out().contains("[auto]"), r.out());
    }
}
