package org.ml2tensor.importers.pickle;

import java.nio.file.Path;
import java.util.Objects;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.importers.ImportOptions;
import org.ml2tensor.importers.ModelFiles;
import org.ml2tensor.importers.ReadBudget;

/**
 * Reads Python pickle and joblib files (protocols 0–5; joblib's inline arrays; whole-file zlib, gzip,
 * bz2, xz, lzma and lz4 compression) into inert {@link PyValue}s without executing anything. Only
 * globals on the reader's own {@link GlobalAllowlist} are accepted. Instances are immutable and
 * thread-safe.
 */
public final class PickleReader {
    private final GlobalAllowlist allowlist;
    private final PickleLimits limits;

    public PickleReader(GlobalAllowlist allowlist, PickleLimits limits) {
        this.allowlist = Objects.requireNonNull(allowlist, "allowlist");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public GlobalAllowlist allowlist() {
        return allowlist;
    }

    public PickleLimits limits() {
        return limits;
    }

    /** Reads a file; errors carry the file name and the byte offset. */
    public PickleDocument read(Path file) {
        return read(readFile(file, limits), file.getFileName().toString());
    }

    /**
     * Reads the bytes of a pickle or joblib file; {@code sourceName} prefixes error contexts. Runs within
     * the open {@link ReadBudget}, or the automatic one of {@code fileBytes} when none is open.
     */
    public PickleDocument read(byte[] fileBytes, String sourceName) {
        try (ReadBudget.Scope scope = ReadBudget.openFor(fileBytes.length, ImportOptions.defaults())) {
            Compression c = Compression.detect(fileBytes);
            byte[] data = c.decompress(fileBytes, limits);
            if (data.length > limits.maxDecodedBytes()) {
                throw Ml2TensorException.of(ErrorCode.LIMIT_EXCEEDED, "the model file of " + data.length
                        + " bytes exceeds the limit of " + limits.maxDecodedBytes() + " bytes").build();
            }
            PickleMachine m = new PickleMachine(data, 0, data.length, allowlist, limits, true);
            PyValue root = m.run();
            return new PickleDocument(root, c, m.protocol(), data.length);
        } catch (Ml2TensorException e) {
            throw sourceName == null || sourceName.isEmpty() ? e : e.within(sourceName);
        }
    }

    /**
     * Reads a whole file, refusing files larger than the limit before allocating (and devices and
     * endless streams: see {@link ModelFiles#read}).
     */
    public static byte[] readFile(Path file, PickleLimits limits) {
        byte[] bytes = ModelFiles.read(file);
        if (bytes.length > limits.maxDecodedBytes()) {
            throw Ml2TensorException.of(ErrorCode.LIMIT_EXCEEDED, "the file has " + bytes.length
                            + " bytes, more than the limit of " + limits.maxDecodedBytes())
                    .at(file.toString()).build();
        }
        return bytes;
    }
}
