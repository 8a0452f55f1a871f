package org.ml2tensor.importers;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import org.junit.jupiter.api.function.Executable;
import org.ml2tensor.error.Ml2TensorException;

/**
 * The hostile-input tests' time promise: a refusal within a budget of CPU time on the reading thread, so
 * that a machine shared with other builds cannot fail them; the wall-clock guard (6× the budget) still
 * stops a real hang.
 */
public final class CpuLimit {
    private CpuLimit() {
    }

    /** Runs {@code read}, which must throw an {@link Ml2TensorException} within {@code cpu} of CPU time. */
    public static Ml2TensorException refusedWithin(Duration cpu, Executable read) {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        long[] used = new long[1];
        Ml2TensorException e = assertTimeoutPreemptively(cpu.multipliedBy(6), () -> {
            long start = bean.getCurrentThreadCpuTime();
            try {
                return assertThrows(Ml2TensorException.class, read);
            } finally {
                used[0] = bean.getCurrentThreadCpuTime() - start;
            }
        });
        assertTrue(used[0] < cpu.toNanos(), "refused within " + cpu + " of CPU time, took " + used[0] / 1e9 + " s");
        return e;
    }
}
