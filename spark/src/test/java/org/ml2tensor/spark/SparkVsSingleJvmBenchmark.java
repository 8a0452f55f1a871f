package org.ml2tensor.spark;

import static org.apache.spark.sql.functions.col;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ml2tensor.runtime.Device;
import org.ml2tensor.runtime.NoticeSink;
import org.ml2tensor.runtime.Predictor;
import org.ml2tensor.runtime.PredictorOptions;
import org.ml2tensor.runtime.io.StreamingPredict;

/**
 * The Spark module against the single-JVM streaming predict, in one process, on the same CSV and model
 * and the same number of cores, rounds alternating. Not a test: run by {@code scripts/spark_benchmark.sh}.
 *
 * <ul>
 *   <li>single JVM: what {@code ml2tensor predict MODEL --input X.csv --output Y.csv --device cpu
 *       --threads C} runs — {@code StreamingPredict.predictFile} over one Predictor with C parallel
 *       single-threaded chunks (JVM start and model compilation excluded from both sides);</li>
 *   <li>Spark: {@code local[C]}, {@code spark.read.csv} (C partitions or more) →
 *       {@link Ml2TensorModel#transform} → {@code write.csv} of the label and per-class probability
 *       columns.</li>
 * </ul>
 * Both outputs' label histograms are compared after timing.
 *
 * <p>Arguments: {@code MODEL ROWS CORES ROUNDS WORKDIR}. Prints one {@code RESULT key=value ...} line.
 */
public final class SparkVsSingleJvmBenchmark {
    private SparkVsSingleJvmBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        long rows = Long.parseLong(args[1]);
        int cores = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        Path work = Path.of(args[4]);
        Files.createDirectories(work);

        ResolvedModel resolved = ResolvedModel.fromBytes(Files.readAllBytes(model), model.toString());
        ModelSignature sig = resolved.signature();
        List<String> names = new ArrayList<>(sig.featureNames());
        for (int i = names.size(); i < sig.featureCount(); i++) {
            names.add("f" + i);
        }
        Path csv = work.resolve("input-" + rows + "x" + names.size() + ".csv");
        if (!Files.exists(csv)) {
            writeCsv(csv, names, rows);
        }
        long csvBytes = Files.size(csv);
        System.err.printf(Locale.ROOT, "input %s: %d rows, %.1f MB%n", csv, rows, csvBytes / 1e6);

        SparkSession spark = SparkSession.builder().master("local[" + cores + "]").appName("ml2tensor-spark-benchmark")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.files.maxPartitionBytes", Long.toString(Math.max(1 << 20, csvBytes / (cores * 4L) + 1)))
                .getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        StructType schema = new StructType();
        for (String n : names) {
            schema = schema.add(new StructField(n, DataTypes.DoubleType, true, org.apache.spark.sql.types.Metadata.empty()));
        }
        Ml2TensorModel transformer = new Ml2TensorModel().setModelBytes(resolved.onnx()).setInputCols(names.toArray(new String[0]));
        PredictorOptions single = PredictorOptions.builder().device(Device.CPU).parallelRuns(cores).intraOpThreads(1)
                .noticeSink(NoticeSink.SILENT).build();

        double bestSingle = Double.MAX_VALUE;
        double bestSpark = Double.MAX_VALUE;
        double bestIo = Double.MAX_VALUE;
        List<String> log = new ArrayList<>();
        Path singleOut = work.resolve("single-out.csv");
        Path sparkOut = work.resolve("spark-out");
        for (int round = 0; round < rounds; round++) {
            long t0 = System.nanoTime();
            try (Predictor p = Predictor.open(resolved.onnx(), model.toString(), single)) {
                StreamingPredict.predictFile(p, csv, singleOut, StreamingPredict.Options.defaults().withCheckColumnNames(false));
            }
            double s = (System.nanoTime() - t0) / 1e9;
            bestSingle = Math.min(bestSingle, s);

            t0 = System.nanoTime();
            Dataset<Row> scored = transformer.transform(spark.read().option("header", "true").schema(schema).csv(csv.toString()));
            List<Column> out = new ArrayList<>();
            out.add(col(sig.outputs().get(0).columnName()));
            int classes = sig.outputs().size() > 1 ? width(resolved) : 0;
            for (int c = 0; c < classes; c++) {
                out.add(col(sig.outputs().get(1).columnName()).getItem(c).as("proba_" + c));
            }
            scored.select(out.toArray(new Column[0])).write().mode("overwrite").option("header", "true").csv(sparkOut.toString());
            double k = (System.nanoTime() - t0) / 1e9;
            bestSpark = Math.min(bestSpark, k);

            // Spark's own CSV read + write of as many columns, without scoring: the floor of the Spark path.
            t0 = System.nanoTime();
            Dataset<Row> in = spark.read().option("header", "true").schema(schema).csv(csv.toString());
            List<Column> copy = new ArrayList<>();
            for (int c = 0; c < out.size(); c++) {
                copy.add(col(names.get(c % names.size())).as("c" + c));
            }
            in.select(copy.toArray(new Column[0])).write().mode("overwrite").option("header", "true").csv(work.resolve("spark-io").toString());
            double io = (System.nanoTime() - t0) / 1e9;
            bestIo = Math.min(bestIo, io);
            log.add(String.format(Locale.ROOT, "round %d: single %.2f s, spark %.2f s, spark csv copy without scoring %.2f s", round + 1, s, k, io));
            System.err.println(log.get(log.size() - 1));
        }
        // Scoring alone, data already in memory: a float[] for the single JVM, a cached DataFrame for
        // Spark (written to Spark's no-op sink), so only the module's own overhead is compared.
        float[] data = gaussian(rows, names.size());
        Dataset<Row> cached = spark.read().option("header", "true").schema(schema).csv(csv.toString()).cache();
        cached.count();
        double bestSingleMem = Double.MAX_VALUE;
        double bestSparkMem = Double.MAX_VALUE;
        for (int round = 0; round < rounds; round++) {
            long t0 = System.nanoTime();
            try (Predictor p = Predictor.open(resolved.onnx(), model.toString(), single)) {
                int chunk = 1 << 20;
                for (long from = 0; from < rows; from += chunk) {
                    int n = (int) Math.min(chunk, rows - from);
                    p.predict(java.nio.FloatBuffer.wrap(data, (int) (from * names.size()), n * names.size()), n);
                }
            }
            double s = (System.nanoTime() - t0) / 1e9;
            bestSingleMem = Math.min(bestSingleMem, s);
            t0 = System.nanoTime();
            transformer.transform(cached).write().format("noop").mode("overwrite").save();
            double k = (System.nanoTime() - t0) / 1e9;
            bestSparkMem = Math.min(bestSparkMem, k);
            System.err.println(String.format(Locale.ROOT, "in memory, round %d: single %.2f s, spark %.2f s", round + 1, s, k));
        }
        cached.unpersist();

        Map<String, Long> singleLabels = labels(Stream.of(singleOut));
        Map<String, Long> sparkLabels;
        try (Stream<Path> parts = Files.list(sparkOut)) {
            sparkLabels = labels(parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted());
        }
        spark.stop();
        Ml2TensorExecutors.closeAll();
        boolean same = singleLabels.equals(sparkLabels);
        System.out.printf(Locale.ROOT,
                "RESULT model=%s rows=%d features=%d cores=%d rounds=%d csv_mb=%.1f single_s=%.3f spark_s=%.3f spark_io_s=%.3f single_mem_s=%.3f spark_mem_s=%.3f "
                        + "single_rows_per_s=%.0f spark_rows_per_s=%.0f spark_vs_single=%.3f labels_equal=%s label_histogram=%s%n",
                model, rows, names.size(), cores, rounds, csvBytes / 1e6, bestSingle, bestSpark, bestIo, bestSingleMem, bestSparkMem, rows / bestSingle, rows / bestSpark,
                bestSingle / bestSpark, same, singleLabels.toString().replace(' ', '_'));
        if (!same) {
            System.err.println("label histograms differ: single " + singleLabels + ", spark " + sparkLabels);
            System.exit(12);
        }
    }

    private static int width(ResolvedModel model) {
        PredictorOptions o = PredictorOptions.builder().device(Device.CPU).noticeSink(NoticeSink.SILENT).build();
        try (Predictor p = Predictor.open(model.onnx(), o)) {
            return p.predict(new float[1][model.signature().featureCount()]).probabilities().width();
        }
    }

    private static final long SEED = 20261130L;

    /** The same values as {@link #writeCsv} writes, in memory. */
    private static float[] gaussian(long rows, int width) {
        Random random = new Random(SEED);
        float[] out = new float[Math.toIntExact(rows * width)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (random.nextGaussian() * 1.5);
        }
        return out;
    }

    /** Rows of normal features (deterministic), as shortest float32 decimals. */
    private static void writeCsv(Path csv, List<String> names, long rows) throws IOException {
        Path tmp = csv.resolveSibling(csv.getFileName() + ".tmp");
        Random random = new Random(SEED);
        try (BufferedWriter w = Files.newBufferedWriter(tmp)) {
            w.write(String.join(",", names));
            w.newLine();
            StringBuilder sb = new StringBuilder();
            for (long r = 0; r < rows; r++) {
                sb.setLength(0);
                for (int c = 0; c < names.size(); c++) {
                    if (c > 0) {
                        sb.append(',');
                    }
                    sb.append((float) (random.nextGaussian() * 1.5));
                }
                w.write(sb.toString());
                w.newLine();
            }
        }
        Files.move(tmp, csv, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Histogram of the first column over CSV files with a header row. */
    private static Map<String, Long> labels(Stream<Path> files) throws IOException {
        Map<String, Long> counts = new TreeMap<>();
        for (Path f : (Iterable<Path>) files::iterator) {
            try (BufferedReader r = Files.newBufferedReader(f)) {
                String line = r.readLine();
                while ((line = r.readLine()) != null) {
                    int comma = line.indexOf(',');
                    counts.merge(comma < 0 ? line : line.substring(0, comma), 1L, Long::sum);
                }
            }
        }
        return counts;
    }
}
