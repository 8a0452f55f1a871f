package org.ml2tensor.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ml2tensor.onnx.proto.OnnxMl.AttributeProto;
import org.ml2tensor.onnx.proto.OnnxMl.GraphProto;
import org.ml2tensor.onnx.proto.OnnxMl.ModelProto;
import org.ml2tensor.onnx.proto.OnnxMl.NodeProto;
import org.ml2tensor.onnx.proto.OnnxMl.OperatorSetIdProto;
import org.ml2tensor.onnx.proto.OnnxMl.StringStringEntryProto;
import org.ml2tensor.onnx.proto.OnnxMl.TensorProto;
import org.ml2tensor.onnx.proto.OnnxMl.TensorShapeProto;
import org.ml2tensor.onnx.proto.OnnxMl.TypeProto;
import org.ml2tensor.onnx.proto.OnnxMl.ValueInfoProto;

/**
 * The command line against hostile inputs and outputs, each crafted here: exit statuses in the documented
 * set, one escaped line and no stack trace, no file destroyed or left behind, every run ends in seconds.
 */
class HostileInputIT {
    private static final Path XGB = Launcher.BOOSTERS.resolve("xgboost/binary_logistic.json");

    @TempDir
    Path dir;

    private Path xgbInput() throws IOException {
        List<String> rows = Files.readAllLines(Launcher.BOOSTERS.resolve("xgboost/binary_logistic.rows.csv"));
        return Files.writeString(dir.resolve("x.csv"), "f0,f1,f2,f3\n" + String.join("\n", rows) + "\n");
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void oneCleanLine(Launcher.Run r) {
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertFalse(r.err().contains("\u001b"), "no raw escape: " + r.err());
    }

    /**
     * Running out of native threads in a real process (not only the exit-status mapping): the parallel
     * prediction pool cannot start its fifth 1 GiB-stack thread inside a 16 GB address-space limit. The run
     * must end with exit status 9, one line naming the cause and a thread hint, and no temporary output.
     */
    @Test
    void runningOutOfNativeThreadsExitsWithStatus9AndLeavesNoFile() throws Exception {
        Assumptions.assumeTrue(System.getenv("ML2TENSOR_DEBUG") == null);
        Path fixture = Launcher.SKLEARN.resolve("random_forest_classifier_binary__skl1.9.1");
        List<String> lines = Files.readAllLines(fixture.resolve("input.csv"));
        StringBuilder csv = new StringBuilder(lines.get(0)).append('\n');
        for (int copy = 0; copy < 300; copy++) {
            for (String row : lines.subList(1, lines.size())) {
                csv.append(row).append('\n');
            }
        }
        Path in = Files.writeString(dir.resolve("x.csv"), csv);
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "ulimit -v 16000000 && exec \"$0\" \"$@\"",
                Launcher.REPO.resolve("ml2tensor").toString(), "predict", fixture.resolve("model.joblib").toString(),
                "--input", in.toString(), "--output", dir.resolve("y.csv").toString(), "--device", "cpu", "--quiet",
                "--threads", "64", "--force-threads").redirectOutput(dir.resolve("log").toFile()).redirectErrorStream(true);
        pb.environment().put("ML2TENSOR_NO_BUILD", "1");
        pb.environment().put("ML2TENSOR_CDS", "0");
        pb.environment().put("ML2TENSOR_JAVA_OPTS", "-Xss1g -Xmx256m -XX:ReservedCodeCacheSize=64m "
                + "-XX:CompressedClassSpaceSize=64m -XX:MaxMetaspaceSize=128m");
        Process p = pb.start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the process exits");
        String log = Files.readString(dir.resolve("log"));
        assertEquals(9, p.exitValue(), log);
        List<String> errors = log.lines().filter(l -> l.startsWith("error ")).toList();
        assertEquals(1, errors.size(), log);
        assertTrue(errors.get(0).contains("unable to create native thread") && errors.get(0).contains("lower --threads"),
                errors.get(0));
        assertFalse(log.contains("\tat "), "no stack trace: " + log);
        Files.delete(dir.resolve("log"));
        assertEquals(List.of("x.csv"), files());
    }

    @Test
    void anOutputThatIsTheInputOrTheModelIsRefused() throws Exception {
        Path model = Files.copy(XGB, dir.resolve("m.json"));
        byte[] before = Files.readAllBytes(model);
        Launcher.Run compile = Launcher.run("compile", model.toString(), "-o", model.toString());
        assertEquals(2, compile.exit(), compile.all());
        assertArrayEquals(before, Files.readAllBytes(model));
        Path in = xgbInput();
        String rows = Files.readString(in);
        for (Path out : List.of(in, model)) {
            Launcher.Run r = Launcher.run("predict", model.toString(), "--input", in.toString(), "--output", out.toString());
            assertEquals(2, r.exit(), r.all());
            assertTrue(r.err().contains("same file"), r.err());
            oneCleanLine(r);
        }
        assertEquals(rows, Files.readString(in));
        assertArrayEquals(before, Files.readAllBytes(model));
        assertEquals(List.of("m.json", "x.csv"), files());
    }

    @Test
    void anInfiniteLoopEndsAtTheTimeLimitAndLeavesNoFile() throws Exception {
        Path model = write(infiniteLoop(), "loop.onnx");
        Path in = Files.writeString(dir.resolve("x.csv"), "a,b,c,d\n1,2,3,4\n");
        long start = System.nanoTime();
        Launcher.Run r = Launcher.run("predict", model.toString(), "--input", in.toString(),
                "--output", dir.resolve("y.csv").toString(), "--device", "cpu", "--timeout", "1");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(9, r.exit(), r.all());
        assertTrue(r.err().contains("time limit of 1 s"), r.err());
        assertTrue(seconds < 30, seconds + " s");
        oneCleanLine(r);
        assertEquals(List.of("loop.onnx", "x.csv"), files());
    }

    /** Ctrl-C, SIGTERM and SIGHUP end a run that would never finish, and its temporary output file goes too. */
    @Test
    void interruptionDeletesTheTemporaryOutput() throws Exception {
        Path model = write(infiniteLoop(), "loop.onnx");
        Path in = Files.writeString(dir.resolve("x.csv"), "a,b,c,d\n1,2,3,4\n");
        // A process started in the background by a non-interactive shell inherits SIGINT ignored, and one
        // started by nohup SIGHUP; so does the JVM under test, which then cannot be reached by that signal. Each
        // signal is checked only where this process receives it itself.
        List<String> signals = new ArrayList<>();
        for (String signal : List.of("TERM", "INT", "HUP")) {
            if (!signalIgnored(signal.equals("TERM") ? 15 : signal.equals("INT") ? 2 : 1)) {
                signals.add(signal);
            }
        }
        Assumptions.assumeFalse(signals.isEmpty(), "every signal is ignored in this environment");
        for (String signal : signals) {
            ProcessBuilder pb = new ProcessBuilder(Launcher.REPO.resolve("ml2tensor").toString(), "predict",
                    model.toString(), "--input", in.toString(), "--output", dir.resolve("y.csv").toString(),
                    "--device", "cpu", "--quiet").redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile());
            pb.environment().put("ML2TENSOR_NO_BUILD", "1");
            Process p = pb.start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (files().stream().noneMatch(f -> f.startsWith(".y.csv.")) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertTrue(files().stream().anyMatch(f -> f.startsWith(".y.csv.")), "temporary output appeared: " + files());
                Thread.sleep(300); // inside ONNX Runtime's endless Loop by now
                assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor());
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "ended after SIG" + signal);
            } finally {
                p.destroyForcibly(); // never leave an endless run behind when an assertion fails
            }
            Files.delete(dir.resolve("log"));
            assertEquals(List.of("loop.onnx", "x.csv"), files(), "after SIG" + signal);
        }
    }

    /** Whether signal {@code number} is ignored by this process ({@code SigIgn} in {@code /proc/self/status}). */
    private static boolean signalIgnored(int number) throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << (number - 1))) != 0;
            }
        }
        return false;
    }

    @Test
    void graphsThatPredictNothingExitWithStatus5NamingTheOutput() throws Exception {
        Path in = Files.writeString(dir.resolve("x.csv"), "a,b,c,d\n1,2,3,4\n");
        GraphProto.Builder base = GraphProto.newBuilder().setName("g").addInput(value("X", 1, -1, 4));
        List<ModelProto> models = List.of(
                model(base.clone().addNode(node("Identity", "X", "Y"))),
                model(base.clone().addOutput(ValueInfoProto.newBuilder().setName("seq").setType(TypeProto.newBuilder()
                        .setSequenceType(TypeProto.Sequence.newBuilder().setElemType(value("e", 1, -1, 4).getType()))))
                        .addNode(node("SequenceConstruct", "X", "seq"))),
                model(base.clone().addOutput(value("total", 1)).addNode(node("ReduceSum", "X", "total").toBuilder()
                        .addAttribute(AttributeProto.newBuilder().setName("keepdims").setType(AttributeProto.AttributeType.INT)
                                .setI(0)))));
        List<String> names = List.of("no outputs", "'seq'", "'total'");
        for (int i = 0; i < models.size(); i++) {
            Path m = write(models.get(i), "m" + i + ".onnx");
            Launcher.Run r = Launcher.run("predict", m.toString(), "--input", in.toString(),
                    "--output", dir.resolve("y.csv").toString(), "--device", "cpu");
            assertEquals(5, r.exit(), r.all());
            assertTrue(r.err().contains(names.get(i)), r.err());
            oneCleanLine(r);
        }
        assertFalse(Files.exists(dir.resolve("y.csv")));
    }

    @Test
    void anAbsurdWidthIsAClearLimitError() throws Exception {
        GraphProto.Builder g = GraphProto.newBuilder().setName("g").addInput(value("X", 1, -1, 1L << 40))
                .addOutput(value("Y", 1, -1, 1L << 40)).addNode(node("Identity", "X", "Y"));
        Path m = write(model(g), "wide.onnx");
        Path in = Files.writeString(dir.resolve("x.csv"), "a\n1\n");
        Launcher.Run r = Launcher.run("predict", m.toString(), "--input", in.toString(),
                "--output", dir.resolve("y.csv").toString(), "--device", "cpu");
        assertEquals(9, r.exit(), r.all());
        oneCleanLine(r);
    }

    @Test
    void namesFromTheFileArePrintedEscaped() throws Exception {
        GraphProto.Builder g = GraphProto.newBuilder().setName("g").addInput(value("X", 1, -1, 2))
                .addOutput(value("Y\u001b[31m", 1, -1, 2)).addNode(node("Identity", "X", "Y\u001b[31m"));
        ModelProto m = model(g).toBuilder().addMetadataProps(StringStringEntryProto.newBuilder().setKey("note")
                .setValue("x\nerror: forged line\u001b]0;title\u0007")).build();
        Path file = write(m, "names.onnx");
        Launcher.Run r = Launcher.run("inspect", file.toString());
        assertEquals(0, r.exit(), r.all());
        assertFalse(r.out().contains("\u001b") || r.out().contains("\u0007"), r.out());
        assertTrue(r.out().contains("x\\nerror: forged line\\x1b]0;title\\x07"), r.out());
        assertTrue(r.out().lines().noneMatch(l -> l.startsWith("error")), r.out());
        // An error message quoting a CSV header name.
        Path rf = Launcher.SKLEARN.resolve("random_forest_classifier_strings__skl1.9.1");
        List<String> lines = new ArrayList<>(Files.readAllLines(rf.resolve("input.csv")));
        String header = lines.get(0);
        lines.set(0, header.substring(0, header.lastIndexOf(',') + 1) + "x\u001b[2J\u0007\u202e");
        Path in = Files.write(dir.resolve("x.csv"), lines);
        Launcher.Run p = Launcher.run("predict", rf.resolve("model.pkl").toString(), "--input", in.toString(),
                "--output", dir.resolve("y.csv").toString(), "--device", "cpu");
        assertEquals(7, p.exit(), p.all());
        assertEquals(1, p.err().lines().count(), p.err());
        assertTrue(p.err().contains("x\\x1b[2J\\x07\\u202e"), p.err());
        oneCleanLine(p);
    }

    @Test
    void devicesAndStandardOutputAreStreamedTo() throws Exception {
        Path in = xgbInput();
        Launcher.Run stdout = Launcher.run("predict", XGB.toString(), "--input", in.toString(), "--output", "-", "--quiet");
        assertEquals(0, stdout.exit(), stdout.all());
        assertTrue(stdout.out().startsWith("label,"), stdout.out());
        // compile -o - : the ONNX bytes on standard output, the report on standard error.
        Path bytes = dir.resolve("stdout.onnx");
        Path err = dir.resolve("stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(Launcher.REPO.resolve("ml2tensor").toString(), "compile", XGB.toString(),
                "-o", "-").redirectOutput(bytes.toFile()).redirectError(err.toFile());
        pb.environment().put("ML2TENSOR_NO_BUILD", "1");
        assertEquals(0, pb.start().waitFor());
        assertTrue(Files.readString(err).contains("compiled"), Files.readString(err));
        assertEquals("ml2tensor", ModelProto.parseFrom(Files.readAllBytes(bytes)).getProducerName());
        Files.delete(bytes);
        Files.delete(err);
        Path full = dir.resolve("full");
        Assumptions.assumeTrue(new ProcessBuilder("mknod", full.toString(), "c", "1", "7").start().waitFor() == 0,
                "mknod needs root");
        for (List<String> cmd : List.of(List.of("compile", XGB.toString(), "-o", full.toString()),
                List.of("predict", XGB.toString(), "--input", in.toString(), "--output", full.toString()))) {
            Launcher.Run r = Launcher.run(cmd.toArray(String[]::new));
            assertEquals(3, r.exit(), r.all());
            assertTrue(r.err().contains("No space left on device"), r.err());
            oneCleanLine(r);
        }
        assertFalse(Files.isRegularFile(full), "the device is still a device");
    }

    @Test
    void nativeTreesCompileAndRunAtOpset21() throws Exception {
        Path in = xgbInput();
        Path out = dir.resolve("y.csv");
        Launcher.Run r = Launcher.run("predict", XGB.toString(), "--input", in.toString(), "--output", out.toString(),
                "--opset", "21", "--target", "cpu-native", "--strategy", "native", "--device", "cpu", "--quiet");
        assertEquals(0, r.exit(), r.all());
        assertEquals(Files.readAllLines(in).size(), Files.readAllLines(out).size());
    }

    /** The /etc/passwd attack through ONNX external data, refused by predict and inspect unless trusted. */
    @Test
    void externalDataNeedsAnExplicitFolder() throws Exception {
        Files.writeString(dir.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        Path model = write(externalAdd("passwd"), "ext.onnx");
        Path in = Files.writeString(dir.resolve("x.csv"), "a,b,c,d\n1,2,3,4\n");
        Path out = dir.resolve("y.csv");
        for (List<String> cmd : List.of(List.of("inspect", model.toString()),
                List.of("predict", model.toString(), "--input", in.toString(), "--output", out.toString(), "--device", "cpu"))) {
            Launcher.Run r = Launcher.run(cmd.toArray(String[]::new));
            assertEquals(5, r.exit(), r.all());
            assertTrue(r.err().contains("--external-data-dir"), r.err());
            oneCleanLine(r);
        }
        Path base = Files.createDirectories(dir.resolve("base"));
        Launcher.Run outside = Launcher.run("predict", model.toString(), "--input", in.toString(), "--output",
                out.toString(), "--device", "cpu", "--external-data-dir", base.toString());
        assertEquals(3, outside.exit(), outside.all()); // not found inside the folder: nothing else is read
        java.nio.ByteBuffer w = java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        w.putFloat(10).putFloat(20).putFloat(30).putFloat(40);
        Files.write(base.resolve("passwd"), w.array());
        Launcher.Run trusted = Launcher.run("predict", model.toString(), "--input", in.toString(), "--output",
                out.toString(), "--device", "cpu", "--external-data-dir", base.toString(), "--quiet");
        assertEquals(0, trusted.exit(), trusted.all());
        assertEquals(List.of("Y_0,Y_1,Y_2,Y_3", "11.0,22.0,33.0,44.0"), Files.readAllLines(out));
    }

    // ---- crafted models ----

    private static ModelProto externalAdd(String location) {
        int f = TensorProto.DataType.FLOAT_VALUE;
        TensorProto w = TensorProto.newBuilder().setName("W").setDataType(f).addDims(4)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location)).build();
        return model(GraphProto.newBuilder().setName("external").addInput(value("X", f, -1, 4))
                .addOutput(value("Y", f, -1, 4)).addInitializer(w)
                .addNode(NodeProto.newBuilder().setOpType("Add").addInput("X").addInput("W").addOutput("Y")));
    }

    private Path write(ModelProto m, String name) throws IOException {
        return Files.write(dir.resolve(name), m.toByteArray());
    }

    private static ModelProto model(GraphProto.Builder g) {
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("hostile")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).setGraph(g).build();
    }

    private static ValueInfoProto value(String name, int elemType, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape))).build();
    }

    private static NodeProto node(String op, String input, String output) {
        return NodeProto.newBuilder().setOpType(op).addInput(input).addOutput(output).build();
    }

    /** Loop with no trip count and a condition that stays true. */
    static ModelProto infiniteLoop() {
        int f = TensorProto.DataType.FLOAT_VALUE;
        int b = TensorProto.DataType.BOOL_VALUE;
        GraphProto body = GraphProto.newBuilder().setName("body")
                .addInput(value("i", TensorProto.DataType.INT64_VALUE)).addInput(value("c", b))
                .addInput(value("v", f, -1, 4)).addOutput(value("c_out", b)).addOutput(value("v_out", f, -1, 4))
                .addInitializer(TensorProto.newBuilder().setName("one").setDataType(f).addFloatData(1f))
                .addNode(node("Identity", "c", "c_out"))
                .addNode(NodeProto.newBuilder().setOpType("Add").addInput("v").addInput("one").addOutput("v_out")).build();
        return model(GraphProto.newBuilder().setName("loop").addInput(value("X", f, -1, 4))
                .addOutput(value("Y", f, -1, 4))
                .addInitializer(TensorProto.newBuilder().setName("yes").setDataType(b)
                        .setRawData(ByteString.copyFrom(new byte[]{1})))
                .addNode(NodeProto.newBuilder().setOpType("Loop").addInput("").addInput("yes").addInput("X").addOutput("Y")
                        .addAttribute(AttributeProto.newBuilder().setName("body").setType(AttributeProto.AttributeType.GRAPH)
                                .setG(body))));
    }
}
