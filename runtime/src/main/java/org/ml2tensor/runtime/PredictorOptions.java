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
    /** Largest accepted batch size in rows. */
    public static final int MAX_BATCH_SIZE = 1 << 24;
    /**
     * Default bound on one batch's input buffer (64 MiB): models with more than 256 float32 features get
     * fewer rows per run than {@link #DEFAULT_BATCH_SIZE} (a 16,384-feature float32 model runs 1,024 rows at
     * a time), so no buffer ever approaches the 2 GiB a Java buffer holds.
     */
    public static final long DEFAULT_MAX_BATCH_BYTES = 64L << 20;
    /** Parallel runs above this many per available core are refused unless {@link Builder#forceThreads}. */
    public static final int MAX_THREADS_PER_CORE = 4;

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
    private final long maxBatchBytes;
    private final java.time.Duration runTimeout;
    private final Path externalDataDir;
    private final long maxOutputBytes;
    private final boolean cpuCompanion;

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
        this.maxBatchBytes = b.maxBatchBytes;
        this.runTimeout = b.runTimeout;
        this.externalDataDir = b.externalDataDir;
        this.maxOutputBytes = b.maxOutputBytes;
        this.cpuCompanion = b.cpuCompanion;
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
        b.maxBatchBytes = maxBatchBytes;
        b.runTimeout = runTimeout;
        b.externalDataDir = externalDataDir;
        b.maxOutputBytes = maxOutputBytes;
        b.cpuCompanion = cpuCompanion;
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

    /**
     * Upper bound in bytes of one run's input buffer: a call runs at most
     * {@code maxBatchBytes / (features × element size)} rows at once (at least one), whatever {@link #batchSize()}.
     */
    public long maxBatchBytes() {
        return maxBatchBytes;
    }

    /** {@link #batchSize()} limited by {@link #maxBatchBytes()} for rows of {@code width} values of {@code bytes} each. */
    public int rowsPerBatch(long width, int bytes) {
        long rowBytes = Math.max(1, width) * bytes;
        return (int) Math.max(1, Math.min(batchSize, maxBatchBytes / rowBytes));
    }

    /**
     * Time limit of one {@code predict} call (all its ONNX Runtime runs); when it passes, the runs are
     * terminated through {@code RunOptions} and the call fails with LIMIT_EXCEEDED. Empty = no limit.
     */
    public Optional<java.time.Duration> runTimeout() {
        return Optional.ofNullable(runTimeout);
    }

    /**
     * The folder an ONNX model's external data (tensors stored outside the model file) may be read from.
     * Empty (the default): a model with external data is refused, because its locations are chosen by
     * whoever wrote the file. When set, every location must resolve (after normalisation and symlinks)
     * to a regular file inside this folder; the data is then read by ml2tensor and embedded before ONNX
     * Runtime sees the model.
     */
    public Optional<Path> externalDataDir() {
        return Optional.ofNullable(externalDataDir);
    }

    /**
     * Most bytes the outputs of one {@code predict} call may take once copied into Java arrays (all
     * outputs, all rows). An output's width is only known when ONNX Runtime returns it, so a hostile
     * {@code .onnx} can declare a dynamic width and return a huge one: it is refused (LIMIT_EXCEEDED)
     * before anything is copied. 0 (the default) = a quarter of the JVM's maximum heap, at least 64 MiB.
     */
    public long maxOutputBytes() {
        return maxOutputBytes > 0 ? maxOutputBytes : Math.max(64L << 20, Runtime.getRuntime().maxMemory() / 4);
    }

    /**
     * Whether small calls on ONNX Runtime's CPU provider may run the model's embedded CPU companion (one
     * native {@code TreeEnsemble} kernel, {@code ml2tensor.cpu_companion}) instead of the portable graph. The
     * compiler embeds one only where that kernel computes as the library does; default true.
     */
    public boolean cpuCompanion() {
        return cpuCompanion;
    }

    @Override
    public String toString() {
        return "PredictorOptions[device=" + device + ", cudaDeviceId=" + cudaDeviceId
                + ", intraOpThreads=" + intraOpThreads + ", parallelRuns=" + parallelRuns + ", interOpThreads=" + interOpThreads
                + ", optimization=" + optimization + ", batchSize=" + batchSize
                + ", optimizedModelCache=" + optimizedModelCache + ", cudaUseTf32=" + cudaUseTf32
                + ", gpuMemLimitBytes=" + gpuMemLimitBytes + ", maxBatchBytes=" + maxBatchBytes
                + ", runTimeout=" + runTimeout + ", externalDataDir=" + externalDataDir
                + ", maxOutputBytes=" + maxOutputBytes + ", cpuCompanion=" + cpuCompanion + "]";
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
        private long maxBatchBytes = DEFAULT_MAX_BATCH_BYTES;
        private java.time.Duration runTimeout;
        private Path externalDataDir;
        private long maxOutputBytes;
        private boolean forceThreads;
        private boolean cpuCompanion = true;

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

        /**
         * Chunks of one large CPU call run concurrently; 0 = one per available core, 1 = sequential. At most
         * {@value PredictorOptions#MAX_THREADS_PER_CORE} × available cores unless {@link #forceThreads(boolean)}
         * (checked by {@link #build()}).
         */
        public Builder parallelRuns(int runs) {
            if (runs < 0) {
                throw invalid("the thread count must be at least 1 (or 0 for one per core), got " + runs);
            }
            this.parallelRuns = runs;
            return this;
        }

        /** Accepts thread counts above {@value PredictorOptions#MAX_THREADS_PER_CORE} × available cores. */
        public Builder forceThreads(boolean force) {
            this.forceThreads = force;
            return this;
        }

        /** See {@link PredictorOptions#maxBatchBytes()}; at least 1 KiB. */
        public Builder maxBatchBytes(long bytes) {
            if (bytes < 1024) {
                throw invalid("the batch byte limit must be at least 1024 bytes, got " + bytes);
            }
            this.maxBatchBytes = bytes;
            return this;
        }

        /** See {@link PredictorOptions#runTimeout()}; {@code null} or zero = no limit. */
        public Builder runTimeout(java.time.Duration timeout) {
            if (timeout != null && timeout.isNegative()) {
                throw invalid("the time limit must not be negative, got " + timeout);
            }
            this.runTimeout = timeout == null || timeout.isZero() ? null : timeout;
            return this;
        }

        /** See {@link PredictorOptions#maxOutputBytes()}; 0 = the default (a quarter of the heap). */
        public Builder maxOutputBytes(long bytes) {
            if (bytes < 0) {
                throw invalid("the output byte limit must not be negative, got " + bytes);
            }
            this.maxOutputBytes = bytes;
            return this;
        }

        /** See {@link PredictorOptions#externalDataDir()}; {@code null} refuses external data (the default). */
        public Builder externalDataDir(Path dir) {
            this.externalDataDir = dir;
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
            if (rows < 1 || rows > MAX_BATCH_SIZE) {
                throw invalid("batch size must be between 1 and " + MAX_BATCH_SIZE + " rows, got " + rows);
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

        /** See {@link PredictorOptions#cpuCompanion()}; false always runs the main graph. */
        public Builder cpuCompanion(boolean use) {
            this.cpuCompanion = use;
            return this;
        }

        public Builder noticeSink(NoticeSink sink) {
            this.noticeSink = Objects.requireNonNull(sink, "noticeSink");
            return this;
        }

        /** @throws Ml2TensorException INVALID_OPTION for too many threads without {@link #forceThreads} */
        public PredictorOptions build() {
            int max = maxThreads();
            for (int n : new int[]{parallelRuns, intraOpThreads, interOpThreads}) {
                if (n > max && !forceThreads) {
                    throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, n + " threads is more than "
                                    + MAX_THREADS_PER_CORE + " per available core (" + max + " here)")
                            .at("--threads").hint("use at most " + max + " threads, or --force-threads to insist")
                            .build();
                }
            }
            return new PredictorOptions(this);
        }

        /** {@value PredictorOptions#MAX_THREADS_PER_CORE} × available cores. */
        public static int maxThreads() {
            return MAX_THREADS_PER_CORE * Math.max(1, Runtime.getRuntime().availableProcessors());
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
