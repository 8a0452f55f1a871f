package org.ml2tensor.importers.lightgbm;

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
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.importers.Csv;
import org.ml2tensor.importers.Fixtures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every LightGBM 4.7.0 fixture is imported, evaluated with the reference IR evaluator and compared with
 * LightGBM's own {@code predict(raw_score=True)} and {@code predict()}.
 *
 * <p>Tolerance: LightGBM sums leaves in double in tree order, as the evaluator does; the only differences
 * come from folding the sigmoid slope and the 1/iterations of random forests into each leaf (a few ulps),
 * so raw scores must agree to 1e-9 relative to the sum of |terms| (plus 1e-12), outputs to that error
 * times {@code max(1, |output|)}.
 */
class LightgbmFixtureTest {
    private static final Path DIR = Fixtures.dir("lightgbm");

    @TestFactory
    Stream<DynamicTest> everyFixtureMatchesTheLibrary() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : Fixtures.cases(DIR)) {
            tests.add(DynamicTest.dynamicTest(name, () -> checkFixture(name)));
        }
        assertTrue(tests.size() >= 22, "expected the committed fixtures, found " + tests.size());
        return tests.stream();
    }

    private static void checkFixture(String name) {
        Path model = DIR.resolve(name + ".txt");
        ModelIr ir = LightgbmImporter.load(model);
        TreeEnsemble e = assertInstanceOf(TreeEnsemble.class, ir.estimator());
        assertEquals(Comparison.LESS_OR_EQUAL, e.comparison());
        assertEquals("lightgbm", ir.source().format());
        LightgbmModelInfo info = LightgbmImporter.describe(model);
        double[][] rows = Csv.read(DIR.resolve(name + ".rows.csv"));
        assertEquals(ir.featureCount(), rows[0].length, "row width");
        // the IR's raw score is LightGBM's raw_score times the sigmoid slope; in rf mode LightGBM 4.7.0's
        // raw_score is the un-averaged sum (its predict() divides by the iterations), the IR's is averaged
        double scale = info.leafScale() / (info.averageOutput() ? info.iterations() : 1);
        Fixtures.assertRaw(name, e, rows, Csv.read(DIR.resolve(name + ".margin.csv")), scale,
                Fixtures.Tolerance.float64());
        Fixtures.assertPredictions(name, e, rows, Csv.read(DIR.resolve(name + ".pred.csv")),
                Fixtures.Tolerance.float64());
    }

    private static TreeEnsemble ensemble(String name) {
        return (TreeEnsemble) LightgbmImporter.load(DIR.resolve(name + ".txt")).estimator();
    }

    @Test
    void objectivesMapToTransformsAndHeads() {
        assertEquals(ScoreTransform.IDENTITY, ensemble("regression").transform());
        assertEquals(ScoreTransform.SIGNED_SQUARE, ensemble("regression_sqrt").transform());
        assertEquals(ScoreTransform.EXP, ensemble("poisson").transform());
        assertEquals(ScoreTransform.EXP, ensemble("gamma").transform());
        assertEquals(ScoreTransform.EXP, ensemble("tweedie").transform());
        assertEquals(ScoreTransform.LOGISTIC, ensemble("cross_entropy").transform());
        assertEquals(ScoreTransform.LOG1P_EXP, ensemble("cross_entropy_lambda").transform());
        assertEquals(ScoreTransform.IDENTITY, ensemble("lambdarank").transform());
        TreeEnsemble binary = ensemble("binary");
        assertEquals(ScoreTransform.LOGISTIC, binary.transform());
        Head.Classification head = assertInstanceOf(Head.Classification.class, binary.head());
        assertEquals(2, head.labels().size());
        assertEquals(1, binary.outputWidth());
        TreeEnsemble multi = ensemble("multiclass");
        assertEquals(ScoreTransform.SOFTMAX, multi.transform());
        assertEquals(3, multi.outputWidth());
        for (int t = 0; t < multi.trees().size(); t++) {
            assertEquals(t % 3, multi.trees().get(t).target());
        }
        assertEquals(ScoreTransform.LOGISTIC, ensemble("multiclassova").transform());
        assertInstanceOf(Head.Classification.class, ensemble("multiclassova").head());
    }

    @Test
    void sigmoidSlopeAndForestAveragingAreFoldedIntoLeaves() {
        assertEquals(0.7, LightgbmImporter.describe(DIR.resolve("binary.txt")).leafScale());
        assertEquals(1.3, LightgbmImporter.describe(DIR.resolve("multiclassova.txt")).leafScale());
        LightgbmModelInfo rf = LightgbmImporter.describe(DIR.resolve("rf_binary.txt"));
        assertTrue(rf.averageOutput());
        assertEquals("rf", rf.boosting());
        assertEquals(6, rf.iterations());
    }

    @Test
    void constantModelIsOneLeaf() {
        TreeEnsemble e = ensemble("constant");
        DecisionTree t = e.trees().get(0);
        assertEquals(1, t.nodeCount());
        assertTrue(t.isLeaf(0));
    }

    @Test
    void categoricalSplitsUseLightgbmsSetOnTheLeftAndMissingRight() {
        TreeEnsemble e = ensemble("categorical");
        assertTrue(e.hasCategoricalSplits());
        DecisionTree t = e.trees().get(0);
        // Tree=0 node 0: cat_boundaries [0,1) -> word 42 = categories {1, 3, 5}
        assertTrue(t.isCategorical(0));
        assertEquals("{1, 3, 5}", t.categorical()[0].goLeft().toString());
        assertFalse(t.missingGoesLeft()[0]);
        LightgbmModelInfo info = LightgbmImporter.describe(DIR.resolve("categorical.txt"));
        assertEquals(List.of(0, 2), info.categoricalFeatures());
        // 70 categories: some bitset spans more than one 32-bit word
        boolean wide = e.trees().stream().anyMatch(tree -> {
            for (int i = 0; i < tree.nodeCount(); i++) {
                if (tree.isCategorical(i) && tree.categorical()[i].goLeft().length() > 32) {
                    return true;
                }
            }
            return false;
        });
        assertTrue(wide);
    }

    @Test
    void missingTypeNoneSendsNanWhereZeroGoes() {
        DecisionTree t = ensemble("missing_none").trees().get(0);
        for (int i = 0; i < t.nodeCount(); i++) {
            if (!t.isLeaf(i)) {
                assertEquals(0.0 <= t.threshold()[i], t.missingGoesLeft()[i], "node " + i);
            }
        }
    }

    @Test
    void namesAndPandasCategoriesAreReported() {
        ModelIr ir = LightgbmImporter.load(DIR.resolve("feature_names.txt"));
        assertEquals(List.of("age", "income", "score", "tenure"), ir.featureNames());
        assertEquals("lightgbm v4 gbdt binary", ir.source().description());
        LightgbmModelInfo pandas = LightgbmImporter.describe(DIR.resolve("pandas_categorical.txt"));
        assertNotNull(pandas.pandasCategorical());
        assertTrue(String.join("\n", pandas.render()).contains("\"red\""));
    }

    @Test
    void linearTreesAreRefused() {
        Ml2TensorException e = assertThrows(Ml2TensorException.class,
                () -> LightgbmImporter.load(DIR.resolve("refused_linear_tree.txt")));
        assertEquals(ErrorCode.UNSUPPORTED, e.code());
        assertTrue(e.getMessage().contains("linear_tree"), e.getMessage());
        assertTrue(e.context().startsWith("refused_linear_tree.txt:"), e.context());
    }

    @Test
    void zeroAsMissingSplitsThatNeedZeroBandRoutingAreRefused() {
        Ml2TensorException e = assertThrows(Ml2TensorException.class,
                () -> LightgbmImporter.load(DIR.resolve("refused_zero_as_missing.txt")));
        assertEquals(ErrorCode.UNSUPPORTED, e.code());
        assertTrue(e.hint().contains("zero_as_missing=false"), e.getMessage());
        assertTrue(e.context().contains("Tree="), e.context());
    }
}
