package org.ml2tensor.runtime;

import java.util.List;

/**
 * A cheap check whether the CUDA execution provider can work on this machine, done before the costly
 * {@code SessionOptions.addCUDA} call (which first extracts a 344 MB provider library).
 */
@FunctionalInterface
interface CudaProbe {
    /** The probe of this process, computed once: NVIDIA device node plus CUDA 12 / cuDNN 9 libraries. */
    static CudaProbe system() {
        return SystemCudaProbe.INSTANCE;
    }

    /** A probe that always reports CUDA as possibly usable, so that {@code addCUDA} is attempted. */
    static CudaProbe assumeAvailable() {
        return () -> Result.AVAILABLE;
    }

    Result probe();

    /** Outcome of a probe: empty {@code missing} means CUDA may work (ORT still has the last word). */
    record Result(List<String> missing) {
        static final Result AVAILABLE = new Result(List.of());

        public Result {
            missing = List.copyOf(missing);
        }

        boolean available() {
            return missing.isEmpty();
        }

        /** E.g. {@code "no NVIDIA device node (/dev/nvidia0), libcudart.so.12 not found"}. */
        String describe() {
            return String.join(", ", missing);
        }
    }
}
