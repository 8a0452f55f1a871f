package org.ml2tensor.train;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.train.data.Chunk;
import org.ml2tensor.train.pickle.Py;

/**
 * A scikit-learn estimator trained with {@code partial_fit} semantics, one chunk at a time. Implementations
 * keep exactly the state scikit-learn keeps between calls, so the same chunks in the same order give the
 * same fitted attributes.
 */
public interface IncrementalEstimator {
    /** The scikit-learn class name, e.g. {@code SGDClassifier}. */
    String sklearnName();

    /** One {@code partial_fit} call on the chunk's rows, targets and sample weights. */
    void partialFit(Chunk chunk);

    /** Whether at least one chunk was fit. */
    boolean fitted();

    /** Mean per-row training loss of the last call (NaN when the estimator has none). */
    default double lastLoss() {
        return Double.NaN;
    }

    /** The fitted model as the compiler's IR (the same as the importer builds from scikit-learn's pickle). */
    Estimator toIr();

    /** The fitted estimator as a scikit-learn object, for a pickle scikit-learn 1.2–1.9 loads. */
    Py.Instance toPickle();

    /** Held-out quality: accuracy (classifiers) or R² (regressors) accumulated over chunks. */
    Evaluation newEvaluation();

    /** Writes the training state (a checkpoint). */
    void writeState(DataOutputStream out) throws IOException;

    /** Restores {@link #writeState}'s state into this freshly configured estimator. */
    void readState(DataInputStream in) throws IOException;
}
