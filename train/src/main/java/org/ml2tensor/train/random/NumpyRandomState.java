package org.ml2tensor.train.random;

/**
 * numpy's legacy {@code np.random.RandomState(seed)}: MT19937 seeded with {@code init_genrand} and the
 * masked-rejection {@code randint} that scikit-learn's SGD uses to draw its dataset and shuffle seeds.
 * Only what those draws need is implemented.
 */
public final class NumpyRandomState {
    private static final int N = 624;
    private static final int M = 397;

    private final int[] mt = new int[N];
    private int index;

    /** {@code RandomState(seed)} for {@code 0 <= seed < 2^32}. */
    public NumpyRandomState(long seed) {
        if (seed < 0 || seed > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("Seed must be between 0 and 2**32 - 1: " + seed);
        }
        mt[0] = (int) seed;
        for (int i = 1; i < N; i++) {
            int prev = mt[i - 1];
            mt[i] = 1812433253 * (prev ^ (prev >>> 30)) + i;
        }
        index = N;
    }

    /** The next raw 32-bit output ({@code genrand_int32}), as an unsigned value. */
    public long nextUint32() {
        if (index >= N) {
            twist();
        }
        int y = mt[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xFFFF_FFFFL;
    }

    private void twist() {
        for (int i = 0; i < N; i++) {
            int y = (mt[i] & 0x8000_0000) | (mt[(i + 1) % N] & 0x7FFF_FFFF);
            int v = mt[(i + M) % N] ^ (y >>> 1);
            if ((y & 1) != 0) {
                v ^= 0x9908b0df;
            }
            mt[i] = v;
        }
        index = 0;
    }

    /** {@code randint(low, high)}: a value in [low, high) by masked rejection (range below 2^32). */
    public long randint(long low, long high) {
        long rng = high - low - 1;
        if (rng < 0 || rng > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("range [" + low + ", " + high + ") unsupported");
        }
        if (rng == 0) {
            return low;
        }
        long mask = rng;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        long v;
        do {
            v = nextUint32() & mask;
        } while (v > rng);
        return low + v;
    }

    /** {@code randint(high)}. */
    public long randint(long high) {
        return randint(0, high);
    }

    /** {@code random_sample()}: a 53-bit double in [0, 1) from two 32-bit outputs ({@code genrand_res53}). */
    public double randomSample() {
        long a = nextUint32() >>> 5;
        long b = nextUint32() >>> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /** The generator's state (key and position), for checkpoints. */
    public void writeState(java.io.DataOutputStream out) throws java.io.IOException {
        for (int v : mt) {
            out.writeInt(v);
        }
        out.writeInt(index);
    }

    /** A generator restored from {@link #writeState}. */
    public static NumpyRandomState readState(java.io.DataInputStream in) throws java.io.IOException {
        NumpyRandomState r = new NumpyRandomState(0);
        for (int i = 0; i < N; i++) {
            r.mt[i] = in.readInt();
        }
        int idx = in.readInt();
        if (idx < 0 || idx > N) {
            throw new java.io.IOException("corrupt random state position " + idx);
        }
        r.index = idx;
        return r;
    }
}
