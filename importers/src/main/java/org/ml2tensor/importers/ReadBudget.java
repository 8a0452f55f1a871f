package org.ml2tensor.importers;

import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * The work budget of one model read: an estimate, in bytes, of everything the readers create (decoded
 * streams, pickle objects and container slots, arrays materialised for the IR, IR trees and steps).
 * Every reader charges what it is about to create before creating it, so a small hostile file that
 * references one object a million times, copies a dict in a loop or declares huge sizes fails with
 * {@link ErrorCode#LIMIT_EXCEEDED} ("exceeds the reader's budget") instead of exhausting time or memory.
 *
 * <p>The budget belongs to the thread that reads: {@link #open} starts it (a nested open shares the outer
 * budget) and {@link #current} finds it. Reads with no open budget are not limited by it.
 */
public final class ReadBudget {
    /** Smallest automatic budget: small files may always create this much. */
    public static final long FLOOR_BYTES = 256L << 20;
    /** Automatic budget per byte of input. */
    public static final int BYTES_PER_INPUT_BYTE = 12;

    private static final ThreadLocal<ReadBudget> CURRENT = new ThreadLocal<>();
    private static final ReadBudget UNLIMITED = new ReadBudget(Long.MAX_VALUE, true);

    private final long limit;
    private final boolean automatic;
    private long used;

    private ReadBudget(long limit, boolean automatic) {
        this.limit = limit;
        this.automatic = automatic;
    }

    /** The automatic budget of an input of {@code inputBytes}: max(256 MiB, 12 × input). */
    public static long automatic(long inputBytes) {
        long scaled = inputBytes > Long.MAX_VALUE / BYTES_PER_INPUT_BYTE ? Long.MAX_VALUE
                : inputBytes * BYTES_PER_INPUT_BYTE;
        return Math.max(FLOOR_BYTES, scaled);
    }

    /**
     * Starts the budget of a read on this thread, or joins the one already open. {@code limitBytes} is the
     * budget; {@code automatic} says whether it was derived from the input size (it changes the hint).
     */
    public static Scope open(long limitBytes, boolean automatic) {
        if (limitBytes <= 0) {
            throw new IllegalArgumentException("a read budget must be positive");
        }
        if (CURRENT.get() != null) {
            return () -> { };
        }
        CURRENT.set(new ReadBudget(limitBytes, automatic));
        return CURRENT::remove;
    }

    /** Starts the automatic budget of an input of {@code inputBytes} unless a budget is already open. */
    public static Scope openFor(long inputBytes, ImportOptions options) {
        return options.readBudgetBytes() > 0 ? open(options.readBudgetBytes(), false)
                : open(automatic(inputBytes), true);
    }

    /** The budget open on this thread (an unlimited one when none is). */
    public static ReadBudget current() {
        ReadBudget b = CURRENT.get();
        return b == null ? UNLIMITED : b;
    }

    /** Charges the open budget of this thread (if any): see {@link #spend}. */
    public static void charge(long bytes, String what) {
        ReadBudget b = CURRENT.get();
        if (b != null) {
            b.spend(bytes, what);
        }
    }

    /**
     * Records that {@code bytes} are about to be created for {@code what}; fails with
     * {@link ErrorCode#LIMIT_EXCEEDED} when the total would pass the budget.
     */
    public void spend(long bytes, String what) {
        if (bytes < 0 || bytes > limit - used) {
            used = limit;
            throw exceeded(what);
        }
        used += bytes;
    }

    /**
     * Charges the IR tree about to be built (or referenced again): per node a feature index, a threshold,
     * two child indices, a missing-value direction and {@code valuesPerNode} leaf values, twice (the IR and
     * the lowered tables).
     */
    public static void chargeTree(long nodes, long valuesPerNode, String what) {
        charge(256 + nodes * (48 + 16 * Math.max(1, valuesPerNode)), what);
    }

    /**
     * Charges a declared feature or output count before arrays of that width are built (every feature
     * costs at least an input column and a table entry).
     */
    public static void chargeWidth(long width, String what) {
        charge(16 * Math.max(0, width), what);
    }

    /** Bytes still available. */
    public long remaining() {
        return limit - used;
    }

    public long limit() {
        return limit;
    }

    private Ml2TensorException exceeded(String what) {
        return Ml2TensorException.of(ErrorCode.LIMIT_EXCEEDED, "reading the model exceeds the reader's budget of "
                        + limit + " bytes of objects created (at " + what + ")")
                .hint(automatic
                        ? "the file creates far more than its size suggests (a budget of max(256 MiB, "
                        + BYTES_PER_INPUT_BYTE + " × file size)); if it is trusted, raise it with --read-budget SIZE"
                        + " (Java: ImportOptions.withReadBudget)"
                        : "raise --read-budget (ImportOptions.withReadBudget) if the file is trusted")
                .build();
    }

    /** Closes the budget opened by {@link #open} (a no-op for a joined one). */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
