package org.ml2tensor.runtime;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * Immutable settings of a {@link Predictor}: device, ONNX Runtime threads and graph optimisation,
 * the batch size used to split large inputs, an optional optimised-model cache file, and the CUDA
 * options that matter for exactness ({@code use_tf32}, off by default) and memory
 * ({@code gpu_mem_limit}). Build with {@link #builder()}; {@link #defaults()} is AUTO device,
 * ORT-chosen threads, all optimisations and batches of {@value #DEFAULT_BATCH_SIZE} rows.
 */
public final class PredictorOptions {
    /** Rows per ONNX Runtime run when an input is larger. */
    public static final int DEFAULT_BATCH_SIZE = 65_536;

    private static final PredictorOptions DEFAULTS = builder().build();

    private final Device device;
    private final int cudaDeviceId;
    private final int intraOpThreads;
    private final int interOpThreads;
    private final int parallelRuns;
    private final GraphOptimization optimization;
    private final int batchSize;
    private final Path optimizedModelCache;
    private final boolean cudaUseTf32;
    private final long gpuMemLimitBytes;
    private final NoticeSink noticeSink;

    private PredictorOptions(Builder b) {
        this.device = b.device;
        this.cudaDeviceId = b.cudaDeviceId;
        this.intraOpThreads = b.intraOpThreads;
        this.parallelRuns = b.parallelRuns;
        this.interOpThreads = b.interOpThreads;
        this.optimization = b.optimization;
        this.batchSize = b.batchSize;
        this.optimizedModelCache = b.optimizedModelCache;
        this.cudaUseTf32 = b.cudaUseTf32;
        this.gpuMemLimitBytes = b.gpuMemLimitBytes;
        this.noticeSink = b.noticeSink;
    }

    /** AUTO device, ORT-chosen thread counts, {@link GraphOptimization#ALL}, default batch size. */
    public static PredictorOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.device = device;
        b.cudaDeviceId = cudaDeviceId;
        b.intraOpThreads = intraOpThreads;
        b.parallelRuns = parallelRuns;
        b.interOpThreads = interOpThreads;
        b.optimization = optimization;
        b.batchSize = batchSize;
        b.optimizedModelCache = optimizedModelCache;
        b.cudaUseTf32 = cudaUseTf32;
        b.gpuMemLimitBytes = gpuMemLimitBytes;
        b.noticeSink = noticeSink;
        return b;
    }

    public Device device() {
        return device;
    }

    /** CUDA device ordinal used when the CUDA provider is chosen. */
    public int cudaDeviceId() {
        return cudaDeviceId;
    }

    /** Threads of ORT's intra-op pool; 0 lets ORT decide (one per physical core). */
    public int intraOpThreads() {
        return intraOpThreads;
    }

    /**
     * How many chunks of a large CPU call run at once (0 = one per available core). With more than one,
     * the session runs each chunk single-threaded unless {@link Builder#intraOpThreads} is set: on the CPU
     * provider, cache-sized chunks in parallel beat one large run on many intra-op threads (BENCHMARKS.md).
     */
    public int parallelRuns() {
        return parallelRuns;
    }

    /** {@link #parallelRuns()} resolved against the machine (at least 1). */
    public int effectiveParallelRuns() {
        return parallelRuns > 0 ? parallelRuns : Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /** Threads of ORT's inter-op pool; 0 lets ORT decide. */
    public int interOpThreads() {
        return interOpThreads;
    }

    public GraphOptimization optimization() {
        return optimization;
    }

    /** Maximum rows per ONNX Runtime run; larger inputs are split. */
    public int batchSize() {
        return batchSize;
    }

    /**
     * File holding the ORT-optimised model. When it exists and was produced from the same model bytes,
     * ORT version, optimisation level and provider, it is loaded without re-optimising; otherwise it
     * is (re)written when the session is created.
     */
    public Optional<Path> optimizedModelCache() {
        return Optional.ofNullable(optimizedModelCache);
    }

    /** CUDA {@code use_tf32}; false (the default) keeps float32 MatMul/GEMM exact. */
    public boolean cudaUseTf32() {
        return cudaUseTf32;
    }

    /** CUDA {@code gpu_mem_limit} in bytes; empty means no limit. */
    public OptionalLong gpuMemLimitBytes() {
        return gpuMemLimitBytes > 0 ? OptionalLong.of(gpuMemLimitBytes) : OptionalLong.empty();
    }

    /** Where notices such as the AUTO → CPU fallback go. */
    public NoticeSink noticeSink() {
        return noticeSink;
    }

    @Override
    public String toString() {
        return "PredictorOptions[device=" + device + ", cudaDeviceId=" + cudaDeviceId
                + ", intraOpThreads=" + intraOpThreads + ", parallelRuns=" + parallelRuns + ", interOpThreads=" + interOpThreads
                + ", optimization=" + optimization + ", batchSize=" + batchSize
                + ", optimizedModelCache=" + optimizedModelCache + ", cudaUseTf32=" + cudaUseTf32
                + ", gpuMemLimitBytes=" + gpuMemLimitBytes + "]";
    }

    /** Mutable builder of {@link PredictorOptions}; every setter validates its argument. */
    public static final class Builder {
        private Device device = Device.AUTO;
        private int cudaDeviceId;
        private int intraOpThreads;
        private int parallelRuns;
        private int interOpThreads;
        private GraphOptimization optimization = GraphOptimization.ALL;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private Path optimizedModelCache;
        private boolean cudaUseTf32;
        private long gpuMemLimitBytes;
        private NoticeSink noticeSink = NoticeSink.STDERR;

        private Builder() {
        }

        public Builder device(Device device) {
            this.device = Objects.requireNonNull(device, "device");
            return this;
        }

        /** Selects {@link Device#CUDA} on the given device ordinal. */
        public Builder cuda(int deviceId) {
            this.device = Device.CUDA;
            return cudaDeviceId(deviceId);
        }

        public Builder cudaDeviceId(int deviceId) {
            this.cudaDeviceId = nonNegative("CUDA device id", deviceId);
            return this;
        }

        public Builder intraOpThreads(int threads) {
            this.intraOpThreads = nonNegative("intra-op threads", threads);
            return this;
        }

        /** Chunks of one large CPU call run concurrently; 0 = one per available core, 1 = sequential. */
        public Builder parallelRuns(int runs) {
            if (runs < 0) {
                throw new IllegalArgumentException("parallelRuns must be >= 0");
            }
            this.parallelRuns = runs;
            return this;
        }

        public Builder interOpThreads(int threads) {
            this.interOpThreads = nonNegative("inter-op threads", threads);
            return this;
        }

        public Builder optimization(GraphOptimization optimization) {
            this.optimization = Objects.requireNonNull(optimization, "optimization");
            return this;
        }

        public Builder batchSize(int rows) {
            if (rows < 1) {
                throw invalid("batch size must be at least 1 row, got " + rows);
            }
            this.batchSize = rows;
            return this;
        }

        /** See {@link PredictorOptions#optimizedModelCache()}; {@code null} disables the cache. */
        public Builder optimizedModelCache(Path file) {
            this.optimizedModelCache = file;
            return this;
        }

        public Builder cudaUseTf32(boolean useTf32) {
            this.cudaUseTf32 = useTf32;
            return this;
        }

        /** CUDA memory arena limit in bytes; 0 means no limit. */
        public Builder gpuMemLimitBytes(long bytes) {
            if (bytes < 0) {
                throw invalid("GPU memory limit must not be negative, got " + bytes);
            }
            this.gpuMemLimitBytes = bytes;
            return this;
        }

        public Builder noticeSink(NoticeSink sink) {
            this.noticeSink = Objects.requireNonNull(sink, "noticeSink");
            return this;
        }

        public PredictorOptions build() {
            return new PredictorOptions(this);
        }

        private static int nonNegative(String what, int value) {
            if (value < 0) {
                throw invalid(what + " must not be negative, got " + value);
            }
            return value;
        }

        private static Ml2TensorException invalid(String message) {
            return Ml2TensorException.of(ErrorCode.INVALID_OPTION, message).build();
        }
    }
}
