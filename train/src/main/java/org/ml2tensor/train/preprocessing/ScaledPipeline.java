package org.ml2tensor.train.preprocessing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.ml2tensor.ir.Estimator;
import org.ml2tensor.ir.Pipeline;
import org.ml2tensor.ir.Transformer;
import org.ml2tensor.train.Evaluation;
import org.ml2tensor.train.IncrementalEstimator;
import org.ml2tensor.train.data.Chunk;
import org.ml2tensor.train.pickle.Py;

/**
 * A scaler followed by an estimator ({@code make_pipeline(StandardScaler(), SGDClassifier())}): pass 0
 * runs the scaler's {@code partial_fit} over the data, later passes transform each chunk with the fitted
 * scaler and run the estimator's {@code partial_fit} on it.
 */
public final class ScaledPipeline implements IncrementalEstimator {
    private final Scaler scaler;
    private final IncrementalEstimator last;
    private boolean scalerPass = true;

    public ScaledPipeline(Scaler scaler, IncrementalEstimator last) {
        this.scaler = scaler;
        this.last = last;
    }

    /** Selects what {@link #partialFit} trains: the scaler in pass 0, the estimator after. */
    public void beginPass(int pass) {
        scalerPass = pass == 0;
    }

    @Override
    public String sklearnName() {
        return scaler.sklearnName() + "+" + last.sklearnName();
    }

    @Override
    public void partialFit(Chunk chunk) {
        if (scalerPass) {
            scaler.partialFit(chunk);
        } else {
            last.partialFit(scaler.transform(chunk));
        }
    }

    @Override
    public boolean fitted() {
        return last.fitted();
    }

    @Override
    public double lastLoss() {
        return scalerPass ? Double.NaN : last.lastLoss();
    }

    @Override
    public Estimator toIr() {
        return new Pipeline(List.of((Transformer) scaler.toIr()), last.toIr());
    }

    @Override
    public Py.Instance toPickle() {
        Py.Dict st = Py.Dict.empty();
        st.put("steps", new Py.PyList(List.of(
                new Py.Tuple(List.of(Py.of(scaler.sklearnName().toLowerCase(Locale.ROOT)), scaler.toPickle())),
                new Py.Tuple(List.of(Py.of(last.sklearnName().toLowerCase(Locale.ROOT)), last.toPickle())))));
        st.put("transform_input", Py.none());
        st.put("memory", Py.none());
        st.put("verbose", Py.of(false));
        return new Py.Instance("sklearn.pipeline", "Pipeline", st);
    }

    @Override
    public Evaluation newEvaluation() {
        Evaluation inner = last.newEvaluation();
        if (inner == null) {
            return null;
        }
        return new TransformedEvaluation(inner, scaler);
    }

    @Override
    public void writeState(DataOutputStream out) throws IOException {
        out.writeBoolean(scalerPass);
        scaler.writeState(out);
        out.writeBoolean(last.fitted());
        if (last.fitted()) {
            last.writeState(out);
        }
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        scalerPass = in.readBoolean();
        scaler.readState(in);
        if (in.readBoolean()) {
            last.readState(in);
        }
    }

    /** Whether the scaler has seen data (checkpoints during pass 0). */
    public boolean scalerFitted() {
        return scaler.fitted();
    }
}
