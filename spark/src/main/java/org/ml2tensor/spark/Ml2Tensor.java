package org.ml2tensor.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ml2tensor.runtime.Device;

/**
 * Registers a model as a Spark SQL function:
 *
 * <pre>{@code
 * Ml2Tensor.register(spark, "churn", "hdfs:///models/churn.onnx");
 * spark.sql("SELECT id, churn(struct(*)).label FROM customers");
 * }</pre>
 *
 * <p>The function takes one {@code struct} whose fields are matched to the model's features by name
 * (other fields are ignored; a model without feature names takes the struct's first fields in order)
 * and returns {@link #returnType(ModelSignature)}: a {@code struct} with one field per model output,
 * named as the {@link Ml2TensorModel}'s default columns — {@code label} ({@code string} or
 * {@code bigint}), {@code probabilities} / {@code scores} ({@code array<double>}), {@code prediction}
 * ({@code double}, or {@code array<double>} for several targets). A SQL function scores one row per
 * call; use {@link Ml2TensorModel} for bulk scoring in batches.
 */
public final class Ml2Tensor {
    private Ml2Tensor() {
    }

    /**
     * Registers {@code name} for the model at {@code path} (ONNX or a source model, compiled once here),
     * scoring on CUDA where an executor has a usable GPU and on the CPU otherwise. A row with a null or
     * non-numeric feature gets NaN for that feature when the model accepts missing values, and a NULL
     * result otherwise.
     */
    public static ModelSignature register(SparkSession spark, String name, String path) {
        return register(spark, name, path, Device.AUTO, HandleInvalid.KEEP);
    }

    /**
     * Like {@link #register(SparkSession, String, String)} with a device and a bad-row policy
     * ({@code ERROR} fails the query naming the row; {@code SKIP} and {@code KEEP} return NULL, or
     * score the row with NaN for a model that accepts missing values under {@code KEEP}).
     */
    public static ModelSignature register(SparkSession spark, String name, String path, Device device, HandleInvalid policy) {
        Objects.requireNonNull(spark, "spark");
        Objects.requireNonNull(name, "name");
        ResolvedModel model = ResolvedModel.fromPath(path, spark.sparkContext().hadoopConfiguration());
        Broadcast<byte[]> bytes = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(model.onnx());
        SqlScorer scorer = new SqlScorer(model.signature(), bytes, device, policy);
        spark.udf().register(name, scorer, returnType(model.signature()));
        return model.signature();
    }

    /** The SQL function's return type for a model. */
    public static StructType returnType(ModelSignature model) {
        List<StructField> fields = new ArrayList<>();
        for (OutputColumn o : model.outputs()) {
            fields.add(new StructField(o.columnName(), ScoringPlan.sparkType(o.kind(), false), true,
                    org.apache.spark.sql.types.Metadata.empty()));
        }
        return new StructType(fields.toArray(new StructField[0]));
    }
}
