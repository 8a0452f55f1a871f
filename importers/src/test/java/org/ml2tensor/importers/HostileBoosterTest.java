package org.ml2tensor.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.importers.lightgbm.LightgbmImporter;
import org.ml2tensor.importers.xgboost.XgboostImporter;
import org.ml2tensor.importers.xgboost.XgboostOptions;

/**
 * Booster files (XGBoost JSON, LightGBM text) crafted to declare sizes their data does not back, or
 * trees deep enough to stall a compile: each is refused within seconds, before the allocation.
 */
public class HostileBoosterTest {
    private static final Duration FAST = Duration.ofSeconds(10);

    static Ml2TensorException refused(ErrorCode code, Function<byte[], Object> load, byte[] file) {
        Ml2TensorException e = CpuLimit.refusedWithin(FAST, () -> load.apply(file));
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    static Object xgb(byte[] b) {
        return XgboostImporter.loadBytes(b, "hostile.json", XgboostOptions.DEFAULTS);
    }

    static Object lgbm(byte[] b) {
        return LightgbmImporter.loadBytes(b, "hostile.txt");
    }

    /** A regression tree that is a chain: node 2i splits into leaf 2i+1 and node 2i+2. */
    public static String chainTree(int depth, String sizeLeafVector) {
        int n = 2 * depth + 1;
        StringBuilder left = new StringBuilder();
        StringBuilder right = new StringBuilder();
        for (int i = 0; i < n; i++) {
            boolean leaf = i % 2 == 1 || i == n - 1;
            left.append(i > 0 ? "," : "").append(leaf ? -1 : i + 1);
            right.append(i > 0 ? "," : "").append(leaf ? -1 : i + 2);
        }
        String zeros = IntStream.range(0, n).mapToObj(i -> "0").collect(Collectors.joining(","));
        String halves = IntStream.range(0, n).mapToObj(i -> "0.5").collect(Collectors.joining(","));
        return "{\"base_weights\":[" + halves + "],\"categories\":[],\"categories_nodes\":[],"
                + "\"categories_segments\":[],\"categories_sizes\":[],\"default_left\":[" + zeros + "],\"id\":0,"
                + "\"left_children\":[" + left + "],\"loss_changes\":[" + zeros + "],\"parents\":[" + zeros + "],"
                + "\"right_children\":[" + right + "],\"split_conditions\":[" + halves + "],"
                + "\"split_indices\":[" + zeros + "],\"split_type\":[" + zeros + "],\"sum_hessian\":[" + halves
                + "],\"tree_param\":{\"num_deleted\":\"0\",\"num_feature\":\"2\",\"num_nodes\":\"" + n
                + "\",\"size_leaf_vector\":\"" + sizeLeafVector + "\"}}";
    }

    public static byte[] xgbModel(String tree, String numClass, String numFeature, String objective) {
        String json = "{\"learner\":{\"attributes\":{},\"feature_names\":[],\"feature_types\":[],"
                + "\"gradient_booster\":{\"model\":{\"gbtree_model_param\":{\"num_parallel_tree\":\"1\","
                + "\"num_trees\":\"1\",\"size_leaf_vector\":\"0\"},\"tree_info\":[0],\"trees\":[" + tree + "]},"
                + "\"name\":\"gbtree\"},\"learner_model_param\":{\"base_score\":\"5E-1\",\"boost_from_average\":\"0\","
                + "\"num_class\":\"" + numClass + "\",\"num_feature\":\"" + numFeature + "\",\"num_target\":\"1\"},"
                + "\"objective\":{\"name\":\"" + objective + "\",\"reg_loss_param\":{\"scale_pos_weight\":\"1\"},"
                + "\"softmax_multiclass_param\":{\"num_class\":\"" + numClass + "\"}}},\"version\":[1,7,4]}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aShallowChainLoadsAndCompiles() {
        ModelIr ir = XgboostImporter.loadBytes(xgbModel(chainTree(50, "0"), "0", "2", "reg:squarederror"),
                "chain.json", XgboostOptions.DEFAULTS);
        assertEquals(50, ((TreeEnsemble) ir.estimator()).maxDepth());
        ModelCompiler.compile(ir, CompileOptions.defaults());
    }

    /** Depth 20k here (2 MB); the 200k chain of the issue (19 MB) runs in the forked fuzz's hostile family. */
    @Test
    void aDeepChainIsRefusedFast() {
        byte[] file = xgbModel(chainTree(20_000, "0"), "0", "2", "reg:squarederror");
        Ml2TensorException e = refused(ErrorCode.LIMIT_EXCEEDED, HostileBoosterTest::xgb, file);
        assertTrue(e.getMessage().contains("depth 20000") && e.getMessage().contains("limit of 4096"),
                e.getMessage());
    }

    @Test
    void xgboostDeclaredSizesMustBeBackedByData() {
        Ml2TensorException classes = refused(ErrorCode.INVALID_MODEL, HostileBoosterTest::xgb,
                xgbModel(chainTree(2, "0"), "2147483647", "2", "multi:softprob"));
        assertTrue(classes.getMessage().contains("every output needs a tree"), classes.getMessage());
        Ml2TensorException features = refused(ErrorCode.LIMIT_EXCEEDED, HostileBoosterTest::xgb,
                xgbModel(chainTree(2, "0"), "0", "2147483647", "reg:squarederror"));
        assertTrue(features.getMessage().contains("num_feature = 2147483647"), features.getMessage());
        Ml2TensorException leafVector = refused(ErrorCode.INVALID_MODEL, HostileBoosterTest::xgb,
                xgbModel(chainTree(2, "1000000000"), "0", "2", "reg:squarederror"));
        assertTrue(leafVector.getMessage().contains("size_leaf_vector")
                || leafVector.getMessage().contains("leaf vectors"), leafVector.getMessage());
    }

    public static String lgbmText(String maxFeatureIdx, String infos, String treeExtra) {
        return "tree\nversion=v4\nnum_class=1\nnum_tree_per_iteration=1\nlabel_index=0\nmax_feature_idx="
                + maxFeatureIdx + "\nobjective=regression\nfeature_infos=" + infos + "\ntree_sizes=245\n\n"
                + "Tree=0\nnum_leaves=2\nnum_cat=" + (treeExtra.isEmpty() ? "0" : "1") + "\nsplit_feature=0\n"
                + "split_gain=1\nthreshold=" + (treeExtra.isEmpty() ? "0.5" : "0") + "\ndecision_type="
                + (treeExtra.isEmpty() ? "2" : "1") + "\nleft_child=-1\nright_child=-2\nleaf_value=1 2\n"
                + "leaf_weight=1 1\nleaf_count=1 1\ninternal_value=0\ninternal_weight=1\ninternal_count=2\n"
                + treeExtra + "is_linear=0\nshrinkage=1\n\n\nend of trees\n";
    }

    @Test
    void lightgbmDeclaredSizesMustBeBackedByData() {
        lgbm(lgbmText("1", "[0:1] [0:1]", "").getBytes(StandardCharsets.UTF_8));
        Ml2TensorException overflow = refused(ErrorCode.LIMIT_EXCEEDED, HostileBoosterTest::lgbm,
                lgbmText("2147483647", "", "").getBytes(StandardCharsets.UTF_8));
        assertTrue(overflow.getMessage().contains("max_feature_idx"), overflow.getMessage());
        Ml2TensorException big = refused(ErrorCode.LIMIT_EXCEEDED, HostileBoosterTest::lgbm,
                lgbmText("2000000000", "", "").getBytes(StandardCharsets.UTF_8));
        assertTrue(big.getMessage().contains("exceeds the reader's budget"), big.getMessage());
        Ml2TensorException infos = refused(ErrorCode.MODEL_FORMAT, HostileBoosterTest::lgbm,
                lgbmText("100000", "[0:1] [0:1]", "").getBytes(StandardCharsets.UTF_8));
        assertTrue(infos.getMessage().contains("feature_infos has 2 entries"), infos.getMessage());
    }

    @Test
    void devicesAndEndlessStreamsAreRefused(@TempDir Path dir) throws Exception {
        Path zero = Path.of("/dev/zero");
        if (Files.exists(zero)) {
            for (ModelFormat f : new ModelFormat[]{ModelFormat.SKLEARN, ModelFormat.XGBOOST, ModelFormat.LIGHTGBM}) {
                Ml2TensorException e = assertTimeoutPreemptively(FAST,
                        () -> assertThrows(Ml2TensorException.class, () -> ModelImporter.load(zero, f)));
                assertEquals(ErrorCode.IO, e.code(), e.getMessage());
                assertTrue(e.getMessage().contains("character device"), e.getMessage());
            }
        }
        Ml2TensorException d = assertThrows(Ml2TensorException.class,
                () -> ModelImporter.load(dir, ModelFormat.LIGHTGBM));
        assertEquals(ErrorCode.IO, d.code(), d.getMessage());
    }
}
