package org.ml2tensor.importers.pickle;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
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
     * Decompresses {@code data} into a byte array of at most {@code limits.maxDecodedBytes()} bytes.
     * Corrupt streams fail with {@link ErrorCode#MODEL_FORMAT}, oversized ones with
     * {@link ErrorCode#LIMIT_EXCEEDED} as soon as the limit is crossed.
     */
    public byte[] decompress(byte[] data, PickleLimits limits) {
        if (this == NONE) {
            return data;
        }
        try (InputStream in = open(new ByteArrayInputStream(data), limits)) {
            return readBounded(in, limits.maxDecodedBytes(), data.length);
        } catch (Ml2TensorException e) {
            throw e;
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            if (e instanceof OutOfMemoryError) {
                throw Ml2TensorException.of(ErrorCode.LIMIT_EXCEEDED, "the " + name().toLowerCase()
                        + " stream needs more memory to decode than is available").cause(e).build();
            }
            throw Ml2TensorException.of(ErrorCode.MODEL_FORMAT, "corrupt " + name().toLowerCase()
                            + " stream: " + e.getMessage())
                    .hint("the file is truncated or damaged; re-save the model").cause(e).build();
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

    private static byte[] readBounded(InputStream in, long max, int hint) throws IOException {
        byte[] out = new byte[(int) Math.min(max, Math.max(1 << 16, Math.min((long) hint * 4, 1 << 26)))];
        int n = 0;
        while (true) {
            if (n == out.length) {
                if (n >= max) {
                    if (in.read() < 0) {
                        return out;
                    }
                    throw Ml2TensorException.of(ErrorCode.LIMIT_EXCEEDED,
                                    "the decompressed model exceeds the limit of " + max + " bytes")
                            .hint("raise PickleLimits.maxDecodedBytes if the file is trusted").build();
                }
                out = Arrays.copyOf(out, (int) Math.min(max, (long) n * 2));
            }
            int r = in.read(out, n, out.length - n);
            if (r < 0) {
                return Arrays.copyOf(out, n);
            }
            n += r;
        }
    }
}
