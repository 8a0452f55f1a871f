package org.ml2tensor.runtime.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * Writes a file so that it either appears complete or not at all: data goes to a hidden temporary file
 * in the target's folder ({@code .<name>.<random>.tmp}); {@link #commit()} flushes it to disk (fsync),
 * renames it over the target atomically and syncs the folder; {@link #close()} without a commit
 * deletes the temporary file, leaving any previous target untouched.
 */
public final class AtomicOutput implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private boolean committed;
    private boolean closed;

    private AtomicOutput(Path target, Path temp, FileChannel channel) {
        this.target = target;
        this.temp = temp;
        this.channel = channel;
    }

    /** Starts writing {@code target}; its folder must exist. */
    public static AtomicOutput create(Path target) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw Ml2TensorException.of(ErrorCode.IO, "the output folder does not exist").at(target.toString())
                    .hint("create the folder first").build();
        }
        if (Files.isDirectory(abs)) {
            throw Ml2TensorException.of(ErrorCode.IO, "the output path is a folder").at(target.toString()).build();
        }
        for (int attempt = 0; ; attempt++) {
            byte[] r = new byte[6];
            RANDOM.nextBytes(r);
            Path temp = dir.resolve("." + abs.getFileName() + "." + HexFormat.of().formatHex(r) + ".tmp");
            try {
                FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        StandardOpenOption.READ);
                return new AtomicOutput(abs, temp, ch);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 10) {
                    throw Ml2TensorException.of(ErrorCode.IO, "cannot create a temporary file").at(dir.toString()).cause(e).build();
                }
            } catch (IOException e) {
                throw Ml2TensorException.of(ErrorCode.IO, "cannot create the output file: " + e.getMessage())
                        .at(target.toString()).cause(e).build();
            }
        }
    }

    public Path target() {
        return target;
    }

    /** The temporary file being written (deleted or renamed by the end). */
    public Path tempFile() {
        return temp;
    }

    /** The channel to write (and, for header patching, re-read or re-position) the data. */
    public FileChannel channel() {
        ensureOpen();
        return channel;
    }

    /** An output stream over {@link #channel()}; closing it does not commit. */
    public OutputStream stream() {
        ensureOpen();
        OutputStream raw = Channels.newOutputStream(channel);
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

    /** Makes the written data the target file: fsync, atomic rename, folder sync. */
    public void commit() {
        ensureOpen();
        try {
            channel.force(true);
            channel.close();
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            committed = true;
            closed = true;
            syncFolder(target.getParent());
        } catch (IOException e) {
            close();
            throw Ml2TensorException.of(ErrorCode.IO, "cannot write the output file: " + e.getMessage())
                    .at(target.toString()).cause(e).build();
        }
    }

    private static void syncFolder(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some platforms cannot open folders; the rename itself is already atomic.
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
        try {
            channel.close();
        } catch (IOException e) {
            // The file is deleted below either way.
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // Best effort: a hidden .tmp file never looks like a finished output.
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("output " + target + " is already " + (committed ? "committed" : "closed"));
        }
    }
}
