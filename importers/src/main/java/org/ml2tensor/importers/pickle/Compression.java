package org.ml2tensor.importers.pickle;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.importers.ReadBudget;
import org.tukaani.xz.LZMAInputStream;
import org.tukaani.xz.XZInputStream;

/** Whole-file compression of joblib files, recognised by magic bytes. */
public enum Compression {
    NONE, ZLIB, GZIP, BZIP2, XZ, LZMA, LZ4;

    /** Recognises the compression of a file from its first bytes; {@link #NONE} when none matches. */
    public static Compression detect(byte[] b) {
        if (starts(b, 0x1f, 0x8b)) {
            return GZIP;
        }
        if (starts(b, 'B', 'Z', 'h') && b.length > 3 && b[3] >= '1' && b[3] <= '9') {
            return BZIP2;
        }
        if (starts(b, 0xfd, '7', 'z', 'X', 'Z', 0x00)) {
            return XZ;
        }
        if (starts(b, 0x5d, 0x00, 0x00)) {
            return LZMA;
        }
        if (starts(b, 0x04, 0x22, 0x4d, 0x18)) {
            return LZ4;
        }
        if (b.length >= 2 && (b[0] & 0xff) == 0x78 && ((b[0] & 0xff) * 256 + (b[1] & 0xff)) % 31 == 0) {
            return ZLIB;
        }
        if (starts(b, 'Z', 'F')) {
            throw Ml2TensorException.of(ErrorCode.UNSUPPORTED,
                    "joblib files written by joblib < 0.10 (per-array 'ZF' compression) are not supported")
                    .hint("load and re-save the model with a current joblib").build();
        }
        return NONE;
    }

    private static boolean starts(byte[] b, int... magic) {
        if (b.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((b[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Decompresses {@code data} into a byte array of at most {@code limits.maxDecodedBytes()} bytes and
     * within the open {@link ReadBudget}. The stream is decoded twice: first only counting (nothing is
     * kept, so a decompression bomb is refused at the limit with a few KiB of heap), then into an array of
     * exactly the counted size. Corrupt streams fail with {@link ErrorCode#MODEL_FORMAT}, oversized ones
     * with {@link ErrorCode#LIMIT_EXCEEDED}.
     */
    public byte[] decompress(byte[] data, PickleLimits limits) {
        if (this == NONE) {
            return data;
        }
        ReadBudget budget = ReadBudget.current();
        long cap = Math.min(limits.maxDecodedBytes(), budget.remaining());
        try {
            long n;
            try (InputStream in = open(new ByteArrayInputStream(data), limits)) {
                n = count(in, cap);
            }
            if (n > cap) {
                if (cap < limits.maxDecodedBytes()) {
                    budget.spend(n, "the " + name().toLowerCase() + " stream, decompressed");
                }
                throw Ml2TensorException.of(ErrorCode.LIMIT_EXCEEDED,
                                "the decompressed model exceeds the limit of " + limits.maxDecodedBytes() + " bytes")
                        .hint("raise PickleLimits.maxDecodedBytes if the file is trusted").build();
            }
            budget.spend(n, "the " + name().toLowerCase() + " stream, decompressed");
            byte[] out = new byte[(int) n];
            try (InputStream in = open(new ByteArrayInputStream(data), limits)) {
                if (in.readNBytes(out, 0, out.length) != out.length) {
                    throw new IOException("the stream changed between two decodings");
                }
            }
            return out;
        } catch (Ml2TensorException e) {
            throw e;
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            if (e instanceof OutOfMemoryError) {
                throw Ml2TensorException.of(ErrorCode.LIMIT_EXCEEDED, "the " + name().toLowerCase()
                        + " stream needs more memory to decode than is available").build();
            }
            throw Ml2TensorException.of(ErrorCode.MODEL_FORMAT, "corrupt " + name().toLowerCase()
                            + " stream: " + e.getMessage())
                    .hint("the file is truncated or damaged; re-save the model").cause(e).build();
        }
    }

    /** Counts the decoded bytes, stopping (and returning {@code cap + 1}) once {@code cap} is passed. */
    private static long count(InputStream in, long cap) throws IOException {
        byte[] sink = new byte[1 << 16];
        long n = 0;
        while (true) {
            int r = in.read(sink, 0, sink.length);
            if (r < 0) {
                return n;
            }
            n += r;
            if (n > cap) {
                return cap + 1;
            }
        }
    }

    private InputStream open(InputStream raw, PickleLimits limits) throws IOException {
        return switch (this) {
            case ZLIB -> new InflaterInputStream(raw);
            case GZIP -> new GZIPInputStream(raw);
            case BZIP2 -> new BZip2CompressorInputStream(raw, true);
            case XZ -> new XZInputStream(raw, limits.maxDecoderMemoryKiB());
            case LZMA -> new LZMAInputStream(raw, limits.maxDecoderMemoryKiB());
            // commons-compress decodes LZ4 frames with linked blocks (Python's lz4.frame default), which
            // lz4-java's LZ4FrameInputStream refuses.
            case LZ4 -> new FramedLZ4CompressorInputStream(raw, true);
            case NONE -> raw;
        };
    }
}
