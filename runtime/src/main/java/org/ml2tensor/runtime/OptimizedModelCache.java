package org.ml2tensor.runtime;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * An ORT-optimised copy of a model on disk, plus a key file {@code <file>.key} recording what it was
 * made from: SHA-256 of the model bytes, ORT version, optimisation level and provider. A valid cache is
 * loaded with optimisations off; otherwise ORT rewrites the file while creating the session and the
 * key is written afterwards (and deleted before), so a crash never leaves a key for a partial file.
 */
final class OptimizedModelCache {
    private final Path file;
    private final Path keyFile;
    private final String key;
    private final boolean valid;

    private OptimizedModelCache(Path file, String key) {
        this.file = file.toAbsolutePath();
        this.keyFile = this.file.resolveSibling(this.file.getFileName() + ".key");
        this.key = key;
        this.valid = Files.isRegularFile(this.file) && key.equals(readKey(keyFile));
    }

    static OptimizedModelCache of(Path file, ModelSource model, OrtEnvironment env, PredictorOptions options,
                                  Provider provider) {
        String key = "ml2tensor optimized-model cache v1\n"
                + "model-sha256=" + sha256(model.bytes()) + "\n"
                + "onnxruntime=" + env.getVersion() + "\n"
                + "optimization=" + options.optimization() + "\n"
                + "provider=" + provider + (provider == Provider.CUDA ? ":" + options.cudaDeviceId() : "") + "\n";
        return new OptimizedModelCache(file, key);
    }

    Path file() {
        return file;
    }

    /** Whether {@link #file()} holds the optimised form of this very model for this ORT and provider. */
    boolean isValid() {
        return valid;
    }

    /** Invalidates the old key before ORT overwrites the cache file. */
    void prepareWrite() {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(keyFile);
        } catch (IOException e) {
            throw Ml2TensorException.of(ErrorCode.IO, "cannot prepare the optimized-model cache: " + e.getMessage())
                    .at(file.toString()).cause(e).build();
        }
    }

    /** Records the key once ORT has written the optimised model. */
    void commit() {
        if (!Files.isRegularFile(file)) {
            return;
        }
        Path tmp = keyFile.resolveSibling(keyFile.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, key, StandardCharsets.UTF_8);
            Files.move(tmp, keyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw Ml2TensorException.of(ErrorCode.IO, "cannot write the optimized-model cache key: " + e.getMessage())
                    .at(keyFile.toString()).cause(e).build();
        }
    }

    private static String readKey(Path keyFile) {
        try {
            return Files.isRegularFile(keyFile) ? Files.readString(keyFile, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a mandatory JDK algorithm", e);
        }
    }
}
