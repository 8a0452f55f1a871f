package org.ml2tensor.importers.xgboost;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.importers.Fixtures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Malformed, truncated and unsupported XGBoost files fail with a located {@link Ml2TensorException}. */
class XgboostBadInputTest {
    private static final Path DIR = Fixtures.dir("xgboost");

    private static String json() throws IOException {
        return Files.readString(DIR.resolve("binary_logistic.json"));
    }

    private static Ml2TensorException fails(ErrorCode code, byte[] bytes) {
        Executable load = () -> XgboostImporter.loadBytes(bytes, "bad.json", XgboostOptions.DEFAULTS);
        Ml2TensorException e = assertThrows(Ml2TensorException.class, load);
        assertEquals(code, e.code(), e.getMessage());
        assertTrue(e.context().startsWith("bad.json"), e.context());
        assertFalse(e.hint().isEmpty(), "a hint for " + e.getMessage());
        return e;
    }

    private static Ml2TensorException fails(ErrorCode code, String text) {
        return fails(code, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void truncatedJsonNamesLineAndColumn() throws IOException {
        String text = json();
        Ml2TensorException e = fails(ErrorCode.MODEL_FORMAT, text.substring(0, text.length() / 2));
        assertTrue(e.context().matches("bad\\.json:\\d+:\\d+"), e.context());
        assertTrue(e.getMessage().contains("malformed XGBoost JSON"), e.getMessage());
    }

    @Test
    void truncatedUbjsonNamesTheByteOffset() throws IOException {
        byte[] ubj = Files.readAllBytes(DIR.resolve("binary_logistic.ubj"));
        Ml2TensorException e = fails(ErrorCode.MODEL_FORMAT, Arrays.copyOf(ubj, ubj.length - 100));
        assertTrue(e.context().contains("@ byte"), e.context());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void hugeUbjsonCountIsRejectedBeforeAllocating() {
        // {  L<len 1>"a"  [ $ d # L <2^40>  — a typed float array claiming 2^40 elements
        byte[] bytes = {'{', 'L', 0, 0, 0, 0, 0, 0, 0, 1, 'a', '[', '$', 'd', '#', 'L', 0, 0, 1, 0, 0, 0, 0, 0, '}'};
        Ml2TensorException e = fails(ErrorCode.MODEL_FORMAT, bytes);
        assertTrue(e.getMessage().contains("runs past the end"), e.getMessage());
    }

    @Test
    void wrongTypeNamesTheJsonPath() throws IOException {
        String text = json().replaceFirst("\"left_children\":\\[", "\"left_children\":[\"x\",");
        Ml2TensorException e = fails(ErrorCode.MODEL_FORMAT, text);
        assertTrue(e.context().contains("learner.gradient_booster.model.trees[0].left_children[0]"), e.context());
        assertTrue(e.getMessage().contains("expected a number, found string"), e.getMessage());
    }

    @Test
    void missingFieldNamesTheObject() throws IOException {
        String text = json().replace("\"tree_info\"", "\"tree_info_renamed\"");
        Ml2TensorException e = fails(ErrorCode.MODEL_FORMAT, text);
        assertTrue(e.getMessage().contains("missing field 'tree_info'"), e.getMessage());
        assertTrue(e.context().endsWith("learner.gradient_booster.model"), e.context());
    }

    @Test
    void unknownObjectiveListsTheSupportedOnes() throws IOException {
        String text = json().replace("\"binary:logistic\"", "\"reg:mystery\"");
        Ml2TensorException e = fails(ErrorCode.UNSUPPORTED, text);
        assertTrue(e.getMessage().contains("reg:mystery"), e.getMessage());
        assertTrue(e.hint().contains("multi:softprob"), e.hint());
        assertTrue(e.context().endsWith("learner.objective.name"), e.context());
    }

    @Test
    void arrayLengthMismatchIsInvalid() throws IOException {
        String text = json().replaceFirst("\"default_left\":\\[", "\"default_left\":[0,");
        Ml2TensorException e = fails(ErrorCode.INVALID_MODEL, text);
        assertTrue(e.getMessage().contains("num_nodes"), e.getMessage());
    }

    @Test
    void featureIndexOutOfRangeIsInvalid() throws IOException {
        String text = json().replace("\"num_feature\":\"4\"", "\"num_feature\":\"1\"");
        Ml2TensorException e = fails(ErrorCode.INVALID_MODEL, text);
        assertTrue(e.context().contains("split_indices["), e.context());
    }

    @Test
    void cyclicTreeIsInvalid() throws IOException {
        // tree 0: make node 1 point back to node 0's sibling structure via its left child
        String text = json().replaceFirst("\"left_children\":\\[1,3,5,7,", "\"left_children\":[1,3,5,1,");
        Ml2TensorException e = fails(ErrorCode.INVALID_MODEL, text);
        assertTrue(e.getMessage().contains("malformed tree"), e.getMessage());
    }

    @Test
    void logisticBaseScoreOutsideTheUnitIntervalIsInvalid() throws IOException {
        Ml2TensorException e = fails(ErrorCode.INVALID_MODEL, json().replace("\"base_score\":\"3E-1\"",
                "\"base_score\":\"1.5E0\""));
        assertTrue(e.getMessage().contains("logit"), e.getMessage());
        fails(ErrorCode.INVALID_MODEL, json().replace("\"base_score\":\"3E-1\"", "\"base_score\":\"abc\""));
    }

    @Test
    void notAModelAtAll() {
        fails(ErrorCode.MODEL_FORMAT, "binf\u0000\u0000");
        fails(ErrorCode.MODEL_FORMAT, new byte[0]);
        fails(ErrorCode.MODEL_FORMAT, "{\"foo\": 1}");
        fails(ErrorCode.UNSUPPORTED, "{\"learner\":{\"learner_model_param\":{\"base_score\":\"5E-1\","
                + "\"num_feature\":\"2\"},\"objective\":{\"name\":\"reg:squarederror\"},"
                + "\"gradient_booster\":{\"name\":\"gblinear\",\"model\":{\"weights\":[1,2,3]}}}}");
    }

    @Test
    void missingFileIsAnIoError(@TempDir Path tmp) {
        Ml2TensorException e = assertThrows(Ml2TensorException.class,
                () -> XgboostImporter.load(tmp.resolve("nope.json")));
        assertEquals(ErrorCode.IO, e.code());
    }

    @Test
    void baseScoreInEveryVersionsSpelling() {
        assertArrayEquals(new double[]{0.5}, BaseScore.parse("0.500000"));
        assertArrayEquals(new double[]{0.5}, BaseScore.parse("5E-1"));
        assertArrayEquals(new double[]{(float) 0.3}, BaseScore.parse("3E-1"));
        assertArrayEquals(new double[]{0.5}, BaseScore.parse("[5E-1]"));
        assertArrayEquals(new double[]{(float) -3.5617352E-3, (float) -3.3380222E-1, (float) 3.373639E-1},
                BaseScore.parse("[-3.5617352E-3,-3.3380222E-1,3.373639E-1]"));
        assertArrayEquals(new double[]{1, 2}, BaseScore.parse("(1, 2)"));
        assertNull(BaseScore.parse(""));
        assertNull(BaseScore.parse("[]"));
        assertNull(BaseScore.parse("1,2"));
        assertNull(BaseScore.parse("[1,,2]"));
        assertNull(BaseScore.parse("x"));
    }

    @Test
    void jsonNumbersAreFloat32AndNonNumericTokensAreAccepted() {
        DocValue doc = JsonDocumentReader.read(
                "{\"a\":[0.1, NaN, Infinity, -Infinity, 2147483647, -1.8767055E-2], \"b\": 16777217}"
                        .getBytes(StandardCharsets.UTF_8), "t.json");
        double[] a = ((DocValue.Numbers) ((DocValue.Obj) doc).fields().get("a")).values();
        assertEquals((double) 0.1f, a[0]);
        assertTrue(Double.isNaN(a[1]));
        assertEquals(Double.POSITIVE_INFINITY, a[2]);
        assertEquals(Double.NEGATIVE_INFINITY, a[3]);
        assertEquals(2147483647.0, a[4]);
        assertEquals((double) -1.8767055E-2f, a[5]);
        // integers stay exact (not rounded through float32)
        assertEquals(16777217.0, ((DocValue.Num) ((DocValue.Obj) doc).fields().get("b")).value());
    }

    @Test
    void ubjsonScalarsAndContainers() {
        // {"k": [$U#i 3 1 2 255], "s": "hi", "x": d 0.5, "n": Z, "t": T, "u": [ i 1 I 0 2 ] }
        byte[] bytes = {'{',
                'i', 1, 'k', '[', '$', 'U', '#', 'i', 3, 1, 2, (byte) 255,
                'i', 1, 's', 'S', 'i', 2, 'h', 'i',
                'i', 1, 'x', 'd', 0x3f, 0, 0, 0,
                'i', 1, 'n', 'Z',
                'i', 1, 't', 'T',
                'i', 1, 'u', '[', 'i', 1, 'I', 0, 2, ']',
                '}'};
        DocValue.Obj o = (DocValue.Obj) UbjsonDocumentReader.read(bytes, "t.ubj");
        assertArrayEquals(new double[]{1, 2, 255}, ((DocValue.Numbers) o.fields().get("k")).values());
        assertEquals("hi", ((DocValue.Str) o.fields().get("s")).value());
        assertEquals(0.5, ((DocValue.Num) o.fields().get("x")).value());
        assertTrue(o.fields().get("n") instanceof DocValue.Null);
        assertTrue(((DocValue.Bool) o.fields().get("t")).value());
        assertArrayEquals(new double[]{1, 2}, ((DocValue.Numbers) o.fields().get("u")).values());
        assertEquals(XgboostImporter.Encoding.UBJSON, XgboostImporter.detect(bytes));
        assertEquals(XgboostImporter.Encoding.JSON, XgboostImporter.detect("  {\"a\":1}".getBytes(
                StandardCharsets.UTF_8)));
    }
}
