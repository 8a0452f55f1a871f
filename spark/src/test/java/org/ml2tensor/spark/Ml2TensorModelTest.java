package org.ml2tensor.spark;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkException;
import org.apache.spark.TaskContext;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ml2tensor.runtime.Matrix;
import org.ml2tensor.runtime.Predictions;

/**
 * Real Spark in {@code local[2,2]} (two task slots, a failed task is tried once more) scoring the
 * committed scikit-learn and XGBoost fixtures. The oracle is a {@code Predictor} over the same model
 * compiled with the default options on the same float32 rows, i.e. what {@code ml2tensor predict}
 * computes: labels must be equal and every probability / prediction bit-identical (the same graph
 * runs per row; tolerance 0).
 */
class Ml2TensorModelTest {
    static SparkSession spark;

    static final Path IRIS = Fixtures.SKLEARN.resolve("random_forest_classifier_strings__skl1.9.1");
    static final Path LINEAR = Fixtures.SKLEARN.resolve("linear_regression__skl1.9.1");
    static final Path PIPELINE = Fixtures.SKLEARN.resolve("pipeline_scaler_pca_random_forest__skl1.9.1");
    static final Path HGB_NAN = Fixtures.SKLEARN.resolve("hist_gradient_boosting_classifier_binary_nan__skl1.9.1");

    @BeforeAll
    static void start() {
        spark = SparkSession.builder()
                .master("local[2,2]")
                .appName("ml2tensor-spark-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.plugins", Ml2TensorPlugin.class.getName())
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
        assertEquals(0, Ml2TensorExecutors.openPredictors(), "the plugin closes every predictor when the executor stops");
    }

    /** Collects {@code df} ordered by its {@code id} column (sorted here: no Spark sort, no shuffle). */
    static List<Row> sorted(Dataset<Row> df) {
        return byId(df.collectAsList());
    }

    /** {@code rows} ordered by their int column {@code id}. */
    static List<Row> byId(List<Row> rows) {
        List<Row> out = new java.util.ArrayList<>(rows);
        out.sort(java.util.Comparator.comparingInt(r -> r.<Integer>getAs("id")));
        return out;
    }

    static void assertMatches(Predictions expected, List<Row> rows, String labelCol, String probaCol) {
        assertEquals(expected.rows(), rows.size());
        Matrix proba = expected.probabilities();
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            assertEquals(r, row.<Integer>getAs("id"));
            assertEquals(expected.labels().labelText(r), String.valueOf(row.<Object>getAs(labelCol)), "label of row " + r);
            double[] actual = probabilities(row.getAs(probaCol));
            for (int c = 0; c < proba.width(); c++) {
                assertEquals(proba.getDouble(r, c), actual[c], 0.0, "probability " + c + " of row " + r);
            }
        }
    }

    static double[] probabilities(Object value) {
        if (value instanceof Vector v) {
            return v.toArray();
        }
        scala.collection.Seq<?> seq = (scala.collection.Seq<?>) value;
        double[] out = new double[seq.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (Double) seq.apply(i);
        }
        return out;
    }

    @Test
    void treeModelWithStringLabelsMatchesPredictor() {
        Fixtures.Table table = Fixtures.csv(IRIS.resolve("input.csv"));
        Ml2TensorModel model = new Ml2TensorModel().setModelPath(IRIS.resolve("model.pkl").toString()).setBatchSize(16);
        Dataset<Row> scored = model.transform(table.frame(spark, 3));

        StructType schema = scored.schema();
        assertEquals(DataTypes.StringType, schema.apply("label").dataType());
        assertEquals(DataTypes.createArrayType(DataTypes.DoubleType, false), schema.apply("probabilities").dataType());
        assertMatches(Fixtures.predict(IRIS.resolve("model.pkl"), table.floats()), sorted(scored), "label", "probabilities");
    }

    @Test
    void linearRegressionMatchesPredictor() {
        Fixtures.Table table = Fixtures.csv(LINEAR.resolve("input.csv"));
        Dataset<Row> scored = new Ml2TensorModel().setModelPath(LINEAR.resolve("model.joblib").toString())
                .setInputCols(table.columns().toArray(new String[0])).setOutputPrefix("lr_").transform(table.frame(spark, 2));
        assertEquals(DataTypes.DoubleType, scored.schema().apply("lr_prediction").dataType());
        Predictions expected = Fixtures.predict(LINEAR.resolve("model.joblib"), table.floats());
        List<Row> rows = sorted(scored);
        for (int r = 0; r < rows.size(); r++) {
            assertEquals(expected.values().getDouble(r, 0), rows.get(r).<Double>getAs("lr_prediction"), 0.0, "row " + r);
        }
    }

    @Test
    void sklearnPipelineWithVectorOutputMatchesPredictor() {
        Fixtures.Table table = Fixtures.csv(PIPELINE.resolve("input.csv"));
        Ml2TensorModel model = new Ml2TensorModel().setModelPath(PIPELINE.resolve("model.joblib").toString())
                .setInputCols(table.columns().toArray(new String[0])).setOutputCols("class", "proba").setVectorType("vector");
        Dataset<Row> scored = model.transform(table.frame(spark, 2));
        assertEquals(DataTypes.LongType, scored.schema().apply("class").dataType());
        assertInstanceOf(Vector.class, scored.first().getAs("proba"));
        assertMatches(Fixtures.predict(PIPELINE.resolve("model.joblib"), table.floats()), sorted(scored), "class", "proba");
    }

    @Test
    void onnxBytesAndXgboostAndLightgbmSourcesAreAccepted() throws Exception {
        Path xgb = Fixtures.XGBOOST.resolve("feature_names.json");
        Ml2TensorModel fromSource = new Ml2TensorModel().setModelBytes(Files.readAllBytes(xgb));
        Ml2TensorModel fromOnnx = new Ml2TensorModel().setModelBytes(fromSource.onnxBytes());
        Fixtures.Table table = Fixtures.csv(Fixtures.XGBOOST.resolve("feature_names.rows.csv"), fromOnnx.signature().featureNames());
        Predictions expected = Fixtures.predict(xgb, table.floats());
        for (Ml2TensorModel m : List.of(fromSource, fromOnnx)) {
            List<Row> rows = sorted(m.transform(table.frame(spark, 2)));
            assertEquals(table.rows().length, rows.size());
            for (int r = 0; r < rows.size(); r++) {
                double[] p = probabilities(rows.get(r).getAs("probabilities"));
                assertEquals(expected.probabilities().getDouble(r, 1), p[1], 0.0, "row " + r + " (NaN rows included)");
            }
        }

        Path lgbm = Fixtures.ROOT.resolve("importers/src/test/resources/lightgbm/binary.txt");
        Ml2TensorModel lightgbm = new Ml2TensorModel().setModelPath(lgbm.toString());
        Fixtures.Table rowsLgbm = Fixtures.csv(Fixtures.ROOT.resolve("importers/src/test/resources/lightgbm/binary.rows.csv"),
                lightgbm.signature().featureNames());
        // LightGBM compares float64 features (the precision model): the reference reads the same doubles as Spark.
        assertMatches(Fixtures.predict(lgbm, rowsLgbm.rows()), sorted(lightgbm.transform(rowsLgbm.frame(spark, 2))),
                "label", "probabilities");
    }

    @Test
    void pipelineSaveLoadRoundTrip(@TempDir Path dir) throws Exception {
        Fixtures.Table table = Fixtures.csv(IRIS.resolve("input.csv"));
        Dataset<Row> df = table.frame(spark, 2);
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
                new Ml2TensorModel().setModelPath(IRIS.resolve("model.pkl").toString()).setOutputPrefix("iris_").setBatchSize(7),
                new SQLTransformer().setStatement("SELECT *, upper(iris_label) AS shout FROM __THIS__")});
        PipelineModel fitted = pipeline.fit(df);
        List<Row> before = sorted(fitted.transform(df));
        String path = dir.resolve("pipeline").toString();
        fitted.write().save(path);
        assertTrue(Files.size(dir.resolve("pipeline/stages")
                .resolve(Files.list(dir.resolve("pipeline/stages")).filter(p -> p.getFileName().toString().startsWith("0_"))
                        .findFirst().orElseThrow().getFileName()).resolve("data/model.onnx")) > 1000, "the .onnx bytes are saved in the pipeline folder");

        PipelineModel loaded = PipelineModel.load(path);
        Ml2TensorModel stage = (Ml2TensorModel) loaded.stages()[0];
        assertEquals(7, (Integer) stage.getOrDefault(stage.batchSize()));
        assertEquals("iris_", stage.getOrDefault(stage.outputPrefix()));
        List<Row> after = sorted(loaded.transform(df));
        assertEquals(before, after);
        assertEquals("VERSICOLOR", after.get(0).getAs("shout"));

        Ml2TensorModel single = (Ml2TensorModel) fitted.stages()[0];
        single.write().save(dir.resolve("single").toString());
        assertEquals(before.get(3).<Object>getAs("iris_label"),
                sorted(Ml2TensorModel.load(dir.resolve("single").toString()).transform(df)).get(3).getAs("iris_label"));
    }

    @Test
    void sqlFunction() {
        Fixtures.Table table = Fixtures.csv(IRIS.resolve("input.csv"));
        table.frame(spark, 2).createOrReplaceTempView("flowers");
        ModelSignature sig = Ml2Tensor.register(spark, "iris", IRIS.resolve("model.pkl").toString());
        assertEquals("struct<label:string,probabilities:array<double>>", Ml2Tensor.returnType(sig).simpleString());
        List<Row> rows = byId(spark.sql("SELECT id, iris(struct(*)) AS r FROM flowers").collectAsList());
        Predictions expected = Fixtures.predict(IRIS.resolve("model.pkl"), table.floats());
        for (int r = 0; r < rows.size(); r++) {
            Row out = rows.get(r).getStruct(1);
            assertEquals(expected.labels().labelText(r), out.getString(0), "row " + r);
            assertEquals(expected.probabilities().getDouble(r, 2), probabilities(out.get(1))[2], 0.0, "row " + r);
        }
        assertEquals(table.rows().length, rows.size());
    }

    /**
     * A cached DataFrame and a Parquet file read as Spark's columnar batches (the default, {@code
     * spark.ml2tensor.columnar=true}: no row conversion) give the same outputs as the row path
     * ({@code false}) and as {@code Predictor},
     * bit for bit, with batches smaller than Spark's column batches so that a batch of columns is
     * scored in several calls.
     */
    @Test
    void cachedAndParquetInputsAreScoredFromColumnarBatches(@TempDir Path dir) {
        Fixtures.Table table = Fixtures.csv(IRIS.resolve("input.csv"));
        Predictions expected = Fixtures.predict(IRIS.resolve("model.pkl"), table.floats());
        Ml2TensorModel model = new Ml2TensorModel().setModelPath(IRIS.resolve("model.pkl").toString()).setBatchSize(7);
        Dataset<Row> cached = table.frame(spark, 2).cache();
        String parquet = dir.resolve("iris.parquet").toString();
        table.frame(spark, 3).write().parquet(parquet);
        Dataset<Row> fromParquet = spark.read().parquet(parquet);
        try {
            for (Dataset<Row> df : List.of(cached, fromParquet)) {
                assertTrue(InternalFrames.columnarBatches(df).isPresent(), "columnar scan expected: " + df.queryExecution().executedPlan());
                spark.conf().set(Ml2TensorModel.COLUMNAR_CONF, "false");
                List<Row> rows;
                try {
                    rows = sorted(model.transform(df));
                } finally {
                    spark.conf().unset(Ml2TensorModel.COLUMNAR_CONF);
                }
                assertMatches(expected, rows, "label", "probabilities");
                assertEquals(rows, sorted(model.transform(df)), "the columnar path (the default) gives the same rows");
            }
            // anything between the scan and the transformer (here a filter) is read as rows
            assertTrue(InternalFrames.columnarBatches(cached.filter("id > 3")).isEmpty());
            assertEquals(table.rows().length - 4, model.transform(cached.filter("id > 3")).count());
        } finally {
            cached.unpersist();
        }
    }

    /** Each {@code handleInvalid} policy on columnar input (a cached frame with a null feature). */
    @Test
    void handleInvalidOnColumnarInput() {
        Fixtures.Table table = Fixtures.csv(LINEAR.resolve("input.csv"));
        Predictions expected = Fixtures.predict(LINEAR.resolve("model.joblib"), table.floats());
        table.frame(spark, 1).createOrReplaceTempView("linear_src");
        Dataset<Row> dirty = spark.sql("SELECT id, f0, CASE WHEN id = 5 THEN NULL ELSE f1 END AS f1, f2, f3, f4, f5 FROM linear_src").cache();
        spark.conf().set(Ml2TensorModel.COLUMNAR_CONF, "true");
        try {
            assertTrue(InternalFrames.columnarBatches(dirty).isPresent());
            Ml2TensorModel model = new Ml2TensorModel().setModelPath(LINEAR.resolve("model.joblib").toString()).setInputCols(F);
            SparkException e = assertThrows(SparkException.class, () -> model.transform(dirty).collectAsList());
            String message = String.valueOf(e.getMessage()) + rootMessage(e);
            assertTrue(message.contains("partition 0, row 5 of the partition") && message.contains("'f1'") && message.contains("is null"), message);

            List<Row> skipped = sorted(model.setHandleInvalid("skip").transform(dirty));
            assertEquals(table.rows().length - 1, skipped.size());
            for (Row r : skipped) {
                assertEquals(expected.values().getDouble(r.<Integer>getAs("id"), 0), r.<Double>getAs("prediction"), 0.0);
            }
            List<Row> kept = sorted(model.setHandleInvalid("keep").transform(dirty));
            assertEquals(table.rows().length, kept.size());
            assertNull(kept.get(5).getAs("prediction"));
            assertEquals(expected.values().getDouble(6, 0), kept.get(6).<Double>getAs("prediction"), 0.0);
            assertEquals(expected.values().getDouble(4, 0), kept.get(4).<Double>getAs("prediction"), 0.0);
        } finally {
            spark.conf().unset(Ml2TensorModel.COLUMNAR_CONF);
            dirty.unpersist();
        }
    }

    static final Path STRINGS = Fixtures.ROOT.resolve("conformance-tests/src/test/resources/fixtures/pipelines/ct_ohe_scaler_logreg__skl1.9.1");

    /**
     * A DataFrame pipeline with string columns — ColumnTransformer selecting columns by name:
     * imputer + OneHotEncoder(handle_unknown='ignore') on {@code city}/{@code color}, imputer + scaler on
     * {@code age}/{@code income}, passthrough {@code kids} → LogisticRegression — scored through the
     * Transformer and the SQL function from Spark {@code string}, {@code int} and {@code double} columns
     * (in another order than at fit; unseen categories and nulls included), against scikit-learn's own
     * outputs ({@code expected.csv}): labels equal, probabilities within 1e-9 absolute (the model
     * computes in float64 under the precision model; measured differences are of the order of 1 ulp).
     */
    @Test
    void stringColumnPipelineMatchesScikitLearn() throws Exception {
        List<String> lines = Files.readAllLines(STRINGS.resolve("input.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        assertEquals(List.of("kids", "income", "age", "color", "city"), header);
        List<Row> data = new java.util.ArrayList<>();
        for (int r = 1; r < lines.size(); r++) {
            String[] c = lines.get(r).split(",", -1);
            data.add(org.apache.spark.sql.RowFactory.create(r - 1, c[0].isEmpty() ? null : Integer.valueOf(c[0]),
                    c[1].isEmpty() ? null : Double.valueOf(c[1]), c[2].isEmpty() ? null : Double.valueOf(c[2]),
                    c[3].isEmpty() ? null : c[3], c[4].isEmpty() ? null : c[4]));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType, false).add("kids", DataTypes.IntegerType)
                .add("income", DataTypes.DoubleType).add("age", DataTypes.DoubleType)
                .add("color", DataTypes.StringType).add("city", DataTypes.StringType);
        Dataset<Row> df = spark.createDataFrame(org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(data, 2), schema);
        assertTrue(df.filter("city IS NULL OR age IS NULL OR color IS NULL").count() > 0, "the fixture has missing cells");
        List<String> expected = Files.readAllLines(STRINGS.resolve("expected.csv"));
        assertEquals("label,proba_0,proba_1,proba_2", expected.get(0));

        Ml2TensorModel model = new Ml2TensorModel().setModelPath(STRINGS.resolve("model.pkl").toString())
                .setHandleInvalid("keep").setBatchSize(16);
        assertTrue(model.signature().hasStringColumns());
        List<Row> scored = sorted(model.transform(df));
        df.createOrReplaceTempView("customers");
        Ml2Tensor.register(spark, "churn", STRINGS.resolve("model.pkl").toString());
        List<Row> viaSql = byId(spark.sql("SELECT id, churn(struct(*)) AS r FROM customers").collectAsList());
        assertEquals(data.size(), scored.size());
        assertEquals(data.size(), viaSql.size());
        for (int r = 0; r < data.size(); r++) {
            String[] e = expected.get(r + 1).split(",");
            Row t = scored.get(r);
            Row q = viaSql.get(r).getStruct(1);
            assertEquals(r, t.<Integer>getAs("id"));
            assertEquals(Long.parseLong(e[0]), t.<Long>getAs("label"), "label of row " + r);
            assertEquals(Long.parseLong(e[0]), q.<Long>getAs("label"), "SQL label of row " + r);
            double[] p = probabilities(t.getAs("probabilities"));
            double[] pq = probabilities(q.getAs("probabilities"));
            for (int c = 0; c < 3; c++) {
                assertEquals(Double.parseDouble(e[c + 1]), p[c], 1e-9, "probability " + c + " of row " + r);
                // one row per call (SQL) vs 16 (Transformer): the batched MatMul may differ in the last bit
                assertEquals(Double.parseDouble(e[c + 1]), pq[c], 1e-9, "SQL probability " + c + " of row " + r);
            }
        }

        // a string feature given a numeric column is refused up front, naming the column
        Exception wrongType = assertThrows(Exception.class, () -> model.transform(df.withColumn("city", col("kids"))));
        assertTrue(wrongType.getMessage().contains("'city'") && wrongType.getMessage().contains("string"), wrongType.getMessage());
    }

    /** Linear regression (no missing values accepted) with one null and one non-numeric string. */
    private Dataset<Row> dirtyLinearData() {
        Fixtures.Table table = Fixtures.csv(LINEAR.resolve("input.csv"));
        Dataset<Row> df = table.frame(spark, 1).withColumn("f2", col("f2").cast("string"));
        df.createOrReplaceTempView("dirty_src");
        return spark.sql("SELECT id, f0, CASE WHEN id = 5 THEN NULL ELSE f1 END AS f1, "
                + "CASE WHEN id = 9 THEN 'abc' ELSE f2 END AS f2, f3, f4, f5 FROM dirty_src");
    }

    static final String[] F = {"f0", "f1", "f2", "f3", "f4", "f5"};

    @Test
    void handleInvalidError() {
        Ml2TensorModel model = new Ml2TensorModel().setModelPath(LINEAR.resolve("model.joblib").toString()).setInputCols(F);
        SparkException e = assertThrows(SparkException.class, () -> model.transform(dirtyLinearData()).collectAsList());
        String message = String.valueOf(e.getMessage()) + rootMessage(e);
        assertTrue(message.contains("partition 0, row 5 of the partition") && message.contains("'f1'") && message.contains("is null"), message);
    }

    @Test
    void handleInvalidSkipAndKeep() {
        Fixtures.Table table = Fixtures.csv(LINEAR.resolve("input.csv"));
        Predictions expected = Fixtures.predict(LINEAR.resolve("model.joblib"), table.floats());
        Ml2TensorModel model = new Ml2TensorModel().setModelPath(LINEAR.resolve("model.joblib").toString()).setInputCols(F);

        List<Row> skipped = sorted(model.setHandleInvalid("skip").transform(dirtyLinearData()));
        assertEquals(table.rows().length - 2, skipped.size());
        assertTrue(skipped.stream().noneMatch(r -> r.<Integer>getAs("id") == 5 || r.<Integer>getAs("id") == 9));
        for (Row r : skipped) {
            assertEquals(expected.values().getDouble(r.<Integer>getAs("id"), 0), r.<Double>getAs("prediction"), 0.0);
        }

        List<Row> kept = sorted(model.setHandleInvalid("keep").transform(dirtyLinearData()));
        assertEquals(table.rows().length, kept.size());
        assertNull(kept.get(5).getAs("prediction"), "a model without missing values leaves a kept bad row unscored");
        assertNull(kept.get(9).getAs("prediction"));
        assertEquals(expected.values().getDouble(6, 0), kept.get(6).<Double>getAs("prediction"), 0.0);
    }

    @Test
    void handleInvalidKeepScoresNaNWhenTheModelAcceptsMissingValues() {
        Fixtures.Table table = Fixtures.csv(HGB_NAN.resolve("input.csv"));
        Dataset<Row> df = table.frame(spark, 2);
        df.createOrReplaceTempView("hgb_src");
        Dataset<Row> dirty = spark.sql("SELECT id, CASE WHEN id = 3 THEN NULL ELSE f0 END AS f0, f1, f2, f3, f4, f5 FROM hgb_src");
        float[][] rows = table.floats();
        rows[3][0] = Float.NaN;
        Predictions expected = Fixtures.predict(HGB_NAN.resolve("model.pkl"), rows);
        List<Row> kept = sorted(new Ml2TensorModel().setModelPath(HGB_NAN.resolve("model.pkl").toString())
                .setInputCols(F).setHandleInvalid("keep").transform(dirty));
        assertEquals(table.rows().length, kept.size());
        assertMatches(expected, kept, "label", "probabilities");
    }

    static final AtomicInteger ROWS_SEEN_IN_FIRST_ATTEMPT = new AtomicInteger();

    @Test
    void failedTaskIsRetriedWithoutLeakingPredictors() {
        Fixtures.Table table = Fixtures.csv(PIPELINE.resolve("input.csv"));
        // model.p5.pkl: the same pipeline pickled with protocol 5, so its ONNX bytes (which record the
        // source file's SHA-256) have their own hash and a predictor no other test opened.
        Ml2TensorModel model = new Ml2TensorModel().setModelPath(PIPELINE.resolve("model.p5.pkl").toString())
                .setInputCols(F).setBatchSize(4);
        int openedBefore = Ml2TensorExecutors.openedTotal();
        spark.udf().register("fail_once", (UDF1<Double, Double>) v -> {
            TaskContext ctx = TaskContext.get();
            if (ctx.attemptNumber() == 0 && ctx.partitionId() == 0 && ROWS_SEEN_IN_FIRST_ATTEMPT.incrementAndGet() > 10) {
                throw new IllegalStateException("injected executor failure after 10 rows");
            }
            return v;
        }, DataTypes.DoubleType);
        table.frame(spark, 2).createOrReplaceTempView("retry_src");
        Dataset<Row> df = spark.sql("SELECT id, fail_once(f0) AS f0, f1, f2, f3, f4, f5 FROM retry_src");
        List<Row> rows = sorted(model.transform(df));

        assertTrue(ROWS_SEEN_IN_FIRST_ATTEMPT.get() > 10, "the first attempt failed mid-partition, after batches were scored");
        assertMatches(Fixtures.predict(PIPELINE.resolve("model.p5.pkl"), table.floats()), rows, "label", "probabilities");
        int opened = Ml2TensorExecutors.openedTotal() - openedBefore;
        assertTrue(opened <= 1, "the retry reuses the executor's predictor instead of opening another: " + opened);
        int closedBefore = Ml2TensorExecutors.closedTotal();
        int open = Ml2TensorExecutors.openPredictors();
        Ml2TensorExecutors.closeAll();
        assertEquals(0, Ml2TensorExecutors.openPredictors());
        assertEquals(open, Ml2TensorExecutors.closedTotal() - closedBefore, "every open session is closed");
        assertEquals(Ml2TensorExecutors.openedTotal(), Ml2TensorExecutors.closedTotal(), "no predictor was ever leaked");
    }

    private static String rootMessage(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(" | ").append(c.getMessage());
        }
        return sb.toString();
    }
}
