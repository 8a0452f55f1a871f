package org.ml2tensor.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.train.data.SourcePosition;

/**
 * A training checkpoint in a folder: {@code state.bin} (the estimator's state, where the input resumes,
 * the epoch and totals) and {@code model.joblib} (the model so far, loadable by scikit-learn, once the final estimator has seen a chunk), each
 * replaced atomically. {@code state.bin} is written last, so it never points past the model beside it.
 *
 * @param estimator  scikit-learn class name
 * @param epoch      the epoch in progress (0-based)
 * @param position   where the next chunk of that epoch starts
 * @param chunksDone chunks trained in total
 * @param rowsDone   rows trained in total
 * @param state      the estimator's serialized state
 */
public record Checkpoint(String estimator, int epoch, SourcePosition position, long chunksDone, long rowsDone,
                         byte[] state) {
    private static final int MAGIC = 0x4d4c3254; // "ML2T"
    private static final int VERSION = 1;
    private static final long MAX_STATE = 1L << 30;

    /** Captures the estimator's state now. */
    public static Checkpoint of(IncrementalEstimator e, int epoch, SourcePosition position, long chunks, long rows) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(b)) {
            e.writeState(out);
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        return new Checkpoint(e.sklearnName(), epoch, position, chunks, rows, b.toByteArray());
    }

    /** Writes {@code model.joblib} then {@code state.bin} into {@code dir} (created if needed). */
    public void write(Path dir, IncrementalEstimator e, SklearnVersion version) {
        try {
            Files.createDirectories(dir);
            if (e.fitted()) {
                CheckpointFiles.write(dir.resolve("model.joblib"), ModelOutput.pickle(e, version));
            }
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(b)) {
                out.writeInt(MAGIC);
                out.writeInt(VERSION);
                out.writeUTF(estimator);
                out.writeInt(epoch);
                out.writeLong(position.byteOffset());
                out.writeLong(position.line());
                out.writeLong(position.rowsBefore());
                out.writeLong(position.labelByteOffset());
                out.writeLong(position.labelLine());
                out.writeLong(chunksDone);
                out.writeLong(rowsDone);
                out.writeInt(state.length);
                out.write(state);
            }
            CheckpointFiles.write(dir.resolve("state.bin"), b.toByteArray());
        } catch (IOException ex) {
            throw Ml2TensorException.of(ErrorCode.IO, "cannot write the checkpoint: " + ex.getMessage())
                    .at(dir.toString()).cause(ex).build();
        }
    }

    /** Reads {@code dir/state.bin}. */
    public static Checkpoint read(Path dir) {
        Path f = dir.resolve("state.bin");
        try {
            if (Files.size(f) > MAX_STATE) {
                throw corrupt(f, "larger than 1 GiB");
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(f)))) {
                if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                    throw corrupt(f, "not an ml2tensor checkpoint");
                }
                String est = in.readUTF();
                int epoch = in.readInt();
                SourcePosition pos = new SourcePosition(in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                        in.readLong());
                long chunks = in.readLong();
                long rows = in.readLong();
                int n = in.readInt();
                if (n < 0 || n > in.available()) {
                    throw corrupt(f, "truncated state");
                }
                byte[] state = in.readNBytes(n);
                return new Checkpoint(est, epoch, pos, chunks, rows, state);
            }
        } catch (NoSuchFileException e) {
            throw Ml2TensorException.of(ErrorCode.IO, "no checkpoint to resume from").at(f.toString())
                    .hint("train once with --checkpoint DIR; --resume continues from it").cause(e).build();
        } catch (IOException e) {
            throw corrupt(f, e.getMessage());
        }
    }

    /** Restores the state into {@code e} (configured like the checkpointed one). */
    public void restore(IncrementalEstimator e) {
        if (!e.sklearnName().equals(estimator)) {
            throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "the checkpoint holds a " + estimator + ", not a "
                    + e.sklearnName()).hint("resume with the same estimator and parameters").build();
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            e.readState(in);
        } catch (IOException ex) {
            throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "corrupt checkpoint state: " + ex.getMessage())
                    .cause(ex).build();
        }
    }

    private static Ml2TensorException corrupt(Path f, String why) {
        return Ml2TensorException.of(ErrorCode.INVALID_INPUT, "corrupt checkpoint: " + why).at(f.toString())
                .hint("delete the checkpoint folder and train again").build();
    }
}
