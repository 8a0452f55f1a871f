package org.ml2tensor.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.importers.ModelFormat;
import org.ml2tensor.importers.ModelImporter;
import org.ml2tensor.runtime.Device;
import org.ml2tensor.runtime.NoticeSink;
import org.ml2tensor.runtime.Predictions;
import org.ml2tensor.runtime.Predictor;
import org.ml2tensor.runtime.PredictorOptions;

/** The committed fixtures (real scikit-learn / XGBoost models and their input rows) as Spark data. */
final class Fixtures {
    static final Path ROOT = Path.of("..");
    static final Path SKLEARN = ROOT.resolve("conformance-tests/src/test/resources/fixtures/sklearn");
    static final Path XGBOOST = ROOT.resolve("importers/src/test/resources/xgboost");

    private Fixtures() {
    }

    /** A CSV with a header of feature names: the names and the rows (nan/NaN/empty → NaN). */
    record Table(List<String> columns, double[][] rows) {
        float[][] floats() {
            float[][] out = new float[rows.length][];
            for (int r = 0; r < rows.length; r++) {
                out[r] = new float[rows[r].length];
                for (int c = 0; c < rows[r].length; c++) {
                    out[r][c] = (float) rows[r][c];
                }
            }
            return out;
        }

        /**
         * A DataFrame with an {@code id} column (the row number) then the features as doubles, in
         * {@code partitions} partitions of consecutive rows (parallelized, no shuffle).
         */
        Dataset<Row> frame(SparkSession spark, int partitions) {
            List<StructField> fields = new ArrayList<>();
            fields.add(DataTypes.createStructField("id", DataTypes.IntegerType, false));
            for (String c : columns) {
                fields.add(DataTypes.createStructField(c, DataTypes.DoubleType, true));
            }
            List<Row> data = new ArrayList<>();
            for (int r = 0; r < rows.length; r++) {
                Object[] values = new Object[columns.size() + 1];
                values[0] = r;
                for (int c = 0; c < columns.size(); c++) {
                    values[c + 1] = rows[r][c];
                }
                data.add(RowFactory.create(values));
            }
            return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(data, partitions),
                    DataTypes.createStructType(fields));
        }
    }

    static Table csv(Path file) {
        return csv(file, null);
    }

    /** A CSV without a header row; the columns get {@code names}. */
    static Table csv(Path file, List<String> names) {
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(file));
            if (names == null) {
                names = List.of(lines.remove(0).split(","));
            }
            List<String> header = names;
            List<double[]> rows = new ArrayList<>();
            for (String line : lines) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                double[] row = new double[cells.length];
                for (int c = 0; c < cells.length; c++) {
                    String s = cells[c].trim();
                    row[c] = switch (s.toLowerCase(java.util.Locale.ROOT)) {
                        case "", "nan" -> Double.NaN;
                        case "inf", "+inf", "infinity" -> Double.POSITIVE_INFINITY;
                        case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
                        default -> Double.parseDouble(s);
                    };
                }
                rows.add(row);
            }
            return new Table(header, rows.toArray(new double[0][]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What {@code ml2tensor predict} computes: the model compiled with the default options, run by a CPU Predictor. */
    /** Predictions of {@code model} on rows given as doubles (what a float64-input model reads exactly). */
    static Predictions predict(Path model, double[][] rows) {
        byte[] onnx = ModelCompiler.compile(ModelImporter.load(model, ModelFormat.AUTO), CompileOptions.defaults()).onnx();
        PredictorOptions options = PredictorOptions.builder().device(Device.CPU).noticeSink(NoticeSink.SILENT).build();
        try (Predictor p = Predictor.open(onnx, options)) {
            return p.predict(rows);
        }
    }

    static Predictions predict(Path model, float[][] rows) {
        byte[] onnx = ModelCompiler.compile(ModelImporter.load(model, ModelFormat.AUTO), CompileOptions.defaults()).onnx();
        PredictorOptions options = PredictorOptions.builder().device(Device.CPU).noticeSink(NoticeSink.SILENT).build();
        try (Predictor p = Predictor.open(onnx, options)) {
            return p.predict(rows);
        }
    }
}
