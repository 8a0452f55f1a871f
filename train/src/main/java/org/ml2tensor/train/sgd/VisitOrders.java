package org.ml2tensor.train.sgd;

import java.util.HashMap;
import java.util.Map;
import org.ml2tensor.train.random.XorShiftShuffle;

/**
 * The visiting orders of {@code partial_fit} calls. With an int {@code random_state} every call draws the same
 * shuffle seed (a fresh {@code RandomState(int)} each call), so every chunk of the same length is visited in the
 * same order: it is shuffled once and kept, instead of shuffling a 400,000-row index (random swaps over 1.6 MB)
 * per chunk. The order is the same either way.
 */
final class VisitOrders {
    /** Orders kept at most (one per chunk length and one-vs-all problem; beyond that they are shuffled anew). */
    private static final int MAX_KEPT = 16;

    private record Key(int rows, long seed) {
    }

    private final Map<Key, int[]> kept = new HashMap<>();
    private int[] identity = new int[0];

    /**
     * The first epoch's order over {@code n} rows: {@code 0..n-1} shuffled with {@code seed}, kept when
     * {@code reusable} (the seed comes from an int random_state). Shared: do not modify it.
     */
    int[] shuffled(int n, long seed, boolean reusable) {
        Key key = new Key(n, seed);
        int[] order = reusable ? kept.get(key) : null;
        if (order != null) {
            return order;
        }
        order = fresh(n);
        XorShiftShuffle.shuffle(order, n, seed);
        if (reusable && kept.size() < MAX_KEPT) {
            kept.put(key, order);
        }
        return order;
    }

    /** {@code 0..n-1}, a fresh copy (later epochs shuffle it in place). */
    int[] fresh(int n) {
        if (identity.length != n) {
            identity = new int[n];
            for (int i = 0; i < n; i++) {
                identity[i] = i;
            }
        }
        return identity.clone();
    }
}
