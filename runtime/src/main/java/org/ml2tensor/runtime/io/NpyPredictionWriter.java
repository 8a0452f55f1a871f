package org.ml2tensor.runtime.io;

import java.nio.file.Path;
import java.util.List;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.runtime.FloatType;
import org.ml2tensor.runtime.ModelInfo;
import org.ml2tensor.runtime.Output;
import org.ml2tensor.runtime.Predictions;

/**
 * Writes predictions as a 2-D {@code .npy} array with the {@link PredictionLayout} columns (the
 * header names are not stored). float32 when every column is a float32 output, float64 otherwise
 * (int64 labels become float64). String labels cannot be stored and fail with INVALID_OPTION.
 */
public final class NpyPredictionWriter implements PredictionSink {
    private final Path target;
    private final ModelInfo info;
    private PredictionLayout layout;
    private NpyWriter writer;
    private boolean closed;

    private NpyPredictionWriter(Path target, ModelInfo info) {
        this.target = target;
        this.info = info;
    }

    public static NpyPredictionWriter toFile(Path target, ModelInfo info) {
        return new NpyPredictionWriter(target, info);
    }

    @Override
    public void write(Predictions chunk) {
        if (layout == null) {
            layout = PredictionLayout.of(info, chunk);
            boolean allFloat32 = true;
            for (PredictionLayout.Column c : layout.columns()) {
                Output o = chunk.output(c.output()).orElseThrow();
                if (o instanceof Output.Strings) {
                    throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "the model predicts string labels, which an "
                            + ".npy file cannot hold").at(target.toString()).hint("write the predictions to a .csv file").build();
                }
                allFloat32 &= o instanceof Output.Floats;
            }
            writer = NpyWriter.create(target, allFloat32 ? FloatType.FLOAT32 : FloatType.FLOAT64, layout.columns().size());
        }
        List<PredictionLayout.Column> cols = layout.columns();
        Output[] outs = new Output[cols.size()];
        for (int i = 0; i < outs.length; i++) {
            outs[i] = chunk.output(cols.get(i).output()).orElseThrow();
        }
        for (int r = 0; r < chunk.rows(); r++) {
            for (int i = 0; i < outs.length; i++) {
                int col = cols.get(i).index();
                Output o = outs[i];
                if (o instanceof Output.Floats f) {
                    writer.put(f.getFloat(r, col));
                } else if (o instanceof Output.Doubles d) {
                    writer.put(d.getDouble(r, col));
                } else if (o instanceof Output.Longs l) {
                    writer.put((double) l.data()[r * l.width() + col]);
                }
            }
        }
    }

    @Override
    public void commit() {
        if (writer == null) {
            throw new IllegalStateException("no predictions were written");
        }
        writer.commit();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (writer != null) {
                writer.close();
            }
        }
    }
}
