package org.ml2tensor.importers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/** Reading model files with the project's errors, and their fingerprints. */
public final class ModelFiles {
    private ModelFiles() {
    }

    /** Largest model file read into memory (the largest Java byte array). */
    public static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 16;

    /** All bytes of {@code path} with the default options; see {@link #read(Path, ImportOptions)}. */
    public static byte[] read(Path path) {
        return read(path, ImportOptions.defaults());
    }

    /**
     * All bytes of {@code path}; IO errors name the file. Devices (such as {@code /dev/zero}), sockets and
     * directories are refused before reading; a regular file larger than {@link #MAX_FILE_BYTES} is refused
     * before allocating; a pipe is read up to the read budget (256 MiB unless raised) and refused beyond.
     */
    public static byte[] read(Path path, ImportOptions options) {
        try {
            FileKind kind = FileKind.of(path);
            switch (kind) {
                case REGULAR -> {
                    long size = Files.size(path);
                    if (size > MAX_FILE_BYTES) {
                        throw Ml2TensorException.of(ErrorCode.LIMIT_EXCEEDED, "the file has " + size
                                        + " bytes, more than the " + MAX_FILE_BYTES + " a model file may have")
                                .at(path.toString()).build();
                    }
                    try (InputStream in = Files.newInputStream(path)) {
                        if (size == 0) {
                            // /proc-like files report no size: read them as streams
                            return readBounded(in, ReadBudget.FLOOR_BYTES, path);
                        }
                        byte[] all = in.readNBytes((int) size);
                        if (all.length == size && in.read() >= 0) {
                            throw Ml2TensorException.of(ErrorCode.IO, "the file grew while it was read")
                                    .at(path.toString()).hint("wait until the model file is written").build();
                        }
                        return all;
                    }
                }
                case PIPE -> {
                    long cap = options.readBudgetBytes() > 0 ? Math.min(MAX_FILE_BYTES, options.readBudgetBytes())
                            : ReadBudget.FLOOR_BYTES;
                    try (InputStream in = Files.newInputStream(path)) {
                        return readBounded(in, cap, path);
                    }
                }
                default -> throw Ml2TensorException.of(ErrorCode.IO, "is a " + kind.description
                                + ", not a model file").at(path.toString())
                        .hint("give the path of a model file").build();
            }
        } catch (NoSuchFileException e) {
            throw Ml2TensorException.of(ErrorCode.IO, "no such file").at(path.toString())
                    .hint("check the path").cause(e).build();
        } catch (IOException e) {
            throw Ml2TensorException.of(ErrorCode.IO, "cannot read the file: " + e.getMessage())
                    .at(path.toString()).cause(e).build();
        }
    }

    /** Reads at most {@code cap} bytes in chunks; a stream that goes on is refused at the cap. */
    private static byte[] readBounded(InputStream in, long cap, Path path) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] chunk = new byte[1 << 16];
        long total = 0;
        while (true) {
            int n = in.read(chunk);
            if (n < 0) {
                return out.toByteArray();
            }
            total += n;
            if (total > cap) {
                throw Ml2TensorException.of(ErrorCode.LIMIT_EXCEEDED, "the input goes on past " + cap
                                + " bytes (an endless stream or a file that grows)")
                        .at(path.toString())
                        .hint("copy the model into a regular file, or raise --read-budget if it is that large")
                        .build();
            }
            out.write(chunk, 0, n);
        }
    }

    /** What a path names, from its file mode. */
    private enum FileKind {
        REGULAR("regular file"), DIRECTORY("directory"), PIPE("pipe"), CHARACTER_DEVICE("character device"),
        BLOCK_DEVICE("block device"), SOCKET("socket"), OTHER("special file");

        private final String description;

        FileKind(String description) {
            this.description = description;
        }

        static FileKind of(Path path) throws IOException {
            int mode;
            try {
                mode = (Integer) Files.getAttribute(path, "unix:mode");
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                return Files.isRegularFile(path) ? REGULAR : Files.isDirectory(path) ? DIRECTORY : OTHER;
            }
            return switch (mode & 0170000) {
                case 0100000 -> REGULAR;
                case 0040000 -> DIRECTORY;
                case 0010000 -> PIPE;
                case 0020000 -> CHARACTER_DEVICE;
                case 0060000 -> BLOCK_DEVICE;
                case 0140000 -> SOCKET;
                default -> OTHER;
            };
        }
    }

    /** The file name of {@code path} (the path itself when it has none). */
    public static String fileName(Path path) {
        Path name = path.getFileName();
        return name == null ? path.toString() : name.toString();
    }

    /** Hex SHA-256 of {@code bytes}: the source fingerprint stored in compiled models. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
