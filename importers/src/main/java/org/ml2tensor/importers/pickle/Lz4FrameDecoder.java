package org.ml2tensor.importers.pickle;

import java.util.Arrays;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * Decodes LZ4 frames (the format of Python's {@code lz4.frame}, which joblib uses) into one byte array.
 * Handles linked blocks (the Python default, which lz4-java's frame stream refuses) by decoding every
 * block into the same output, so back-references into earlier blocks resolve directly. Checksums are
 * skipped; every length and offset is bounds-checked.
 */
final class Lz4FrameDecoder {
    private static final int MAGIC = 0x184D2204;

    private final byte[] in;
    private final long max;
    private int pos;
    private byte[] out;
    private int n;

    private Lz4FrameDecoder(byte[] in, long max) {
        this.in = in;
        this.max = max;
        this.out = new byte[(int) Math.min(max, Math.max(1 << 16, Math.min(in.length * 4L, 1 << 26)))];
    }

    /** Decodes all concatenated frames of {@code in}; fails beyond {@code max} output bytes. */
    static byte[] decode(byte[] in, long max) {
        Lz4FrameDecoder d = new Lz4FrameDecoder(in, max);
        do {
            d.frame();
        } while (d.pos + 4 <= in.length && d.int32() == MAGIC);
        return Arrays.copyOf(d.out, d.n);
    }

    private void frame() {
        if (int32() != MAGIC) {
            throw corrupt("bad frame magic");
        }
        pos += 4;
        int flg = u8();
        u8(); // BD: block maximum size, not needed when decoding into one array
        if ((flg >>> 6) != 1) {
            throw corrupt("unsupported frame version");
        }
        boolean blockChecksum = (flg & 0x10) != 0;
        boolean contentSize = (flg & 0x08) != 0;
        boolean contentChecksum = (flg & 0x04) != 0;
        boolean dictId = (flg & 0x01) != 0;
        if (dictId) {
            throw corrupt("frames with a dictionary id are not supported");
        }
        skip(contentSize ? 8 : 0);
        skip(1); // header checksum
        while (true) {
            need(4);
            int size = int32();
            pos += 4;
            if (size == 0) {
                break;
            }
            boolean stored = size < 0;
            int len = size & 0x7fffffff;
            need(len);
            if (stored) {
                ensure(len);
                System.arraycopy(in, pos, out, n, len);
                n += len;
            } else {
                block(pos, pos + len);
            }
            pos += len;
            skip(blockChecksum ? 4 : 0);
        }
        skip(contentChecksum ? 4 : 0);
    }

    /** One LZ4 block; matches may reach back into everything decoded so far. */
    private void block(int p, int end) {
        while (p < end) {
            int token = in[p++] & 0xff;
            long lit = token >>> 4;
            if (lit == 15) {
                int b;
                do {
                    if (p >= end) {
                        throw corrupt("truncated literal length");
                    }
                    b = in[p++] & 0xff;
                    lit += b;
                } while (b == 255 && lit < Integer.MAX_VALUE);
            }
            if (lit > end - p) {
                throw corrupt("literals run past the block");
            }
            ensure(lit);
            System.arraycopy(in, p, out, n, (int) lit);
            n += (int) lit;
            p += (int) lit;
            if (p == end) {
                return;
            }
            if (end - p < 2) {
                throw corrupt("truncated match offset");
            }
            int offset = (in[p] & 0xff) | (in[p + 1] & 0xff) << 8;
            p += 2;
            if (offset == 0 || offset > n) {
                throw corrupt("match offset " + offset + " points before the start of the data");
            }
            long match = token & 0x0f;
            if (match == 15) {
                int b;
                do {
                    if (p >= end) {
                        throw corrupt("truncated match length");
                    }
                    b = in[p++] & 0xff;
                    match += b;
                } while (b == 255 && match < Integer.MAX_VALUE);
            }
            match += 4;
            ensure(match);
            int from = n - offset;
            for (int i = 0; i < match; i++) {
                out[n + i] = out[from + i];
            }
            n += (int) match;
        }
    }

    private void ensure(long more) {
        if (n + more > max) {
            throw Ml2TensorException.of(ErrorCode.LIMIT_EXCEEDED, "the decompressed model exceeds the limit of "
                    + max + " bytes").hint("raise PickleLimits.maxDecodedBytes if the file is trusted").build();
        }
        if (n + more > out.length) {
            out = Arrays.copyOf(out, (int) Math.min(max, Math.max(n + more, out.length * 2L)));
        }
    }

    private int u8() {
        need(1);
        return in[pos++] & 0xff;
    }

    private int int32() {
        need(4);
        return (in[pos] & 0xff) | (in[pos + 1] & 0xff) << 8 | (in[pos + 2] & 0xff) << 16 | (in[pos + 3] & 0xff) << 24;
    }

    private void skip(int k) {
        need(k);
        pos += k;
    }

    private void need(long k) {
        if (k > in.length - pos) {
            throw corrupt("truncated frame");
        }
    }

    private static Ml2TensorException corrupt(String msg) {
        return Ml2TensorException.of(ErrorCode.MODEL_FORMAT, "corrupt lz4 stream: " + msg)
                .hint("the file is truncated or damaged; re-save the model").build();
    }
}
