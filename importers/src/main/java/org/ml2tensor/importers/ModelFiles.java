package org.ml2tensor.importers;

import java.io.IOException;
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

    /** All bytes of {@code path}; IO errors name the file. */
    public static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw Ml2TensorException.of(ErrorCode.IO, "no such file").at(path.toString())
                    .hint("check the path").cause(e).build();
        } catch (IOException e) {
            throw Ml2TensorException.of(ErrorCode.IO, "cannot read the file: " + e.getMessage())
                    .at(path.toString()).cause(e).build();
        } catch (OutOfMemoryError e) {
            throw Ml2TensorException.of(ErrorCode.LIMIT_EXCEEDED, "the file is too large to read into memory")
                    .at(path.toString()).hint("raise the JVM heap (ML2TENSOR_JAVA_OPTS=-Xmx...)").build();
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
