package org.ml2tensor.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.CompiledModel;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.contract.ModelContract;
import org.ml2tensor.importers.ModelFormat;
import org.ml2tensor.importers.ModelImporter;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.onnx.proto.OnnxMl;
import org.ml2tensor.runtime.Device;
import org.ml2tensor.runtime.Predictor;
import org.ml2tensor.runtime.PredictorOptions;

/**
 * The CPU companion's routing, off switch and hostile metadata, on the decimal XGBoost fixture. Routing is
 * observed from outside: the test replaces the embedded companion by one whose {@code base_values} are
 * shifted by 1 (digest updated), so a call answered by the companion differs from the main graph's answer.
 */
class CpuCompanionTest {
    private static final Path DIR = DecimalFixtureConformanceTest.ROOT.resolve("xgboost_binary");
    private static CompiledModel model;
    private static float[][] rows;

    @BeforeAll
    static void compile() throws Exception {
        ModelIr ir = ModelImporter.load(DIR.resolve("model.json"), ModelFormat.AUTO);
        model = ModelCompiler.compile(ir, CompileOptions.defaults());
        double[][] d = DecimalFixtureConformanceTest.readLikeTheCli(DIR.resolve("input.csv"), ir.featureCount());
        rows = new float[d.length][];
        for (int r = 0; r < d.length; r++) {
            rows[r] = new float[d[r].length];
            for (int c = 0; c < d[r].length; c++) {
                rows[r][c] = (float) d[r][c];
            }
        }
    }

    private static PredictorOptions cpu(List<String> notices) {
        return PredictorOptions.builder().device(Device.CPU).noticeSink(notices::add).build();
    }

    /** The probabilities of the first {@code n} rows, predicted in one call, flattened. */
    private static float[] probabilities(Predictor p, int n) {
        float[][] all = p.predict(Arrays.copyOf(rows, n)).probabilities().toFloatArrays();
        return Arrays.stream(all).reduce(new float[0], (x, y) -> {
            float[] z = Arrays.copyOf(x, x.length + y.length);
            System.arraycopy(y, 0, z, x.length, y.length);
            return z;
        });
    }

    @Test
    void metadataAndPredictorSayWhatRunsWhen() {
        Map<String, String> meta = model.metadata();
        int k = Integer.parseInt(meta.get(ModelContract.CPU_COMPANION_MAX_ROWS));
        assertEquals(64, k, "15 trees of depth 3: the native kernel is faster up to the 64-row cap");
        assertTrue(meta.get(ModelContract.CPU_COMPANION_ROUTING).contains("at most 64 rows"));
        OnnxMl.ModelProto main = parse(model.onnx());
        for (OnnxMl.NodeProto n : main.getGraph().getNodeList()) {
            assertEquals("", n.getDomain(), "the main graph stays portable: " + n.getOpType());
        }
        OnnxMl.ModelProto companion = parse(Base64.getDecoder().decode(meta.get(ModelContract.CPU_COMPANION)));
        assertTrue(companion.getGraph().getNodeList().stream().anyMatch(n -> n.getOpType().equals("TreeEnsembleRegressor")));
        List<String> notices = new ArrayList<>();
        try (Predictor p = Predictor.open(model.onnx(), "xgb", cpu(notices))) {
            assertEquals(64, p.cpuCompanionMaxRows());
            assertTrue(p.routing().startsWith("calls of at most 64 rows run the CPU companion"), p.routing());
        }
        assertTrue(notices.isEmpty(), notices.toString());
    }

    @Test
    void smallCallsRunTheCompanionLargerOnesTheMainGraph() throws Exception {
        byte[] shifted = withCompanion(model.onnx(), CpuCompanionTest::shiftBaseValues, true);
        List<String> notices = new ArrayList<>();
        try (Predictor routed = Predictor.open(shifted, "shifted", cpu(notices));
             Predictor main = Predictor.open(model.onnx(), "main", cpu(notices).toBuilder().cpuCompanion(false).build())) {
            assertEquals(64, routed.cpuCompanionMaxRows());
            for (int n : new int[] {1, 17, 64}) {
                assertFalse(Arrays.equals(probabilities(main, n), probabilities(routed, n)),
                        n + " rows: answered by the (shifted) companion");
            }
            for (int n : new int[] {65, 111}) {
                assertArrayEquals(probabilities(main, n), probabilities(routed, n), n + " rows: the main graph");
            }
        }
        assertTrue(notices.isEmpty(), notices.toString());
    }

    @Test
    void theOffSwitchRunsTheMainGraphForEveryCall() throws Exception {
        byte[] shifted = withCompanion(model.onnx(), CpuCompanionTest::shiftBaseValues, true);
        List<String> notices = new ArrayList<>();
        try (Predictor off = Predictor.open(shifted, "off", cpu(notices).toBuilder().cpuCompanion(false).build());
             Predictor main = Predictor.open(model.onnx(), "main", cpu(notices).toBuilder().cpuCompanion(false).build())) {
            assertEquals(0, off.cpuCompanionMaxRows());
            assertTrue(off.routing().startsWith("every call runs the main graph"), off.routing());
            assertArrayEquals(probabilities(main, 1), probabilities(off, 1));
        }
        assertTrue(notices.isEmpty(), notices.toString());
    }

    @Test
    void aDamagedCompanionIsIgnoredWithOneNotice(@TempDir Path tmp) throws Exception {
        Path secret = Files.writeString(tmp.resolve("secret.bin"), "x".repeat(4096));
        Map<String, UnaryOperator<byte[]>> damage = new java.util.LinkedHashMap<>();
        damage.put("ONNX Runtime refused it", b -> Arrays.copyOf(b, b.length / 2));
        damage.put("external data", b -> withExternalData(b, secret));
        damage.put("output", b -> renameOutputs(b));
        for (Map.Entry<String, UnaryOperator<byte[]>> e : damage.entrySet()) {
            byte[] bad = withCompanion(model.onnx(), e.getValue(), true);
            assertIgnored(bad, e.getKey(), tmp);
        }
        assertIgnored(setMeta(model.onnx(), ModelContract.CPU_COMPANION, "%%% not base64 %%%"), "not base64", tmp);
        assertIgnored(setMeta(model.onnx(), ModelContract.CPU_COMPANION_MAX_ROWS, "-3"), "positive row count", tmp);
        assertIgnored(setMeta(model.onnx(), ModelContract.CPU_COMPANION_SHA256, "00"), "SHA-256", tmp);
        assertIgnored(withCompanion(model.onnx(), CpuCompanionTest::shiftBaseValues, false), "SHA-256", tmp);
    }

    /** Opens {@code bad} (external data allowed from {@code dir} for the main graph): one notice, main graph results. */
    private static void assertIgnored(byte[] bad, String why, Path dir) {
        List<String> notices = new ArrayList<>();
        PredictorOptions o = cpu(notices).toBuilder().externalDataDir(dir).build();
        try (Predictor p = Predictor.open(bad, "bad", o);
             Predictor main = Predictor.open(model.onnx(), "main", cpu(new ArrayList<>()).toBuilder().cpuCompanion(false).build())) {
            assertEquals(0, p.cpuCompanionMaxRows(), why);
            assertArrayEquals(probabilities(main, 3), probabilities(p, 3), why);
        }
        assertEquals(1, notices.size(), why + ": " + notices);
        assertTrue(notices.get(0).contains("CPU companion") && notices.get(0).contains(why), notices.get(0));
        assertTrue(notices.get(0).endsWith("every call runs the main graph"), notices.get(0));
    }

    // ----- building damaged models -----

    private static OnnxMl.ModelProto parse(byte[] b) {
        try {
            return OnnxMl.ModelProto.parseFrom(b);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String meta(OnnxMl.ModelProto m, String key) {
        return m.getMetadataPropsList().stream().filter(p -> p.getKey().equals(key)).findFirst().orElseThrow().getValue();
    }

    private static byte[] setMeta(byte[] onnx, String key, String value) {
        OnnxMl.ModelProto.Builder b = parse(onnx).toBuilder();
        for (int i = 0; i < b.getMetadataPropsCount(); i++) {
            if (b.getMetadataProps(i).getKey().equals(key)) {
                b.setMetadataProps(i, b.getMetadataProps(i).toBuilder().setValue(value));
            }
        }
        return b.build().toByteArray();
    }

    /** The model with its companion bytes changed by {@code change}; the digest follows when {@code rehash}. */
    private static byte[] withCompanion(byte[] onnx, UnaryOperator<byte[]> change, boolean rehash) throws Exception {
        OnnxMl.ModelProto m = parse(onnx);
        byte[] companion = Base64.getDecoder().decode(meta(m, ModelContract.CPU_COMPANION));
        byte[] changed = change.apply(companion);
        byte[] out = setMeta(onnx, ModelContract.CPU_COMPANION, Base64.getEncoder().encodeToString(changed));
        if (rehash) {
            out = setMeta(out, ModelContract.CPU_COMPANION_SHA256,
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(changed)));
        }
        return out;
    }

    private static OnnxMl.NodeProto.Builder treeNode(OnnxMl.GraphProto.Builder g) {
        for (OnnxMl.NodeProto.Builder n : g.getNodeBuilderList()) {
            if (n.getOpType().equals("TreeEnsembleRegressor")) {
                return n;
            }
        }
        throw new AssertionError("no TreeEnsembleRegressor in the companion");
    }

    private static byte[] shiftBaseValues(byte[] companion) {
        OnnxMl.ModelProto.Builder m = parse(companion).toBuilder();
        OnnxMl.NodeProto.Builder n = treeNode(m.getGraphBuilder());
        for (OnnxMl.AttributeProto.Builder a : n.getAttributeBuilderList()) {
            if (a.getName().equals("base_values")) {
                for (int i = 0; i < a.getFloatsCount(); i++) {
                    a.setFloats(i, a.getFloats(i) + 1f);
                }
            }
        }
        return m.build().toByteArray();
    }

    /** Adds an initializer whose data lies in an external file (that a reader must never open). */
    private static byte[] withExternalData(byte[] companion, Path file) {
        OnnxMl.ModelProto.Builder m = parse(companion).toBuilder();
        m.getGraphBuilder().addInitializer(OnnxMl.TensorProto.newBuilder().setName("stolen").addDims(16)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE)
                .setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL)
                .addExternalData(OnnxMl.StringStringEntryProto.newBuilder().setKey("location")
                        .setValue(file.getFileName().toString())));
        return m.build().toByteArray();
    }

    private static byte[] renameOutputs(byte[] companion) {
        OnnxMl.ModelProto.Builder m = parse(companion).toBuilder();
        OnnxMl.GraphProto.Builder g = m.getGraphBuilder();
        for (OnnxMl.ValueInfoProto.Builder o : g.getOutputBuilderList()) {
            String old = o.getName();
            o.setName(old + "_x");
            for (OnnxMl.NodeProto.Builder n : g.getNodeBuilderList()) {
                for (int i = 0; i < n.getOutputCount(); i++) {
                    if (n.getOutput(i).equals(old)) {
                        n.setOutput(i, old + "_x");
                    }
                }
            }
        }
        return m.build().toByteArray();
    }
}
