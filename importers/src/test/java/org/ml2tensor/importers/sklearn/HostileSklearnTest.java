package org.ml2tensor.importers.sklearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.importers.PickleBuilder;

/**
 * Tiny scikit-learn pickles that reference one object many times or declare huge sizes: each is refused
 * within seconds ("exceeds the reader's budget", LIMIT_EXCEEDED) before the work or the allocation.
 */
public class HostileSklearnTest {
    private static final Duration FAST = Duration.ofSeconds(10);

    static Ml2TensorException refused(byte[] pickle, ErrorCode code) {
        Ml2TensorException e = assertTimeoutPreemptively(FAST, () -> assertThrows(Ml2TensorException.class,
                () -> SklearnImporter.standard().load(pickle, "hostile.pkl")));
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    public static PickleBuilder scaler(PickleBuilder b, int features) {
        return b.object("sklearn.preprocessing._data", "StandardScaler").emptyDict()
                .str("n_features_in_").integer(features).setitem().build();
    }

    /** The body of a committed protocol-2 DecisionTreeRegressor pickle (no PROTO, no STOP). */
    static byte[] treeBody() throws Exception {
        Path p = Fixtures.root().resolve("skl1.9.1").resolve("dt_reg.p2.pkl");
        byte[] all = Files.readAllBytes(p);
        return Arrays.copyOfRange(all, 2, all.length - 1);
    }

    /** A random forest whose {@code estimators_} holds one tree object {@code copies} times. */
    public static byte[] forestOfOneTree(int copies, Integer declaredFeatures) throws Exception {
        PickleBuilder b = PickleBuilder.proto(2).object("sklearn.ensemble._forest", "RandomForestRegressor")
                .emptyDict().str("estimators_").emptyList().raw(treeBody()).put(1_000_000).append();
        if (copies > 1) {
            b.mark();
            for (int i = 1; i < copies; i++) {
                b.get(1_000_000);
            }
            b.appends();
        }
        b.setitem();
        if (declaredFeatures != null) {
            b.str("n_features_in_").integer(declaredFeatures).setitem();
        }
        return b.build().stop();
    }

    @Test
    void aForestOfOneTreeLoads() throws Exception {
        ModelIr ir = SklearnImporter.standard().load(forestOfOneTree(3, null), "forest.pkl");
        TreeEnsemble e = (TreeEnsemble) ir.estimator();
        assertEquals(3, e.trees().size());
    }

    @Test
    void oneTreeReferencedTwoMillionTimesIsRefusedFast() throws Exception {
        byte[] pickle = forestOfOneTree(2_000_000, null);
        assertTrue(pickle.length < 12_000_000, "file of " + pickle.length);
        Ml2TensorException e = refused(pickle, ErrorCode.LIMIT_EXCEEDED);
        assertTrue(e.getMessage().contains("exceeds the reader's budget"), e.getMessage());
    }

    @Test
    void aPipelineRepeatingOneStepByReferenceIsRefused() {
        PickleBuilder b = PickleBuilder.proto(2).object("sklearn.pipeline", "Pipeline").emptyDict()
                .str("steps").emptyList().mark().str("s");
        scaler(b, 3).tuple2().put(1);
        for (int i = 1; i < 300_000; i++) {
            b.get(1);
        }
        byte[] pickle = b.appends().setitem().build().stop();
        assertTrue(pickle.length < 2_000_000);
        Ml2TensorException e = refused(pickle, ErrorCode.LIMIT_EXCEEDED);
        assertTrue(e.getMessage().contains("exceeds the reader's budget"), e.getMessage());
    }

    @Test
    void hugeDeclaredFeatureCountsAreRefusedBeforeAllocating() throws Exception {
        byte[] scaler = scaler(PickleBuilder.proto(2), Integer.MAX_VALUE).stop();
        assertTrue(scaler.length < 1024);
        Ml2TensorException e = refused(scaler, ErrorCode.LIMIT_EXCEEDED);
        assertTrue(e.getMessage().contains("n_features_in_ = 2147483647"), e.getMessage());
        Ml2TensorException f = refused(forestOfOneTree(1, Integer.MAX_VALUE), ErrorCode.LIMIT_EXCEEDED);
        assertTrue(f.getMessage().contains("n_features_in_ = 2147483647"), f.getMessage());
    }
}
