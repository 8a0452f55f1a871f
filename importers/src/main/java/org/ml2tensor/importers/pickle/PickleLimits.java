package org.ml2tensor.importers.pickle;

/**
 * Resource bounds of one read. Exceeding a bound fails with
 * {@link org.ml2tensor.error.ErrorCode#LIMIT_EXCEEDED} instead of exhausting memory.
 *
 * @param maxDecodedBytes    largest pickle stream accepted, after decompression (at most ~2 GiB, the
 *                           largest Java byte array)
 * @param maxNesting         deepest container nesting and MARK depth
 * @param maxMemoEntries     largest memo index
 * @param maxDecoderMemoryKiB memory the xz/lzma decoders may use for their dictionary
 */
public record PickleLimits(long maxDecodedBytes, int maxNesting, int maxMemoEntries, int maxDecoderMemoryKiB) {
    /** Largest byte array the JVM reliably allocates. */
    public static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 16;

    public PickleLimits {
        if (maxDecodedBytes <= 0 || maxDecodedBytes > MAX_ARRAY_BYTES) {
            throw new IllegalArgumentException("maxDecodedBytes must be in 1.." + MAX_ARRAY_BYTES);
        }
        if (maxNesting <= 0 || maxMemoEntries <= 0 || maxDecoderMemoryKiB <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /** 2 GiB of decoded stream, nesting 2000, 16M memo entries, 1 GiB of decoder memory. */
    public static PickleLimits defaults() {
        return new PickleLimits(MAX_ARRAY_BYTES, 2000, 1 << 24, 1 << 20);
    }

    public PickleLimits withMaxDecodedBytes(long bytes) {
        return new PickleLimits(bytes, maxNesting, maxMemoEntries, maxDecoderMemoryKiB);
    }

    public PickleLimits withMaxNesting(int depth) {
        return new PickleLimits(maxDecodedBytes, depth, maxMemoEntries, maxDecoderMemoryKiB);
    }
}
