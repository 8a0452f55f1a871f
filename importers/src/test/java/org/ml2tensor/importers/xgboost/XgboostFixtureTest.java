package org.ml2tensor.importers.xgboost;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.ml2tensor.ir.Comparison;
import org.ml2tensor.ir.DecisionTree;
import org.ml2tensor.ir.Head;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.ir.ScoreTransform;
import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.importers.Csv;
import org.ml2tensor.importers.Fixtures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every XGBoost fixture (1.7.4 from Python, 3.4.0 from XGBoost4J; JSON and UBJSON) is imported, evaluated
 * with the reference IR evaluator and compared with the library's own margins and predictions.
 *
 * <p>Tolerance: XGBoost adds leaf values in float32 while the evaluator adds in double, so raw scores may
 * differ by the float32 recursive-summation bound {@code n·2^-24·Σ|terms|} plus 1e-6; transformed outputs
 * by that error times {@code max(1, |output|)} plus float32 rounding of the output. Tree routing itself
 * must be exact (a wrong branch moves the score by a whole leaf value, far above the bound).
 */
class XgboostFixtureTest {
    private static final Path DIR = Fixtures.dir("xgboost");

    @TestFactory
    Stream<DynamicTest> everyFixtureMatchesTheLibrary() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : Fixtures.cases(DIR)) {
            for (String ext : new String[]{"json", "ubj"}) {
                Path model = DIR.resolve(name + "." + ext);
                if (Files.exists(model)) {
                    tests.add(DynamicTest.dynamicTest(name + "." + ext, () -> checkFixture(name, model)));
                }
            }
        }
        assertTrue(tests.size() >= 30, "expected the committed fixtures, found " + tests.size());
        return tests.stream();
    }

    private static void checkFixture(String name, Path model) {
        ModelIr ir = XgboostImporter.load(model);
        TreeEnsemble e = assertInstanceOf(TreeEnsemble.class, ir.estimator());
        assertEquals(Comparison.LESS, e.comparison());
        assertEquals("xgboost", ir.source().format());
        assertEquals(64, ir.source().sha256().length());
        double[][] rows = Csv.read(DIR.resolve(name + ".rows.csv"));
        assertEquals(ir.featureCount(), rows[0].length, "row width");
        Fixtures.assertRaw(name, e, rows, Csv.read(DIR.resolve(name + ".margin.csv")), 1,
                Fixtures.Tolerance.float32Sum());
        Fixtures.assertPredictions(name, e, rows, Csv.read(DIR.resolve(name + ".pred.csv")),
                Fixtures.Tolerance.float32Sum());
    }

    private static TreeEnsemble ensemble(String file) {
        return (TreeEnsemble) XgboostImporter.load(DIR.resolve(file)).estimator();
    }

    @Test
    void binaryLogisticIsATwoClassClassifierWithOneMarginColumn() {
        ModelIr ir = XgboostImporter.load(DIR.resolve("binary_logistic.json"));
        TreeEnsemble e = (TreeEnsemble) ir.estimator();
        Head.Classification head = assertInstanceOf(Head.Classification.class, e.head());
        assertEquals(2, head.labels().size());
        assertTrue(head.probabilities());
        assertEquals(1, e.outputWidth());
        assertEquals(ScoreTransform.LOGISTIC, e.transform());
        assertEquals(10, e.trees().size());
        // base_score "3E-1" through the logit link, in float32 as XGBoost computes it
        assertEquals(Math.log(0.3 / 0.7), e.baseScores()[0], 1e-6);
        assertEquals("xgboost 1.7.4 gbtree binary:logistic", ir.source().description());
        assertEquals(4, ir.featureCount());
        assertTrue(ir.featureNames().isEmpty());
    }

    @Test
    void jsonAndUbjsonGiveTheSameIr() {
        for (String name : new String[]{"binary_logistic", "multi_softprob", "dart_binary", "categorical_partition",
                "v3_binary_logistic", "v3_multi_output_tree"}) {
            TreeEnsemble a = ensemble(name + ".json");
            TreeEnsemble b = ensemble(name + ".ubj");
            assertEquals(a.trees().size(), b.trees().size(), name);
            assertArrayEquals(a.baseScores(), b.baseScores(), name);
            for (int t = 0; t < a.trees().size(); t++) {
                DecisionTree x = a.trees().get(t);
                DecisionTree y = b.trees().get(t);
                assertArrayEquals(x.threshold(), y.threshold(), name + " tree " + t);
                assertArrayEquals(x.values(), y.values(), name + " tree " + t);
                assertArrayEquals(x.feature(), y.feature(), name + " tree " + t);
                assertArrayEquals(x.left(), y.left(), name + " tree " + t);
                assertArrayEquals(x.missingGoesLeft(), y.missingGoesLeft(), name + " tree " + t);
            }
        }
    }

    @Test
    void multiclassTreesTargetTheirClassColumn() {
        TreeEnsemble e = ensemble("multi_softprob.json");
        assertEquals(3, e.outputWidth());
        assertEquals(ScoreTransform.SOFTMAX, e.transform());
        assertEquals(15, e.trees().size());
        for (int t = 0; t < e.trees().size(); t++) {
            assertEquals(t % 3, e.trees().get(t).target());
        }
        Head.Classification head = assertInstanceOf(Head.Classification.class, e.head());
        assertEquals(3, head.labels().size());
        assertInstanceOf(Head.Classification.class, ensemble("multi_softmax.json").head());
    }

    @Test
    void objectivesMapToTransformsAndHeads() {
        assertEquals(ScoreTransform.EXP, ensemble("count_poisson.json").transform());
        assertEquals(ScoreTransform.EXP, ensemble("reg_gamma.json").transform());
        assertEquals(ScoreTransform.EXP, ensemble("reg_tweedie.ubj").transform());
        assertEquals(ScoreTransform.LOGISTIC, ensemble("reg_logistic.json").transform());
        assertInstanceOf(Head.Regression.class, ensemble("reg_logistic.json").head());
        for (String raw : new String[]{"binary_logitraw.json", "rank_pairwise.json", "rank_ndcg.json",
                "reg_squarederror.json", "reg_absoluteerror.json", "reg_pseudohubererror.json"}) {
            TreeEnsemble e = ensemble(raw);
            assertEquals(ScoreTransform.IDENTITY, e.transform(), raw);
            assertInstanceOf(Head.Regression.class, e.head(), raw);
        }
    }

    @Test
    void categoricalSplitsHoldXgboostsSetOnTheLeft() {
        TreeEnsemble e = ensemble("categorical_partition.json");
        assertTrue(e.hasCategoricalSplits());
        // tree 0, node 0 of the file: categories {1,3} go right in XGBoost, default_left=1
        DecisionTree t = e.trees().get(0);
        assertTrue(t.isCategorical(0));
        assertEquals("{1, 3}", t.categorical()[0].goLeft().toString());
        assertFalse(t.missingGoesLeft()[0], "missing went left in XGBoost, so right after the swap");
        assertEquals(2, t.left()[0], "children swapped");
        assertEquals(1, t.right()[0]);
        XgboostModelInfo info = XgboostImporter.describe(DIR.resolve("categorical_partition.json"));
        assertEquals(List.of(0, 2), info.categoricalFeatures());
    }

    @Test
    void dartWeightsAreFoldedIntoLeaves() {
        ModelIr ir = XgboostImporter.load(DIR.resolve("dart_binary.json"));
        assertEquals("xgboost 1.7.4 dart binary:logistic", ir.source().description());
        TreeEnsemble e = (TreeEnsemble) ir.estimator();
        XgbModel file = XgboostImporter.parse(readBytes("dart_binary.json"), "dart_binary.json");
        assertEquals(e.trees().size(), file.treeWeights().length);
        for (int t = 0; t < e.trees().size(); t++) {
            XgbTree x = file.trees().get(t);
            for (int i = 0; i < x.numNodes(); i++) {
                if (x.left()[i] == -1) {
                    assertEquals(x.splitCondition()[i] * file.treeWeights()[t], e.trees().get(t).value(i, 0),
                            "tree " + t + " leaf " + i);
                }
            }
        }
        assertTrue(file.treeWeights()[0] < 1f, "the fixture has dropped-out trees");
    }

    private static byte[] readBytes(String name) {
        try {
            return Files.readAllBytes(DIR.resolve(name));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * XGBoost 1.0–1.4 files lack split_type, the categories arrays and num_target, write size_leaf_vector
     * "0" and base_score with std::to_string ("0.300000"); the importer must give the same model.
     */
    @Test
    @SuppressWarnings("unchecked")
    void olderWriterLayoutImportsTheSame() {
        DocValue.Obj root = (DocValue.Obj) JsonDocumentReader.read(readBytes("binary_logistic.json"), "old.json");
        DocValue.Obj learner = (DocValue.Obj) root.fields().get("learner");
        DocValue.Obj params = (DocValue.Obj) learner.fields().get("learner_model_param");
        params.fields().remove("num_target");
        params.fields().put("base_score", new DocValue.Str("0.300000"));
        learner.fields().remove("attributes");
        DocValue.Obj gbModel = (DocValue.Obj) ((DocValue.Obj) learner.fields().get("gradient_booster")).fields()
                .get("model");
        for (DocValue tree : ((DocValue.Arr) gbModel.fields().get("trees")).items()) {
            java.util.Map<String, DocValue> f = ((DocValue.Obj) tree).fields();
            for (String k : new String[]{"split_type", "categories", "categories_nodes", "categories_segments",
                    "categories_sizes"}) {
                assertTrue(f.remove(k) != null, k);
            }
        }
        XgbModel old = XgbModelReader.read(DocNode.root(root, "old.json"));
        TreeEnsemble e = XgbIrBuilder.build(old, old.trees().size(), "old.json");
        double[][] rows = Csv.read(DIR.resolve("binary_logistic.rows.csv"));
        Fixtures.assertRaw("old layout", e, rows, Csv.read(DIR.resolve("binary_logistic.margin.csv")), 1,
                Fixtures.Tolerance.float32Sum());
    }

    @Test
    void sklearnPickleBoosterHandleImports() {
        ModelIr ir = XgboostImporter.load(DIR.resolve("booster_handle.ubj"));
        assertEquals("xgboost 1.7.4 gbtree binary:logistic", ir.source().description());
    }

    @Test
    void featureNamesAreKept() {
        ModelIr ir = XgboostImporter.load(DIR.resolve("feature_names.ubj"));
        assertEquals(List.of("age", "income", "score", "tenure"), ir.featureNames());
    }

    @Test
    void bestIterationOnlyKeepsTheEarlyStoppingTrees() {
        Path model = DIR.resolve("early_stopping.json");
        XgboostModelInfo info = XgboostImporter.describe(model);
        int best = info.bestIteration().orElseThrow();
        assertTrue(best + 1 < info.treesInFile(), "the fixture stopped early");
        TreeEnsemble all = (TreeEnsemble) XgboostImporter.load(model).estimator();
        assertEquals(info.treesInFile(), all.trees().size());
        TreeEnsemble bestOnly = (TreeEnsemble) XgboostImporter.load(model, new XgboostOptions(true)).estimator();
        assertEquals(best + 1, bestOnly.trees().size());
        double[][] rows = Csv.read(DIR.resolve("early_stopping.rows.csv"));
        Fixtures.assertRaw("early_stopping best", bestOnly, rows, Csv.read(DIR.resolve("early_stopping.best.csv")),
                1, Fixtures.Tolerance.float32Sum());
    }

    @Test
    void manyTreesAreAllImported() {
        XgboostModelInfo info = XgboostImporter.describe(DIR.resolve("many_trees.json"));
        assertEquals(1000, info.treesImported());
        assertTrue(info.maxDepth() <= 2);
        assertEquals(3, info.features());
        assertTrue(String.join("\n", info.render()).contains("objective: binary:logistic"));
    }

    @Test
    void version3FilesCarryVectorInterceptsAndVectorLeaves() {
        XgboostModelInfo multi = XgboostImporter.describe(DIR.resolve("v3_multi_softprob.json"));
        assertEquals("3.4.0", multi.version());
        assertEquals(3, multi.baseMargins().length);
        assertFalse(multi.baseMargins()[0] == multi.baseMargins()[1], "per-class intercepts");
        TreeEnsemble vector = ensemble("v3_multi_output_tree.json");
        assertEquals(-1, vector.trees().get(0).target());
        assertEquals(3, vector.trees().get(0).valueWidth());
        assertTrue(XgboostImporter.describe(DIR.resolve("v3_multi_output_tree.ubj")).vectorLeaves());
        assertEquals("dart", XgboostImporter.describe(DIR.resolve("v3_dart.json")).booster());
    }
}
