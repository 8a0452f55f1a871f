package org.ml2tensor.runtime.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.ml2tensor.io.AtomicFiles;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * Writes an output so that it either appears complete or not at all, under the policy of
 * {@link AtomicFiles}: a regular file is written to a hidden temporary file in its folder
 * ({@code .<name>.<random>.tmp}) and {@link #commit()} fsyncs it and renames it over the target (a symlink's
 * target, leaving the link); a device, FIFO or {@code -} (standard output) receives the staged data at
 * commit instead of being renamed over. {@link #close()} without a commit deletes the temporary file,
 * leaving any previous target untouched; so does JVM shutdown (Ctrl-C, SIGTERM, SIGHUP).
 */
public final class AtomicOutput implements AutoCloseable {
    private final Path target;
    private final AtomicFiles.Temp temp;
    private boolean committed;
    private boolean closed;

    private AtomicOutput(Path target, AtomicFiles.Temp temp) {
        this.target = target;
        this.temp = temp;
    }

    /** Starts writing {@code target} ({@code -} = standard output); its folder must exist. */
    public static AtomicOutput create(Path target) {
        AtomicFiles.Destination d = AtomicFiles.resolve(target);
        Path shown = d instanceof AtomicFiles.Replace r ? r.target() : target.toAbsolutePath();
        return new AtomicOutput(AtomicFiles.isStdout(target) ? target : shown, AtomicFiles.createTemp(d));
    }

    public Path target() {
        return target;
    }

    /** The temporary file being written (deleted or renamed by the end). */
    public Path tempFile() {
        return temp.path();
    }

    /** The channel to write (and, for header patching, re-read or re-position) the data. */
    public FileChannel channel() {
        ensureOpen();
        return temp.channel();
    }

    /** An output stream over {@link #channel()}; closing it does not commit. */
    public OutputStream stream() {
        ensureOpen();
        OutputStream raw = Channels.newOutputStream(temp.channel());
        return new java.io.FilterOutputStream(raw) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    /** Makes the written data the target: fsync and atomic rename, or streaming to a device. */
    public void commit() {
        ensureOpen();
        try {
            AtomicFiles.commit(temp);
            committed = true;
            closed = true;
        } catch (IOException e) {
            close();
            throw Ml2TensorException.of(ErrorCode.IO, "cannot write the output file: " + e.getMessage())
                    .at(target.toString()).hint("check free space and permissions").cause(e).build();
        }
    }

    public boolean isCommitted() {
        return committed;
    }

    /** Discards the temporary file unless committed; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        AtomicFiles.discard(temp);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("output " + target + " is already " + (committed ? "committed" : "closed"));
        }
    }
}
