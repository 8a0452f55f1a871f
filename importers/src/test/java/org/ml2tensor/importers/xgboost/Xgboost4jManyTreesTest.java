package org.ml2tensor.importers.xgboost;

import java.nio.file.Files;
import java.nio.file.Path;

import ml.dmlc.xgboost4j.java.Booster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ml2tensor.ir.TreeEnsemble;
import org.ml2tensor.importers.Csv;
import org.ml2tensor.importers.Fixtures;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Trains a 3000-tree model with XGBoost4J 3.4.0 (too large to commit as a fixture), saves it as JSON and
 * UBJSON, imports both and compares with XGBoost4J's own margins and probabilities under the float32
 * summation bound described in {@link XgboostFixtureTest}.
 */
class Xgboost4jManyTreesTest {

    @Test
    void threeThousandSmallTreesMatchXgboost4j(@TempDir Path tmp) throws Exception {
        Xgboost4jFixtures.Data data = Xgboost4jFixtures.Data.make(11, false);
        Booster booster = Xgboost4jFixtures.train(data.matrix(data.binary(), false), 3000,
                "objective", "binary:logistic", "max_depth", 3, "eta", 0.02);
        float[][] rows = Xgboost4jFixtures.probeRows(data, booster.toByteArray("json"), false);
        Xgboost4jFixtures.save(tmp, "many", booster, rows, false, "json", "ubj");
        double[][] x = Csv.read(tmp.resolve("many.rows.csv"));
        for (String ext : new String[]{"json", "ubj"}) {
            TreeEnsemble e = (TreeEnsemble) XgboostImporter.load(tmp.resolve("many." + ext)).estimator();
            assertEquals(3000, e.trees().size());
            Fixtures.assertRaw("many." + ext, e, x, Csv.read(tmp.resolve("many.margin.csv")), 1,
                    Fixtures.Tolerance.float32Sum());
            Fixtures.assertPredictions("many." + ext, e, x, Csv.read(tmp.resolve("many.pred.csv")),
                    Fixtures.Tolerance.float32Sum());
        }
        assertEquals(true, Files.size(tmp.resolve("many.json")) > 1_000_000);
    }
}
