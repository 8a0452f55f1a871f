package org.ml2tensor.spark;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import java.util.Optional;
import org.apache.spark.sql.execution.ColumnarToRowExec;
import org.apache.spark.sql.execution.InputAdapter;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.WholeStageCodegenExec;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.sql.types.StructType;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * A DataFrame as Spark's internal rows and back, without converting every row to and from a
 * {@link Row}: {@code queryExecution().toRdd()} and {@code internalCreateDataFrame}, which Spark's own
 * ML transformers use. Both live on the classic (non-Connect) {@code Dataset}/{@code SparkSession}, a
 * different class in Spark 4 ({@code org.apache.spark.sql.classic}) than in Spark 3.5, so they are
 * looked up on the runtime class; the same bytecode then runs on both.
 */
final class InternalFrames {
    private InternalFrames() {
    }

    /** The rows of {@code dataset} as Spark's internal rows (which Spark may reuse: copy one to keep it). */
    static RDD<InternalRow> rows(Dataset<?> dataset) {
        QueryExecution execution = (QueryExecution) invoke(dataset, "queryExecution", new Class<?>[0]);
        return execution.toRdd();
    }

    /**
     * The rows of {@code dataset} as the columnar batches its scan produces, when its physical plan is
     * exactly one columnar leaf scan (a cached relation's, or a vectorized Parquet/ORC file scan, under
     * {@code ColumnarToRow} or not, with nothing in between): then the batches are read in place and
     * Spark's own row conversion is skipped. Empty for any other plan (filters, projections,
     * exchanges, row-based sources), which is then read as rows.
     */
    static Optional<RDD<ColumnarBatch>> columnarBatches(Dataset<?> dataset) {
        QueryExecution execution = (QueryExecution) invoke(dataset, "queryExecution", new Class<?>[0]);
        SparkPlan root = execution.executedPlan();
        SparkPlan scan = root;
        if (scan instanceof AdaptiveSparkPlanExec adaptive) {
            // AQE wraps a plan whose cached relation was built with an exchange; this query has none
            // when its current plan is a leaf scan (checked below), so there is no stage to re-plan.
            scan = adaptive.executedPlan();
        }
        if (scan instanceof WholeStageCodegenExec codegen) {
            scan = codegen.child();
        }
        if (scan instanceof ColumnarToRowExec toRows) {
            scan = toRows.child();
        }
        if (scan instanceof InputAdapter adapter) {
            scan = adapter.child();
        }
        // A cached relation's scan at the root stays row-based for its caller (Spark 3.5+ plans that
        // support both), but it can still produce its batches.
        if (!scan.children().isEmpty() || !scan.supportsColumnar() || !scan.output().equals(root.output())) {
            return Optional.empty();
        }
        return Optional.of(scan.executeColumnar());
    }

    /** A DataFrame of {@code schema} over internal rows. */
    @SuppressWarnings("unchecked")
    static Dataset<Row> frame(SparkSession session, RDD<InternalRow> rows, StructType schema) {
        return (Dataset<Row>) invoke(session, "internalCreateDataFrame",
                new Class<?>[] {RDD.class, StructType.class, boolean.class}, rows, schema, false);
    }

    private static Object invoke(Object target, String method, Class<?>[] types, Object... args) {
        try {
            Method m = target.getClass().getMethod(method, types);
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw Ml2TensorException.of(ErrorCode.RUNTIME, method + " failed: " + cause).cause(cause).build();
        } catch (ReflectiveOperationException e) {
            throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "this Spark session (" + target.getClass().getName()
                            + ") has no " + method + "; Ml2TensorModel needs a classic (non-Connect) Spark 3.5 or 4.x session")
                    .hint("run the transformer in the Spark driver, not through a Spark Connect client").cause(e).build();
        }
    }
}
