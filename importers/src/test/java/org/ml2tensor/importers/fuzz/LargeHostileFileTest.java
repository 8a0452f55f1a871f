package org.ml2tensor.importers.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.importers.ModelFormat;
import org.ml2tensor.importers.ModelImporter;

/**
 * The other branch of the heap bound max(512 MiB, 20 × file size): a crafted pickle large enough that
 * 20 × its size is above 512 MiB (27 MiB of {@code EMPTY_LIST} opcodes, so the bound is 540 MiB), which
 * tries to create 28 million lists — over 700 MB of heap, more than 20 × its size. It is read in a child
 * JVM whose heap is exactly 20 × the file size and must be refused by the read budget (12 × file size,
 * LIMIT_EXCEEDED, exit status 9) within 10 s of CPU time, never by an {@code OutOfMemoryError}. (CPU
 * time, not wall time: on the shared 2-core build machine a wall clock measures the other builds.)
 */
class LargeHostileFileTest {
    static final int FILE_BYTES = 27 << 20;

    @Test
    void aFileAboveTwentySixMegabytesIsRefusedWithinTwentyTimesItsSize(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("flood.pkl");
        Files.write(file, HostileFiles.floodOf(']', FILE_BYTES));
        int heapMiB = (int) (20L * Files.size(file) >> 20);
        assertTrue(heapMiB > 512, "this file exercises the 20 x file size branch: " + heapMiB + " MiB");
        ForkedJvm.Result r = ForkedJvm.run(Child.class, heapMiB, 120, file.toString());
        System.out.println(r.output());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("REFUSED code=LIMIT_EXCEEDED"), r.output());
        assertTrue(r.output().contains("exceeds the reader's budget"), r.output());
    }

    /** Reads the file given as the argument in this (heap-limited) JVM; exit 0 when it is refused in time. */
    public static final class Child {
        private Child() {
        }

        public static void main(String[] args) {
            long start = System.nanoTime();
            try {
                ModelImporter.load(Path.of(args[0]), ModelFormat.SKLEARN);
                System.out.println("ACCEPTED");
                System.exit(1);
            } catch (Ml2TensorException e) {
                double seconds = (System.nanoTime() - start) / 1e9;
                double cpu = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                        .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
                System.out.println(String.format(Locale.ROOT, "REFUSED code=%s wallSeconds=%.2f cpuSeconds=%.2f peakHeapMiB=%d maxHeapMiB=%d: %s",
                        e.code(), seconds, cpu, ImporterFuzz.peakHeap() >> 20, Runtime.getRuntime().maxMemory() >> 20, e.getMessage()));
                System.exit(cpu < 10 ? 0 : 2);
            } catch (Throwable t) {
                System.out.println("FAILED " + t);
                System.exit(3);
            }
        }
    }
}
