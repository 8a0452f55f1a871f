package org.ml2tensor.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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
        // the embedded CPU companion is shown by its size, and the routing sentence says what runs when
        assertTrue(inspect.out().contains("ml2tensor.cpu_companion: (an embedded ONNX model, "), inspect.out());
        assertTrue(inspect.out().contains("ml2tensor.cpu_companion_routing: on ONNX Runtime's CPU provider, calls of at most"),
                inspect.out());
    }

    @Test
    void inspectPrintsTheEstimatorTreeAndStrategy() throws Exception {
        Launcher.Run r = Launcher.run("inspect", RF.resolve("model.joblib").toString());
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("RandomForestClassifier"), r.out());
        assertTrue(r.out().contains("strategy:"), r.out());
        assertTrue(r.out().contains("max depth"), r.out());
        assertTrue(r.out().contains("cpu:        CPU companion embedded: on ONNX Runtime's CPU provider"), r.out());
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
        // names the file and the columns it found (not a bare "3": the temporary folder's name may hold one)
        assertTrue(r.err().contains("x.csv") && r.err().contains("unexpected [a, b, c]"), r.err());
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
    void benchWithoutThePeerModuleTimesOnnxRuntimeAndSaysSoWithOneCudaNotice(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        // The launcher passes the bench-peers folder only when it exists: point it at none, ORT candidates only.
        Launcher.Run r = Launcher.run(Map.of("ML2TENSOR_BENCH_PATH", dir.resolve("none").toString()),
                "bench", Launcher.BOOSTERS.resolve("xgboost/binary_logistic.json").toString(),
                "--batch", "1,8", "--seconds", "0.01", "--min-calls", "1", "--threads", "1", "--json", json.toString());
        assertEquals(0, r.exit(), r.all());
        String text = Files.readString(json);
        for (String c : List.of("gemm", "tree-traversal", "perfect-tree-traversal", "peer: onnxruntime TreeEnsemble")) {
            assertTrue(text.contains("\"batch\":1,\"candidate\":\"" + c), c + " missing at batch 1:\n" + text);
        }
        assertFalse(text.contains("xgboost4j"), text);
        assertTrue(r.err().contains("bench peers not installed"), r.err());
        assertTrue(count(r.err(), "CUDA unavailable") <= 1, "the CPU-fallback notice at most once per process: " + r.err());
    }

    private static int count(String text, String needle) {
        return text.split(java.util.regex.Pattern.quote(needle), -1).length - 1;
    }

    @Test
    void noCommandIsAUsageErrorAndUsageShowsSpaceSeparatedValues() throws Exception {
        Launcher.Run none = Launcher.run();
        assertEquals(2, none.exit(), none.all());
        assertTrue(none.err().contains("Usage: ml2tensor") && none.err().contains("list-estimators"), none.err());
        Launcher.Run help = Launcher.run("compile", "--help");
        assertEquals(0, help.exit(), help.all());
        assertTrue(help.out().contains("-o OUT.onnx") && !help.out().contains("-o=OUT.onnx"), help.out());
        // "--opt=value" is still accepted.
        Launcher.Run eq = Launcher.run("compile", RF.resolve("model.pkl").toString(), "--output=/dev/null/x.onnx",
                "--strategy=fastest");
        assertEquals(2, eq.exit(), eq.all());
        assertTrue(eq.err().contains("--strategy"), eq.err());
    }

    @Test
    void doctorReportsJavaOnnxRuntimeGpuAndCudaLibraries() throws Exception {
        Launcher.Run r = Launcher.run("doctor");
        assertEquals(0, r.exit(), r.all());
        for (String s : List.of("java", "version:", "onnx runtime", "java binding: 1.26.0", "native:", "providers:",
                "device nodes:", "libcudart.so.12", "libcudnn.so.9", "searched:", "verdict", "CUDA:")) {
            assertTrue(r.out().contains(s), s + " missing:\n" + r.out());
        }
    }

    @Test
    void listEstimatorsIsGeneratedFromTheRegistries() throws Exception {
        Launcher.Run r = Launcher.run("list-estimators");
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("sklearn.ensemble: ") && r.out().contains("RandomForestClassifier"), r.out());
        assertTrue(r.out().contains("binary:logistic") && r.out().contains("multiclassova"), r.out());
    }

    @Test
    void inspectOfAnUnsupportedModelNamesItOnceWithWhatToDo() throws Exception {
        Launcher.Run r = Launcher.run("inspect", FIRST_HOUR.resolve("dbscan.pkl").toString());
        assertEquals(5, r.exit(), r.all());
        assertEquals(1, count(r.all(), "is not supported"), r.all());
        assertTrue(r.all().contains("list-estimators"), r.all());
    }

    @Test
    void inspectOfAPickledLightgbmWrapperShowsItsBooster() throws Exception {
        Launcher.Run r = Launcher.run("inspect", FIRST_HOUR.resolve("lgbm_classifier.pkl").toString());
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.all().contains("LGBMClassifier") && r.all().contains("TreeEnsemble"), r.all());
    }

    private static final Path FIRST_HOUR = Launcher.BOOSTERS.resolve("first_hour");

    /**
     * A LightGBM model trained on a numpy array carries the generated names Column_0..3: a CSV with the user's
     * own header is taken by position (one notice) and matches LightGBM's predict (float32 leaf sums: 1e-6).
     */
    @Test
    void lightgbmModelWithGeneratedNamesReadsAUsersCsvByPosition(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("y.csv");
        Launcher.Run r = Launcher.run("predict", FIRST_HOUR.resolve("lgbm_numpy.txt").toString(), "--input",
                FIRST_HOUR.resolve("lgbm_numpy.input.csv").toString(), "--output", out.toString(), "--device", "cpu");
        assertEquals(0, r.exit(), r.all());
        assertEquals(1, count(r.err(), "taken by position"), r.err());
        List<String> got = Files.readAllLines(out);
        List<String> expected = Files.readAllLines(FIRST_HOUR.resolve("lgbm_numpy.expected.csv"));
        assertEquals(expected.size(), got.size());
        for (int i = 1; i < got.size(); i++) {
            String[] g = got.get(i).split(",");
            String[] e = expected.get(i).split(",");
            assertEquals(e[0], g[0], "label of row " + i);
            assertEquals(Double.parseDouble(e[2]), Double.parseDouble(g[g.length - 1]), 1e-6, "row " + i);
        }
        // --columns by-name needs real names: refused with the way out.
        Launcher.Run byName = Launcher.run("predict", FIRST_HOUR.resolve("lgbm_numpy.txt").toString(), "--input",
                FIRST_HOUR.resolve("lgbm_numpy.input.csv").toString(), "--output", out.toString(), "--columns",
                "by-name", "--device", "cpu");
        assertEquals(7, byName.exit(), byName.all());
    }

    @Test
    void realNamesAreMatchedByNameInAnyOrderAndQuietSilencesNotices(@TempDir Path dir) throws Exception {
        List<String> lines = Files.readAllLines(RF.resolve("input.csv"));
        String[] header = lines.get(0).split(",");
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
            String[] c = line.split(",");
            sb.append(c[3]).append(',').append(c[1]).append(',').append(c[0]).append(',').append(c[2]).append('\n');
        }
        Path shuffled = Files.writeString(dir.resolve("shuffled.csv"), sb);
        Path out = dir.resolve("y.csv");
        Launcher.Run r = Launcher.run("predict", RF.resolve("model.pkl").toString(), "--input", shuffled.toString(),
                "--output", out.toString(), "--quiet");
        assertEquals(0, r.exit(), r.all());
        assertEquals("", r.err(), "--quiet: no notice, no summary");
        List<String> got = Files.readAllLines(out);
        List<String> expected = Files.readAllLines(RF.resolve("expected.csv"));
        for (int i = 1; i < got.size(); i++) {
            assertEquals(expected.get(i).split(",")[0], got.get(i).split(",")[0], "label of row " + i);
        }
        assertEquals(4, header.length);
    }

    /** ONNX Runtime's natives come from the per-user cache: no onnxruntime-java* folder is left in the temp dir. */
    @Test
    void predictLeavesNothingInTheTempFolder(@TempDir Path dir) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path cache = dir.resolve("cache");
        Map<String, String> env = Map.of("ML2TENSOR_JAVA_OPTS", "-Djava.io.tmpdir=" + tmp, "ML2TENSOR_CACHE_DIR",
                cache.toString(), "ML2TENSOR_CDS", "0");
        for (int i = 0; i < 2; i++) {
            Launcher.Run r = Launcher.run(env, "predict", RF.resolve("model.pkl").toString(), "--input",
                    RF.resolve("input.csv").toString(), "--output", dir.resolve("y" + i + ".csv").toString(), "--device", "cpu");
            assertEquals(0, r.exit(), r.all());
        }
        try (java.util.stream.Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(), s.map(p -> p.getFileName().toString()).toList(), "temp folder after two runs");
        }
        try (java.util.stream.Stream<Path> s = Files.walk(cache)) {
            List<String> libs = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("libonnxruntime")).toList();
            assertTrue(libs.contains("libonnxruntime.so") && libs.contains("libonnxruntime4j_jni.so"), libs.toString());
        }
    }
}
