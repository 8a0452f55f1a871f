package org.ml2tensor.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reuses native-order direct byte buffers between predictor calls. A buffer is owned by one call
 * between {@link #acquire} and {@link #release}, so concurrent calls never share one. Capacities are
 * rounded up to powers of two; at most {@code maxPerSize} idle buffers are kept per capacity.
 */
final class DirectBufferPool {
    private static final int MIN_BYTES = 1 << 12;

    private final ConcurrentHashMap<Integer, ConcurrentLinkedQueue<ByteBuffer>> idle = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, AtomicInteger> idleCounts = new ConcurrentHashMap<>();
    private final int maxPerSize;

    DirectBufferPool(int maxPerSize) {
        this.maxPerSize = maxPerSize;
    }

    /** A cleared buffer with at least {@code bytes} capacity (its limit is its capacity). */
    ByteBuffer acquire(long bytes) {
        int capacity = capacityFor(bytes);
        ConcurrentLinkedQueue<ByteBuffer> q = idle.get(capacity);
        ByteBuffer b = q == null ? null : q.poll();
        if (b != null) {
            idleCounts.get(capacity).decrementAndGet();
            b.clear();
            return b;
        }
        return ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
    }

    /** Returns a buffer obtained from {@link #acquire}; {@code null} is ignored. */
    void release(ByteBuffer b) {
        if (b == null) {
            return;
        }
        int capacity = b.capacity();
        AtomicInteger count = idleCounts.computeIfAbsent(capacity, c -> new AtomicInteger());
        if (count.incrementAndGet() > maxPerSize) {
            count.decrementAndGet();
            return;
        }
        idle.computeIfAbsent(capacity, c -> new ConcurrentLinkedQueue<>()).add(b);
    }

    static int capacityFor(long bytes) {
        if (bytes > (1L << 30)) {
            if (bytes > Integer.MAX_VALUE - 64) {
                throw new IllegalArgumentException("a batch of " + bytes + " bytes exceeds the 2 GiB direct buffer limit");
            }
            return (int) bytes;
        }
        long c = Math.max(MIN_BYTES, Long.highestOneBit(Math.max(1, bytes - 1)) << 1);
        return (int) c;
    }
}
