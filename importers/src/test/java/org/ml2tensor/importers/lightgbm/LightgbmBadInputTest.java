package org.ml2tensor.importers.lightgbm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.importers.Fixtures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Malformed, truncated and unsupported LightGBM files fail with a located {@link Ml2TensorException}. */
class LightgbmBadInputTest {
    private static final Path DIR = Fixtures.dir("lightgbm");

    private static String text() throws IOException {
        return Files.readString(DIR.resolve("binary.txt"));
    }

    private static Ml2TensorException fails(ErrorCode code, String text) {
        Ml2TensorException e = assertThrows(Ml2TensorException.class,
                () -> LightgbmImporter.loadBytes(text.getBytes(StandardCharsets.UTF_8), "bad.txt"));
        assertEquals(code, e.code(), e.getMessage());
        assertTrue(e.context().startsWith("bad.txt"), e.context());
        assertFalse(e.hint().isEmpty(), "a hint for " + e.getMessage());
        return e;
    }

    @Test
    void truncatedFileIsReported() throws IOException {
        String t = text();
        Ml2TensorException e = fails(ErrorCode.MODEL_FORMAT, t.substring(0, t.indexOf("Tree=3")));
        assertTrue(e.getMessage().contains("end of trees"), e.getMessage());
        // cut inside a tree block: its leaf_value line is gone
        String cut = t.substring(0, t.indexOf("leaf_value=", t.indexOf("Tree=2")));
        assertTrue(fails(ErrorCode.MODEL_FORMAT, cut).getMessage().contains("no 'leaf_value'"));
    }

    @Test
    void notAModel() {
        fails(ErrorCode.MODEL_FORMAT, "hello\nworld\n");
        fails(ErrorCode.MODEL_FORMAT, "");
    }

    @Test
    void badNumberNamesTheLine() throws IOException {
        String t = text();
        int line = (int) t.substring(0, t.indexOf("threshold=")).chars().filter(c -> c == '\n').count() + 1;
        Ml2TensorException e = fails(ErrorCode.MODEL_FORMAT, t.replaceFirst("threshold=\\S+", "threshold=abc"));
        assertEquals("bad.txt:" + line, e.context());
        assertTrue(e.getMessage().contains("'abc'"), e.getMessage());
    }

    @Test
    void wrongArrayLengthIsReported() throws IOException {
        Ml2TensorException e = fails(ErrorCode.MODEL_FORMAT, text().replaceFirst("leaf_value=", "leaf_value=1 "));
        assertTrue(e.getMessage().contains("leaf_value has"), e.getMessage());
    }

    @Test
    void missingHeaderFieldIsReported() throws IOException {
        Ml2TensorException e = fails(ErrorCode.MODEL_FORMAT, text().replace("max_feature_idx=", "max_feat="));
        assertTrue(e.getMessage().contains("max_feature_idx"), e.getMessage());
    }

    @Test
    void unknownObjectiveListsTheSupportedOnes() throws IOException {
        Ml2TensorException e = fails(ErrorCode.UNSUPPORTED, text().replace("objective=binary sigmoid:0.7",
                "objective=mystery"));
        assertTrue(e.hint().contains("multiclassova"), e.hint());
    }

    @Test
    void childAndFeatureIndicesAreChecked() throws IOException {
        String t = text();
        String line = t.substring(t.indexOf("left_child="), t.indexOf('\n', t.indexOf("left_child=")));
        Ml2TensorException e = fails(ErrorCode.INVALID_MODEL, t.replace(line, line.replaceFirst("=\\S+", "=99")));
        assertTrue(e.getMessage().contains("child 99"), e.getMessage());
        assertTrue(e.context().contains("Tree=0 node 0"), e.context());
        String features = t.substring(t.indexOf("split_feature="), t.indexOf('\n', t.indexOf("split_feature=")));
        e = fails(ErrorCode.INVALID_MODEL, t.replace(features, features.replaceFirst("=\\S+", "=7")));
        assertTrue(e.getMessage().contains("split_feature 7"), e.getMessage());
    }

    @Test
    void zeroBandThresholdsMoveToTheBandEdge() {
        double kz = LgbmIrBuilder.ZERO_THRESHOLD;
        assertEquals(1.0000000180025095e-35, kz);
        assertEquals(Math.nextDown(-kz), LgbmIrBuilder.zeroBandThreshold(-kz));
        assertEquals(kz, LgbmIrBuilder.zeroBandThreshold(0.0));
        assertEquals(kz, LgbmIrBuilder.zeroBandThreshold(kz));
        assertEquals(0.5, LgbmIrBuilder.zeroBandThreshold(0.5));
        assertEquals(-2 * kz, LgbmIrBuilder.zeroBandThreshold(-2 * kz));
    }
}
