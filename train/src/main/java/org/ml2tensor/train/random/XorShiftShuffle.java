package org.ml2tensor.train.random;

/**
 * scikit-learn's {@code SequentialDataset.shuffle}: Fisher–Yates over an index array driven by the
 * xorshift32 generator {@code our_rand_r} (a zero seed becomes 1; each draw is reduced modulo 2^31).
 */
public final class XorShiftShuffle {
    private XorShiftShuffle() {
    }

    /** Permutes {@code index[0..n)} in place with {@code seed} (an unsigned 32-bit value). */
    public static void shuffle(int[] index, int n, long seed) {
        int s = (int) seed;
        for (int i = 0; i < n - 1; i++) {
            if (s == 0) {
                s = 1;
            }
            s ^= s << 13;
            s ^= s >>> 17;
            s ^= s << 5;
            int r = s & 0x7FFF_FFFF; // the unsigned draw modulo 2^31
            int j = i + r % (n - i);
            int t = index[i];
            index[i] = index[j];
            index[j] = t;
        }
    }
}
