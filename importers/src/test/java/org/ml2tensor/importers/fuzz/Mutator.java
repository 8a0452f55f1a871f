package org.ml2tensor.importers.fuzz;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded byte mutations: bit flips, byte overwrites, truncation, deletion, duplication, insertion and
 * oversized little-endian length fields (2^32-1 or a power of two up to 2^59).
 */
public final class Mutator {
    private Mutator() {
    }

    /** One to three mutations of a copy of {@code src}. */
    public static byte[] mutate(byte[] src, SplittableRandom rnd) {
        byte[] b = src.clone();
        int ops = 1 + rnd.nextInt(3);
        for (int k = 0; k < ops && b.length > 2; k++) {
            int at = rnd.nextInt(b.length);
            switch (rnd.nextInt(7)) {
                case 0 -> b[at] ^= (byte) (1 << rnd.nextInt(8));
                case 1 -> b[at] = (byte) rnd.nextInt(256);
                case 2 -> b = Arrays.copyOf(b, at);
                case 3 -> {
                    int len = Math.min(b.length - at, 1 + rnd.nextInt(16));
                    byte[] out = new byte[b.length - len];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(b, at + len, out, at, b.length - at - len);
                    b = out;
                }
                case 4 -> {
                    int len = Math.min(b.length - at, 1 + rnd.nextInt(64));
                    byte[] out = new byte[b.length + len];
                    System.arraycopy(b, 0, out, 0, at + len);
                    System.arraycopy(b, at, out, at + len, b.length - at);
                    b = out;
                }
                case 5 -> {
                    byte[] out = new byte[b.length + 4];
                    System.arraycopy(b, 0, out, 0, at);
                    for (int j = 0; j < 4; j++) {
                        out[at + j] = (byte) rnd.nextInt(256);
                    }
                    System.arraycopy(b, at, out, at + 4, b.length - at);
                    b = out;
                }
                default -> {
                    long big = rnd.nextBoolean() ? 0xffff_ffffL : 1L << (20 + rnd.nextInt(40));
                    for (int j = 0; j < 8 && at + j < b.length; j++) {
                        b[at + j] = (byte) (big >>> (8 * j));
                    }
                }
            }
        }
        return b;
    }
}
