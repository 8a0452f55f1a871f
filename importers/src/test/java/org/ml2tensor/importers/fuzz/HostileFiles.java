package org.ml2tensor.importers.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.importers.HostileBoosterTest;
import org.ml2tensor.importers.ModelFormat;
import org.ml2tensor.importers.PickleBuilder;
import org.ml2tensor.importers.sklearn.HostileSklearnTest;

/**
 * One crafted file per class of hostile input found by the review of issue 10, for the child JVM of
 * {@link ImporterFuzz} (family {@code hostile}): each must be refused with its code, within the heap
 * bound max(512 MiB, 20 × file size) and in seconds.
 */
final class HostileFiles {
    /** A crafted file, the format to read it as, and the code it must be refused with. */
    record Hostile(String name, ModelFormat format, String suffix, ErrorCode expected, Maker maker) {
    }

    /** Makes the bytes of a hostile file. */
    @FunctionalInterface
    interface Maker {
        byte[] make() throws Exception;
    }

    private HostileFiles() {
    }

    static List<Hostile> all() {
        return List.of(
                new Hostile("pipeline repeating one step 300k times", ModelFormat.SKLEARN, ".pkl",
                        ErrorCode.LIMIT_EXCEEDED, HostileFiles::pipelineOfOneStep),
                new Hostile("forest referencing one tree 2M times", ModelFormat.SKLEARN, ".pkl",
                        ErrorCode.LIMIT_EXCEEDED, () -> HostileSklearnTest.forestOfOneTree(2_000_000, null)),
                new Hostile("scaler with n_features_in_ = 2^31-1", ModelFormat.SKLEARN, ".pkl",
                        ErrorCode.LIMIT_EXCEEDED,
                        () -> HostileSklearnTest.scaler(PickleBuilder.proto(2), Integer.MAX_VALUE).stop()),
                new Hostile("200k BUILDs of a 50k-entry dict", ModelFormat.SKLEARN, ".pkl",
                        ErrorCode.LIMIT_EXCEEDED, HostileFiles::buildLoop),
                new Hostile("12M EMPTY_LIST opcodes", ModelFormat.SKLEARN, ".pkl", ErrorCode.LIMIT_EXCEEDED,
                        () -> flood(']')),
                new Hostile("12M DUP opcodes", ModelFormat.SKLEARN, ".pkl", ErrorCode.LIMIT_EXCEEDED,
                        () -> flood('2')),
                new Hostile("_codecs.encode of a 1 MB string 2000 times", ModelFormat.SKLEARN, ".pkl",
                        ErrorCode.LIMIT_EXCEEDED, HostileFiles::encodeLoop),
                new Hostile("zlib bomb: 1 GiB of zeros", ModelFormat.SKLEARN, ".joblib", ErrorCode.LIMIT_EXCEEDED,
                        HostileFiles::zlibBomb),
                new Hostile("XGBoost tree chain of depth 200k", ModelFormat.XGBOOST, ".json", ErrorCode.LIMIT_EXCEEDED,
                        () -> HostileBoosterTest.xgbModel(HostileBoosterTest.chainTree(200_000, "0"), "0", "2",
                                "reg:squarederror")),
                new Hostile("XGBoost num_class = 2^31-1", ModelFormat.XGBOOST, ".json", ErrorCode.INVALID_MODEL,
                        () -> HostileBoosterTest.xgbModel(HostileBoosterTest.chainTree(2, "0"), "2147483647", "2",
                                "multi:softprob")),
                new Hostile("XGBoost num_feature = 2^31-1", ModelFormat.XGBOOST, ".json", ErrorCode.LIMIT_EXCEEDED,
                        () -> HostileBoosterTest.xgbModel(HostileBoosterTest.chainTree(2, "0"), "0", "2147483647",
                                "reg:squarederror")),
                new Hostile("XGBoost size_leaf_vector = 10^9", ModelFormat.XGBOOST, ".json", ErrorCode.INVALID_MODEL,
                        () -> HostileBoosterTest.xgbModel(HostileBoosterTest.chainTree(2, "1000000000"), "0", "2",
                                "reg:squarederror")),
                new Hostile("LightGBM max_feature_idx = 2^31-1", ModelFormat.LIGHTGBM, ".txt",
                        ErrorCode.LIMIT_EXCEEDED, () -> HostileBoosterTest.lgbmText("2147483647", "", "")
                        .getBytes(StandardCharsets.UTF_8)),
                new Hostile("LightGBM max_feature_idx = 2*10^9", ModelFormat.LIGHTGBM, ".txt",
                        ErrorCode.LIMIT_EXCEEDED, () -> HostileBoosterTest.lgbmText("2000000000", "", "")
                        .getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] pipelineOfOneStep() {
        PickleBuilder b = PickleBuilder.proto(2).object("sklearn.pipeline", "Pipeline").emptyDict()
                .str("steps").emptyList().mark().str("s");
        HostileSklearnTest.scaler(b, 3).tuple2().put(1);
        for (int i = 1; i < 300_000; i++) {
            b.get(1);
        }
        return b.appends().setitem().build().stop();
    }

    static byte[] buildLoop() {
        PickleBuilder b = PickleBuilder.proto(2).object("builtins", "object").emptyDict().mark();
        for (int i = 0; i < 50_000; i++) {
            b.integer(i).none();
        }
        b.setitems().put(1).pop();
        b.repeat(new byte[]{'j', 1, 0, 0, 0, 'b'}, 200_000);
        return b.stop();
    }

    static byte[] flood(int opcode) {
        return floodOf(opcode, 12_000_000);
    }

    /** A protocol-2 pickle of {@code bytes} bytes: an empty list, then {@code opcode} to the end (no STOP). */
    static byte[] floodOf(int opcode, int bytes) {
        byte[] p = new byte[bytes];
        Arrays.fill(p, (byte) opcode);
        p[0] = (byte) 0x80;
        p[1] = 2;
        p[2] = ']';
        return p;
    }

    static byte[] encodeLoop() {
        char[] text = new char[1 << 20];
        Arrays.fill(text, 'a');
        PickleBuilder b = PickleBuilder.proto(2).global("_codecs", "encode").put(1).pop()
                .str(new String(text)).put(2).pop();
        byte[] call = PickleBuilder.proto(0).get(1).get(2).op(0x8c).op(6).raw("latin1".getBytes())
                .tuple2().reduce().pop().stop();
        b.repeat(Arrays.copyOfRange(call, 2, call.length - 1), 2000);
        return b.stop();
    }

    static byte[] zlibBomb() throws IOException {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(zipped, new Deflater(9))) {
            byte[] zeros = new byte[1 << 20];
            zeros[0] = (byte) 0x80;
            zeros[1] = 2;
            z.write(zeros);
            Arrays.fill(zeros, 0, 2, (byte) 0);
            for (int i = 1; i < 1024; i++) {
                z.write(zeros);
            }
        }
        return zipped.toByteArray();
    }
}
