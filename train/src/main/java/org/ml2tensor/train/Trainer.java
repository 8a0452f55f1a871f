package org.ml2tensor.train;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.ir.SourceInfo;
import org.ml2tensor.train.data.Chunk;

/**
 * Trains an {@link IncrementalEstimator} on chunks ({@code partial_fit} per chunk, in order) and hands back
 * the compiler's IR. Example:
 *
 * <pre>{@code
 * IncrementalEstimator sgd = Estimators.create("SGDClassifier",
 *         Settings.of(Map.of("loss", "log_loss", "random_state", "0")), SklearnVersion.V1_9, new double[]{0, 1});
 * ModelIr ir = new Trainer(sgd).fit(chunks, List.of("f0", "f1", "f2"));
 * }</pre>
 */
public final class Trainer {
    /** What happened after one chunk. */
    public record Step(long chunk, long rows, double loss, Chunk last) {
    }

    private final IncrementalEstimator estimator;
    private Consumer<Step> listener = s -> { };
    private long chunks;
    private long rows;

    public Trainer(IncrementalEstimator estimator) {
        this.estimator = Objects.requireNonNull(estimator, "estimator");
    }

    /** Called after every chunk (progress, checkpoints). */
    public Trainer onStep(Consumer<Step> l) {
        this.listener = Objects.requireNonNull(l);
        return this;
    }

    /** Continue counting from a checkpoint's totals. */
    public Trainer resumeCounts(long chunksDone, long rowsDone) {
        this.chunks = chunksDone;
        this.rows = rowsDone;
        return this;
    }

    public IncrementalEstimator estimator() {
        return estimator;
    }

    /** One {@code partial_fit} on {@code c}. */
    public void feed(Chunk c) {
        if (c.rows() == 0) {
            return;
        }
        estimator.partialFit(c);
        chunks++;
        rows += c.rows();
        listener.accept(new Step(chunks, rows, estimator.lastLoss(), c));
    }

    /** Feeds every chunk of one pass and returns the IR. */
    public ModelIr fit(Iterable<Chunk> data, List<String> featureNames) {
        for (Chunk c : data) {
            feed(c);
        }
        return ir(featureNames);
    }

    /** Chunks trained so far. */
    public long chunks() {
        return chunks;
    }

    /** Rows trained so far. */
    public long rows() {
        return rows;
    }

    /** The trained model as IR (what {@code ModelImporter} builds from the equivalent scikit-learn pickle). */
    public ModelIr ir(List<String> featureNames) {
        var est = estimator.toIr();
        List<String> names = featureNames != null && featureNames.size() == est.inputWidth() ? featureNames : List.of();
        return new ModelIr(est, est.inputWidth(), names,
                new SourceInfo("sklearn", "trained " + estimator.sklearnName() + " (ml2tensor train)", ""));
    }
}
