package org.ml2tensor.importers.sklearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.ml2tensor.ir.CategoricalSplit;
import org.ml2tensor.ir.DecisionTree;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.ir.Pipeline;
import org.ml2tensor.ir.ScoreTransform;
import org.ml2tensor.ir.Transformer;
import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/** Error reporting, describe output and structural properties of converted models. */
class SklearnImporterTest {
    private static final SklearnImporter IMPORTER = SklearnImporter.standard();

    private static Path fixture(String version, String file) {
        return Fixtures.root().resolve("skl" + version).resolve(file);
    }

    @Test
    void attributeErrorsNameThePipelineStep() {
        for (String v : new String[]{"1.2.1", "1.9.1"}) {
            Ml2TensorException e = assertThrows(Ml2TensorException.class,
                    () -> IMPORTER.load(fixture(v, "broken_scaler_in_pipeline.p4.pkl")));
            assertEquals(ErrorCode.INVALID_MODEL, e.code());
            assertEquals("broken_scaler_in_pipeline.p4.pkl › Pipeline.steps[1] (StandardScaler) › scale_",
                    e.context());
            assertEquals("expected float64[5], found float64[3]", e.bareMessage());
        }
    }

    @Test
    void unsupportedEstimatorIsNamedWithItsPathAndPointsToTheList() {
        Ml2TensorException e = assertThrows(Ml2TensorException.class,
                () -> IMPORTER.load(fixture("1.9.1", "unsupported_gp.p4.pkl")));
        assertEquals(ErrorCode.UNSUPPORTED, e.code());
        assertEquals("GaussianProcessRegressor (sklearn.gaussian_process._gpr.GaussianProcessRegressor) is not supported",
                e.bareMessage());
        assertFalse(e.context().contains("offset"), e.context());
        assertEquals(UnsupportedEstimators.LIST_HINT, e.hint());
        assertTrue(e.getMessage().length() < 260, e.getMessage());
    }

    /** Fixtures of importers/src/test/python/make_first_hour_fixtures.py (scikit-learn 1.9.1, lightgbm 4.7.0). */
    private static Path firstHour(String file) {
        return Fixtures.root().getParent().resolve("first_hour").resolve(file);
    }

    @Test
    void anUnsupportedStepIsRefusedByObjectPath() {
        Ml2TensorException e = assertThrows(Ml2TensorException.class, () -> IMPORTER.load(firstHour("gp_pipeline.pkl")));
        assertEquals(ErrorCode.UNSUPPORTED, e.code());
        assertEquals("gp_pipeline.pkl › Pipeline.steps[1] (GaussianProcessClassifier)", e.context());
        assertEquals("GaussianProcessClassifier (sklearn.gaussian_process._gpc.GaussianProcessClassifier) is not supported",
                e.bareMessage());
        assertEquals("run 'ml2tensor list-estimators' for the supported estimators", e.hint());
    }

    @Test
    void aPickledLightgbmWrapperCompilesThroughItsBoosterText() {
        org.ml2tensor.ir.ModelIr ir = IMPORTER.load(firstHour("lgbm_classifier.pkl"));
        org.ml2tensor.ir.TreeEnsemble t = assertInstanceOf(org.ml2tensor.ir.TreeEnsemble.class, ir.estimator());
        assertInstanceOf(org.ml2tensor.ir.Head.Classification.class, t.head());
        assertFalse(t.trees().isEmpty());
    }

    @Test
    void describeShowsAFailingStepOnce() {
        String described = IMPORTER.describe(firstHour("gp_pipeline.pkl"));
        assertEquals(1, described.split("is not supported", -1).length - 1, described);
        assertTrue(described.contains("steps[1] 'gpc': GaussianProcessClassifier — not convertible: "
                + "GaussianProcessClassifier (sklearn.gaussian_process._gpc.GaussianProcessClassifier) is not "
                + "supported"), described);
    }

    @Test
    void theFirstHourScalerAndSvcPipelineConverts() {
        ModelIr ir = IMPORTER.load(firstHour("svc_pipeline.pkl"));
        Pipeline p = assertInstanceOf(Pipeline.class, ir.estimator());
        assertInstanceOf(org.ml2tensor.ir.KernelSvm.class, p.last());
    }

    @Test
    void registryHasAliasesForRenamedModules() {
        SklearnRegistry r = IMPORTER.registry();
        for (String name : new String[]{"sklearn.tree._classes.DecisionTreeClassifier",
                "sklearn.tree.tree.DecisionTreeClassifier", "sklearn.ensemble._forest.RandomForestRegressor",
                "sklearn.ensemble.forest.RandomForestRegressor", "sklearn.ensemble._gb.GradientBoostingClassifier",
                "sklearn.ensemble.gradient_boosting.GradientBoostingClassifier",
                "sklearn.preprocessing.data.StandardScaler", "sklearn.linear_model.logistic.LogisticRegression"}) {
            assertTrue(r.find(name).isPresent(), name);
        }
        assertTrue(r.find("sklearn.gaussian_process._gpc.GaussianProcessClassifier").isEmpty());
        assertTrue(r.allowlist().allows("sklearn.tree._tree", "Tree"));
        assertTrue(!r.allowlist().allows("os", "system"));
    }

    @Test
    void newAndOldTreeLayoutsCarryMissingValueDirections() {
        TreeEnsemble old = assertInstanceOf(TreeEnsemble.class, IMPORTER.load(fixture("1.2.1", "dt_clf.p4.pkl")).estimator());
        DecisionTree t = old.trees().get(0);
        for (boolean m : t.missingGoesLeft()) {
            assertTrue(!m, "sklearn 1.2 trees have no missing_go_to_left: NaN goes right");
        }
        TreeEnsemble neu = assertInstanceOf(TreeEnsemble.class, IMPORTER.load(fixture("1.9.1", "dt_clf.p5.pkl")).estimator());
        boolean anyLeft = false;
        DecisionTree n = neu.trees().get(0);
        for (int i = 0; i < n.nodeCount(); i++) {
            anyLeft |= !n.isLeaf(i) && n.missingGoesLeft()[i];
        }
        assertTrue(anyLeft, "a tree trained with NaN sends NaN left somewhere");
    }

    @Test
    void histGradientBoostingCategoricalSplitsUseRawCategories() {
        for (String v : new String[]{"1.2.1", "1.6.1", "1.9.1"}) {
            TreeEnsemble e = assertInstanceOf(TreeEnsemble.class,
                    IMPORTER.load(fixture(v, "hgb_clf_cat.p5.pkl")).estimator());
            assertTrue(e.hasCategoricalSplits(), v);
            for (DecisionTree t : e.trees()) {
                for (int i = 0; i < t.nodeCount(); i++) {
                    if (t.isCategorical(i)) {
                        CategoricalSplit c = t.categorical()[i];
                        assertEquals(2, t.feature()[i], v + ": the categorical column is input column 2");
                        assertEquals("{1, 3, 4, 7, 8, 10}", c.known().toString(), v);
                    }
                }
            }
            assertEquals(ScoreTransform.LOGISTIC, e.transform());
        }
    }

    @Test
    void everyUnsupportedEstimatorIsReportedAtOnceWithItsPath() {
        Ml2TensorException e = assertThrows(Ml2TensorException.class,
                () -> IMPORTER.load(fixture("1.9.1", "unsupported_many.pkl")));
        assertEquals(ErrorCode.UNSUPPORTED, e.code());
        String m = e.bareMessage();
        assertTrue(m.startsWith("2 estimators are not supported: "), m);
        assertTrue(m.contains("Pipeline.steps[0] (ColumnTransformer).transformers_[0] (KBinsDiscretizer)"
                + " [sklearn.preprocessing._discretization.KBinsDiscretizer]"), m);
        assertTrue(m.contains("Pipeline.steps[0] (ColumnTransformer).transformers_[1] (PolynomialFeatures)"), m);
        assertFalse(m.contains("SVC"), "SVC converts since issue 12: " + m);
    }

    @Test
    void pipelineSkipsPassthroughAndKeepsStepOrder() {
        ModelIr ir = IMPORTER.load(fixture("1.9.1", "pipe_imp_ss_lr.joblib"));
        Pipeline p = assertInstanceOf(Pipeline.class, ir.estimator());
        assertEquals(2, p.steps().size());
        assertInstanceOf(Transformer.Impute.class, p.steps().get(0));
        assertInstanceOf(Transformer.Affine.class, p.steps().get(1));
        assertEquals(5, ir.featureCount());
    }

    @Test
    void describeShowsTheEstimatorTree() {
        String d = IMPORTER.describe(fixture("1.9.1", "pipe_df_ss_gb.zlib.joblib"));
        assertTrue(d.startsWith("sklearn.pipeline.Pipeline\n"), d);
        assertTrue(d.contains("zlib compressed"), d);
        assertTrue(d.contains("scikit-learn version: 1.9.1"), d);
        assertTrue(d.contains("input: 5 features: f0, f1, f2, f3, f4"), d);
        assertTrue(d.contains("steps[0] 'scale': StandardScaler → Affine: 5 → 5 columns"), d);
        assertTrue(d.contains("steps[1] 'gb': GradientBoostingClassifier → tree ensemble: 2 trees, max depth 2"), d);
        assertTrue(d.contains("LOGISTIC; 2 classes [0, 1] (probabilities)"), d);

        String svc = IMPORTER.describe(fixture("1.2.1", "pipe_imp_ss_lr.p2.pkl"));
        assertTrue(svc.contains("steps[1] 'skip': passthrough"), svc);
        assertTrue(svc.contains("LogisticRegression → LinearModel: 5 → 3 columns, SOFTMAX"), svc);
    }
}
