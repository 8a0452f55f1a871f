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
import org.ml2tensor.runtime.Predictions;
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
 * <p>First scoring in memory (the same rows already in memory on both sides: a {@code float[]} given to
 * {@code Predictor.predict}, vs a cached DataFrame read from the CSV, through the transformer into
 * Spark's no-op sink, by the columnar path and by the row path; and the cached DataFrame's scan alone),
 * rounds interleaved; then CSV in and out.
 *
 * <p>Then binary files in and out: a float32 {@code .npy} to {@code .npy} through {@code StreamingPredict} (what
 * {@code ml2tensor predict X.npy -o Y.npy} runs) vs Parquet to Parquet through the transformer (and Spark's
 * Parquet read + write alone).
 *
 * <p>Arguments: {@code MODEL ROWS CORES ROUNDS WORKDIR [CSV_ROUNDS [BINARY_ROUNDS]]}. Prints one {@code RESULT key=value ...}
 * line with every round's seconds per path.
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
        int csvRounds = args.length > 5 ? Integer.parseInt(args[5]) : 1;
        int binaryRounds = args.length > 6 ? Integer.parseInt(args[6]) : csvRounds;
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

        // 1. Scoring in memory (the target): the same rows, already in memory on both sides —
        // a float[] given to Predictor.predict in 1M-row calls, vs a cached DataFrame of the same CSV
        // through Ml2TensorModel.transform into Spark's no-op sink — rounds interleaved.
        float[] data = gaussian(rows, names.size());
        Dataset<Row> cached = spark.read().option("header", "true").schema(schema).csv(csv.toString()).cache();
        cached.count();
        List<Double> singleMem = new ArrayList<>();
        List<Double> sparkMem = new ArrayList<>();
        List<Double> sparkRowsMem = new ArrayList<>();
        List<Double> floorMem = new ArrayList<>();
        // CPU seconds of the whole JVM per path: on a shared machine the wall clock mostly measures
        // the wait for a core, the CPU time what the path costs.
        List<Double> singleCpu = new ArrayList<>();
        List<Double> sparkCpu = new ArrayList<>();
        List<Double> sparkRowsCpu = new ArrayList<>();
        List<Double> floorCpu = new ArrayList<>();
        Map<String, Long> singleMemLabels = new TreeMap<>();
        for (int round = 0; round < rounds; round++) {
            long t0 = System.nanoTime();
            long c0 = cpu();
            try (Predictor p = Predictor.open(resolved.onnx(), model.toString(), single)) {
                int chunk = 1 << 20;
                for (long from = 0; from < rows; from += chunk) {
                    int n = (int) Math.min(chunk, rows - from);
                    Predictions out = p.predict(java.nio.FloatBuffer.wrap(data, (int) (from * names.size()), n * names.size()), n);
                    if (round == 0) {
                        for (int r = 0; r < n; r++) {
                            singleMemLabels.merge(out.labels().labelText(r), 1L, Long::sum);
                        }
                    }
                }
            }
            singleMem.add(seconds(t0));
            singleCpu.add(cpuSeconds(c0));
            t0 = System.nanoTime();
            c0 = cpu();
            spark.conf().set(Ml2TensorModel.COLUMNAR_CONF, "true");
            transformer.transform(cached).write().format("noop").mode("overwrite").save();
            sparkMem.add(seconds(t0));
            sparkCpu.add(cpuSeconds(c0));
            spark.conf().set(Ml2TensorModel.COLUMNAR_CONF, "false");
            t0 = System.nanoTime();
            c0 = cpu();
            transformer.transform(cached).write().format("noop").mode("overwrite").save();
            sparkRowsMem.add(seconds(t0));
            sparkRowsCpu.add(cpuSeconds(c0));
            spark.conf().unset(Ml2TensorModel.COLUMNAR_CONF);
            t0 = System.nanoTime();
            c0 = cpu();
            cached.write().format("noop").mode("overwrite").save();
            floorMem.add(seconds(t0));
            floorCpu.add(cpuSeconds(c0));
            System.err.printf(Locale.ROOT, "in memory, round %d: single %.2f s (cpu %.2f), spark columnar %.2f s (cpu %.2f), spark rows %.2f s (cpu %.2f), spark scan alone %.2f s (cpu %.2f) (load %s)%n",
                    round + 1, singleMem.get(round), singleCpu.get(round), sparkMem.get(round), sparkCpu.get(round),
                    sparkRowsMem.get(round), sparkRowsCpu.get(round), floorMem.get(round), floorCpu.get(round), loadAverage());
        }
        Map<String, Long> sparkMemLabels = new TreeMap<>();
        String labelColumn = sig.outputs().get(0).columnName();
        for (Row r : transformer.transform(cached).groupBy(labelColumn).count().collectAsList()) {
            sparkMemLabels.put(String.valueOf(r.get(0)), r.getLong(1));
        }
        cached.unpersist();

        // 2. CSV in, CSV out: what `ml2tensor predict X.csv -o Y.csv` does, vs read.csv → transform → write.csv,
        // and Spark's CSV read + write alone.
        List<Double> singleCsv = new ArrayList<>();
        List<Double> sparkCsv = new ArrayList<>();
        List<Double> ioCsv = new ArrayList<>();
        Path singleOut = work.resolve("single-out.csv");
        Path sparkOut = work.resolve("spark-out");
        for (int round = 0; round < csvRounds; round++) {
            long t0 = System.nanoTime();
            try (Predictor p = Predictor.open(resolved.onnx(), model.toString(), single)) {
                StreamingPredict.predictFile(p, csv, singleOut, StreamingPredict.Options.defaults().withCheckColumnNames(false));
            }
            singleCsv.add(seconds(t0));

            t0 = System.nanoTime();
            Dataset<Row> scored = transformer.transform(spark.read().option("header", "true").schema(schema).csv(csv.toString()));
            List<Column> out = new ArrayList<>();
            out.add(col(labelColumn));
            int classes = sig.outputs().size() > 1 ? width(resolved) : 0;
            for (int c = 0; c < classes; c++) {
                out.add(col(sig.outputs().get(1).columnName()).getItem(c).as("proba_" + c));
            }
            scored.select(out.toArray(new Column[0])).write().mode("overwrite").option("header", "true").csv(sparkOut.toString());
            sparkCsv.add(seconds(t0));

            // Spark's own CSV read + write of as many columns, without scoring: the floor of the Spark path.
            t0 = System.nanoTime();
            Dataset<Row> in = spark.read().option("header", "true").schema(schema).csv(csv.toString());
            List<Column> copy = new ArrayList<>();
            for (int c = 0; c < out.size(); c++) {
                copy.add(col(names.get(c % names.size())).as("c" + c));
            }
            in.select(copy.toArray(new Column[0])).write().mode("overwrite").option("header", "true").csv(work.resolve("spark-io").toString());
            ioCsv.add(seconds(t0));
            System.err.printf(Locale.ROOT, "csv, round %d: single %.2f s, spark %.2f s, spark csv copy without scoring %.2f s (load %s)%n",
                    round + 1, singleCsv.get(round), sparkCsv.get(round), ioCsv.get(round), loadAverage());
        }
        // 3. Binary files in and out, each side's natural columnar format: the single JVM maps a float32
        // .npy (what `ml2tensor predict X.npy -o Y.npy` reads; it reads no Parquet) and writes .npy; Spark
        // reads Parquet (what Spark jobs usually have) and writes Parquet. The same rows on both sides.
        List<Double> singleBin = new ArrayList<>();
        List<Double> sparkBin = new ArrayList<>();
        List<Double> ioBin = new ArrayList<>();
        Map<String, Long> sparkBinLabels = new TreeMap<>();
        long npyBytes = 0;
        long parquetBytes = 0;
        if (binaryRounds > 0) {
            Path npy = work.resolve("input-" + rows + "x" + names.size() + ".npy");
            if (!Files.exists(npy)) {
                try (org.ml2tensor.runtime.io.NpyWriter w = org.ml2tensor.runtime.io.NpyWriter.create(npy, org.ml2tensor.runtime.FloatType.FLOAT32, names.size())) {
                    float[] row = new float[names.size()];
                    for (long r = 0; r < rows; r++) {
                        System.arraycopy(data, (int) (r * names.size()), row, 0, names.size());
                        w.writeRow(row);
                    }
                    w.commit();
                }
            }
            Path parquet = work.resolve("input-" + rows + "x" + names.size() + ".parquet");
            if (!Files.exists(parquet)) {
                spark.read().option("header", "true").schema(schema).csv(csv.toString()).write().parquet(parquet.toString());
            }
            npyBytes = Files.size(npy);
            parquetBytes = folderSize(parquet);
            Path singleBinOut = work.resolve("single-out.npy");
            Path sparkBinOut = work.resolve("spark-out.parquet");
            for (int round = 0; round < binaryRounds; round++) {
                long t0 = System.nanoTime();
                try (Predictor p = Predictor.open(resolved.onnx(), model.toString(), single)) {
                    StreamingPredict.predictFile(p, npy, singleBinOut, StreamingPredict.Options.defaults().withCheckColumnNames(false));
                }
                singleBin.add(seconds(t0));

                t0 = System.nanoTime();
                Dataset<Row> scored = transformer.transform(spark.read().parquet(parquet.toString()));
                List<Column> outs = new ArrayList<>();
                for (OutputColumn o : sig.outputs()) {
                    outs.add(col(o.columnName()));
                }
                scored.select(outs.toArray(new Column[0])).write().mode("overwrite").parquet(sparkBinOut.toString());
                sparkBin.add(seconds(t0));

                t0 = System.nanoTime();
                Dataset<Row> in = spark.read().parquet(parquet.toString());
                List<Column> copy = new ArrayList<>();
                for (int c = 0; c < outs.size(); c++) {
                    copy.add(col(names.get(c % names.size())).as("c" + c));
                }
                in.select(copy.toArray(new Column[0])).write().mode("overwrite").parquet(work.resolve("spark-io.parquet").toString());
                ioBin.add(seconds(t0));
                System.err.printf(Locale.ROOT, "binary, round %d: single npy %.2f s, spark parquet %.2f s, spark parquet copy without scoring %.2f s (load %s)%n",
                        round + 1, singleBin.get(round), sparkBin.get(round), ioBin.get(round), loadAverage());
            }
            for (Row r : spark.read().parquet(sparkBinOut.toString()).groupBy(labelColumn).count().collectAsList()) {
                sparkBinLabels.put(String.valueOf(r.get(0)), r.getLong(1));
            }
        }
        boolean same = singleMemLabels.equals(sparkMemLabels) && (binaryRounds == 0 || singleMemLabels.equals(sparkBinLabels));
        if (csvRounds > 0) {
            Map<String, Long> singleLabels = labels(Stream.of(singleOut));
            Map<String, Long> sparkLabels;
            try (Stream<Path> parts = Files.list(sparkOut)) {
                sparkLabels = labels(parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted());
            }
            same &= singleLabels.equals(sparkLabels) && singleLabels.equals(singleMemLabels);
        }
        spark.stop();
        Ml2TensorExecutors.closeAll();
        System.out.printf(Locale.ROOT,
                "RESULT model=%s rows=%d features=%d cores=%d rounds=%d csv_rounds=%d csv_mb=%.1f"
                        + " single_mem=%s spark_mem=%s spark_rows_mem=%s spark_scan_mem=%s"
                        + " single_cpu=%s spark_cpu=%s spark_rows_cpu=%s spark_scan_cpu=%s single_csv=%s spark_csv=%s spark_io_csv=%s"
                        + " single_bin=%s spark_bin=%s spark_io_bin=%s npy_mb=%.1f parquet_mb=%.1f"
                        + " labels_equal=%s label_histogram=%s%n",
                model, rows, names.size(), cores, rounds, csvRounds, csvBytes / 1e6,
                join(singleMem), join(sparkMem), join(sparkRowsMem), join(floorMem),
                join(singleCpu), join(sparkCpu), join(sparkRowsCpu), join(floorCpu), join(singleCsv), join(sparkCsv), join(ioCsv),
                join(singleBin), join(sparkBin), join(ioBin), npyBytes / 1e6, parquetBytes / 1e6,
                same, singleMemLabels.toString().replace(' ', '_'));
        if (!same) {
            System.err.println("label histograms differ: single " + singleMemLabels + ", spark " + sparkMemLabels);
            System.exit(12);
        }
    }

    private static long folderSize(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double cpuSeconds(long c0) {
        return (cpu() - c0) / 1e9;
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String join(List<Double> values) {
        return values.isEmpty() ? "-" : String.join(",", values.stream().map(v -> String.format(Locale.ROOT, "%.3f", v)).toList());
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
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
