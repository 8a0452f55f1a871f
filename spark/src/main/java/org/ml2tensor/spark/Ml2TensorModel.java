package org.ml2tensor.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.runtime.Device;

/**
 * A Spark ML {@link Transformer} that scores a DataFrame with a model compiled by ml2tensor: the
 * ONNX bytes are broadcast once, every executor JVM opens one shared ONNX Runtime session lazily, and
 * each partition is scored in batches. The output is the input with the model's outputs appended:
 * {@code label} ({@code string} or {@code bigint}, as the model's classes), {@code probabilities}
 * and {@code scores} ({@code array<double>} or vectors), {@code prediction} ({@code double}, or an
 * array for several targets).
 *
 * <pre>{@code
 * Ml2TensorModel model = new Ml2TensorModel().setModelPath("hdfs:///models/churn.pkl");
 * Dataset<Row> scored = model.transform(customers);
 * }</pre>
 *
 * <p>Source models (scikit-learn pickles/joblib, XGBoost JSON/UBJSON, LightGBM text) are compiled
 * once on the driver. Saved with {@link #write()} (also inside a saved {@code PipelineModel}), the
 * ONNX bytes are stored in the stage's folder under {@code data/model.onnx}.
 */
public final class Ml2TensorModel extends Transformer implements MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> modelPath;
    private final StringArrayParam inputCols;
    private final StringArrayParam outputCols;
    private final Param<String> outputPrefix;
    private final IntParam batchSize;
    private final Param<String> device;
    private final Param<String> handleInvalid;
    private final Param<String> vectorType;

    /** The resolved model; set by setModelBytes, loaded from modelPath on first use, or read back by load. */
    private transient ResolvedModel resolved;
    private transient Broadcast<byte[]> broadcast;
    private transient SparkContext broadcastContext;

    public Ml2TensorModel() {
        this(Identifiable.randomUID("ml2tensor"));
    }

    public Ml2TensorModel(String uid) {
        this.uid = uid;
        modelPath = new Param<>(this, "modelPath",
                "model file: .onnx compiled by ml2tensor, or a scikit-learn/XGBoost/LightGBM file (any Hadoop file system)");
        inputCols = new StringArrayParam(this, "inputCols", "input columns in the model's feature order (default: the model's feature names)");
        outputCols = new StringArrayParam(this, "outputCols", "output column names in the model's output order (default: the model's names)");
        outputPrefix = new Param<>(this, "outputPrefix", "prefix of every output column name");
        batchSize = new IntParam(this, "batchSize", "rows per ONNX Runtime call (0: the model's cache-sized hint)");
        device = new Param<>(this, "device", "where executors run the model: auto (CUDA if usable, else CPU), cpu or cuda");
        handleInvalid = new Param<>(this, "handleInvalid",
                "null or non-numeric features (and NaN for models without missing values): error, skip or keep");
        vectorType = new Param<>(this, "vectorType", "multi-value outputs (probabilities, scores) as 'array' (array<double>) or 'vector' (Spark ML vectors)");
        setDefault(inputCols, new String[0]);
        setDefault(outputCols, new String[0]);
        setDefault(outputPrefix, "");
        setDefault(batchSize, 0);
        setDefault(device, "auto");
        setDefault(handleInvalid, "error");
        setDefault(vectorType, "array");
    }

    @Override
    public String uid() {
        return uid;
    }

    // ---- params (public no-argument accessors are how Spark finds them) ----

    public Param<String> modelPath() {
        return modelPath;
    }

    public StringArrayParam inputCols() {
        return inputCols;
    }

    public StringArrayParam outputCols() {
        return outputCols;
    }

    public Param<String> outputPrefix() {
        return outputPrefix;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public Param<String> device() {
        return device;
    }

    public Param<String> handleInvalid() {
        return handleInvalid;
    }

    public Param<String> vectorType() {
        return vectorType;
    }

    /** Reads (and, for a source model, compiles) the model at {@code path} on the driver. */
    public Ml2TensorModel setModelPath(String path) {
        set(modelPath, path);
        resolved = null;
        broadcast = null;
        return this;
    }

    /** Uses ONNX bytes, or the bytes of a scikit-learn/XGBoost/LightGBM model (compiled here). */
    public Ml2TensorModel setModelBytes(byte[] bytes) {
        resolved = ResolvedModel.fromBytes(bytes, "<model bytes>");
        broadcast = null;
        return this;
    }

    public Ml2TensorModel setInputCols(String... columns) {
        set(inputCols, columns);
        return this;
    }

    public Ml2TensorModel setOutputCols(String... columns) {
        set(outputCols, columns);
        return this;
    }

    public Ml2TensorModel setOutputPrefix(String prefix) {
        set(outputPrefix, prefix);
        return this;
    }

    public Ml2TensorModel setBatchSize(int rows) {
        if (rows < 0) {
            throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "batch size must be >= 0 (0: the model's hint), got " + rows).build();
        }
        set(batchSize, rows);
        return this;
    }

    /** {@code auto}, {@code cpu} or {@code cuda}. */
    public Ml2TensorModel setDevice(String value) {
        parseDevice(value);
        set(device, value.toLowerCase(Locale.ROOT));
        return this;
    }

    /** {@code error}, {@code skip} or {@code keep}; see {@link HandleInvalid}. */
    public Ml2TensorModel setHandleInvalid(String value) {
        set(handleInvalid, HandleInvalid.parse(value).paramValue());
        return this;
    }

    /** {@code array} ({@code array<double>}, the default) or {@code vector} (Spark ML {@code Vector}). */
    public Ml2TensorModel setVectorType(String value) {
        String v = value == null ? "" : value.toLowerCase(Locale.ROOT);
        if (!v.equals("array") && !v.equals("vector")) {
            throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "vectorType must be array or vector, got '" + value + "'").build();
        }
        set(vectorType, v);
        return this;
    }

    /** The model's signature (features, outputs), resolving the model if needed. */
    public ModelSignature signature() {
        return model().signature();
    }

    /** The model's ONNX bytes (compiled on the driver for a source model). */
    public byte[] onnxBytes() {
        return model().onnx().clone();
    }

    private ResolvedModel model() {
        if (resolved == null) {
            if (!isDefined(modelPath)) {
                throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "no model: call setModelPath(...) or setModelBytes(...)").build();
            }
            SparkSession spark = SparkSession.active();
            resolved = ResolvedModel.fromPath($(modelPath), spark.sparkContext().hadoopConfiguration());
        }
        return resolved;
    }

    private ScoringPlan plan(StructType schema) {
        return ScoringPlan.bind(model().signature(), schema, $(inputCols), $(outputCols), $(outputPrefix),
                "vector".equals($(vectorType)), HandleInvalid.parse($(handleInvalid)), (Integer) $(batchSize), parseDevice($(device)));
    }

    private static Device parseDevice(String value) {
        try {
            return Device.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "device must be auto, cpu or cuda, got '" + value + "'").build();
        }
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return plan(schema).outputSchema(schema);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType schema = dataset.schema();
        ScoringPlan plan = plan(schema);
        Broadcast<byte[]> bytes = broadcast(dataset.sparkSession().sparkContext());
        Dataset<Row> frame = dataset.toDF();
        PartitionScorer scorer = new PartitionScorer(plan, bytes, schema);
        boolean columnar = "true".equalsIgnoreCase(frame.sparkSession().conf().get(COLUMNAR_CONF, "true"));
        RDD<InternalRow> scored = (columnar ? InternalFrames.columnarBatches(frame) : java.util.Optional.<RDD<ColumnarBatch>>empty())
                .map(batches -> batches.toJavaRDD().mapPartitions(scorer.columnar()).rdd())
                .orElseGet(() -> InternalFrames.rows(frame).toJavaRDD().mapPartitions(scorer.rows()).rdd());
        return InternalFrames.frame(frame.sparkSession(), scored, plan.outputSchema(schema));
    }

    /** One broadcast of the ONNX bytes per model and SparkContext, reused by every transform. */
    private synchronized Broadcast<byte[]> broadcast(SparkContext sc) {
        if (broadcast == null || broadcastContext != sc || sc.isStopped()) {
            broadcast = JavaSparkContext.fromSparkContext(sc).broadcast(model().onnx());
            broadcastContext = sc;
        }
        return broadcast;
    }

    @Override
    public Ml2TensorModel copy(ParamMap extra) {
        Ml2TensorModel copy = new Ml2TensorModel(uid);
        copyValues(copy, extra);
        copy.resolved = resolved;
        return copy;
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    /** Reads a model saved by {@link #write()}. */
    public static MLReader<Ml2TensorModel> read() {
        return new Reader();
    }

    /** Loads a model saved by {@link #write()} from {@code path}. */
    public static Ml2TensorModel load(String path) {
        return read().load(path);
    }

    @Override
    public String toString() {
        return "Ml2TensorModel: uid=" + uid + (resolved == null ? "" : ", model=" + resolved.signature().displayName());
    }

    /**
     * Spark conf key: {@code true} (the default) reads an input that is exactly one columnar scan (a
     * cached DataFrame, a vectorized Parquet/ORC read) as Spark's {@code ColumnarBatch}es in place
     * (features column by column, output rows written from the column vectors) instead of as rows;
     * {@code false} always reads rows (see BENCHMARKS.md for both).
     */
    public static final String COLUMNAR_CONF = "spark.ml2tensor.columnar";

    private static final String ONNX_FILE = "data/model.onnx";

    /** Saves the params as Spark's metadata JSON and the ONNX bytes under {@code data/model.onnx}. */
    private static final class Writer extends MLWriter {
        private final Ml2TensorModel instance;

        Writer(Ml2TensorModel instance) {
            this.instance = instance;
        }

        @Override
        public void saveImpl(String path) {
            byte[] onnx = instance.model().onnx();
            DefaultParamsWriter.saveMetadata(instance, path, sc(), scala.Option.empty(), scala.Option.empty());
            Path file = new Path(path, ONNX_FILE);
            try {
                FileSystem fs = file.getFileSystem(sc().hadoopConfiguration());
                try (OutputStream out = fs.create(file, false)) {
                    out.write(onnx);
                }
            } catch (IOException e) {
                throw Ml2TensorException.of(ErrorCode.IO, "cannot write the model: " + e.getMessage()).at(file.toString()).cause(e).build();
            }
        }
    }

    private static final class Reader extends MLReader<Ml2TensorModel> {
        @Override
        public Ml2TensorModel load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sc(), Ml2TensorModel.class.getName());
            Ml2TensorModel model = new Ml2TensorModel(metadata.uid());
            metadata.getAndSetParams(model, scala.Option.empty());
            Path file = new Path(path, ONNX_FILE);
            byte[] onnx;
            try {
                FileSystem fs = file.getFileSystem(sc().hadoopConfiguration());
                try (InputStream in = fs.open(file)) {
                    onnx = in.readAllBytes();
                }
            } catch (IOException e) {
                throw Ml2TensorException.of(ErrorCode.IO, "cannot read the saved model: " + e.getMessage()).at(file.toString())
                        .hint("the folder must be one written by Ml2TensorModel.write()").cause(e).build();
            }
            model.resolved = ResolvedModel.fromBytes(onnx, file.toString());
            return model;
        }
    }
}
