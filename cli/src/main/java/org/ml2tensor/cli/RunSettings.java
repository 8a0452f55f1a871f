package org.ml2tensor.cli;

import java.nio.file.Path;
import java.time.Duration;

import picocli.CommandLine.Option;

import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.runtime.Device;
import org.ml2tensor.runtime.NoticeSink;
import org.ml2tensor.runtime.PredictorOptions;

/** Options of the commands that run models with ONNX Runtime. */
public final class RunSettings {
    @Option(names = "--device", defaultValue = "auto", paramLabel = "D",
            description = "auto (CUDA when usable, else CPU with one notice), cpu, or cuda (fails when CUDA is "
                    + "unusable) (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "CPU threads: large inputs run as N cache-sized chunks at once, each on one thread; "
                    + "0 = one per core; at most 4 per core unless --force-threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--quiet", description = "No progress bar and no notices (such as the CPU fallback); errors "
            + "are still reported.")
    boolean quiet;

    @Option(names = "--force-threads", description = "Accept --threads above 4 per available core.")
    boolean forceThreads;

    @Option(names = "--timeout", defaultValue = "0", paramLabel = "SECONDS",
            description = "Time limit of each prediction call (one batch of rows); past it ONNX Runtime is stopped "
                    + "and the command fails with exit status 9; 0 = no limit (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    @Option(names = "--max-output-bytes", defaultValue = "0", paramLabel = "BYTES",
            description = "Most bytes the outputs of one prediction call may take; an output wider at run time is "
                    + "refused with exit status 9; 0 = a quarter of the JVM heap (default: ${DEFAULT-VALUE}).")
    long maxOutputBytes;

    @Option(names = "--external-data-dir", paramLabel = "DIR",
            description = "Trust an .onnx model's external data (tensors stored in other files), but only files "
                    + "inside DIR. Without it such models are refused.")
    Path externalDataDir;

    @Option(names = "--no-cpu-companion", description = "On the CPU, run the model's portable graph for every call, "
            + "never its embedded CPU companion (one native TreeEnsemble kernel that small calls use; 'ml2tensor "
            + "inspect' says when a model has one).")
    boolean noCpuCompanion;

    Device device() {
        return CliValues.parse("--device", device,
                s -> Device.valueOf(s.toUpperCase(java.util.Locale.ROOT)), "auto, cpu, cuda");
    }

    /** {@code --threads}, checked: 0 (one per core) or 1 to 4 × cores, more only with {@code --force-threads}. */
    int checkedThreads() {
        if (threads < 0) {
            throw invalid("--threads", "the thread count must be at least 1, or 0 for one per core; got " + threads);
        }
        int max = PredictorOptions.Builder.maxThreads();
        if (threads > max && !forceThreads) {
            throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, threads + " threads is more than "
                            + PredictorOptions.MAX_THREADS_PER_CORE + " per available core (" + max + " here)")
                    .at("--threads").hint("use at most " + max + " threads, or --force-threads to insist").build();
        }
        return threads;
    }

    PredictorOptions options(int batchSize) {
        checkedThreads();
        if (!(timeoutSeconds >= 0) || timeoutSeconds > 1e9) {
            throw invalid("--timeout", "the time limit must be a number of seconds >= 0 (0 = none); got " + timeoutSeconds);
        }
        if (batchSize < 0 || batchSize > PredictorOptions.MAX_BATCH_SIZE) {
            throw invalid("--batch-size", "the batch size must be between 1 and " + PredictorOptions.MAX_BATCH_SIZE
                    + " rows; got " + batchSize);
        }
        if (maxOutputBytes < 0) {
            throw invalid("--max-output-bytes", "the output byte limit must be >= 0 (0 = a quarter of the heap); got " + maxOutputBytes);
        }
        PredictorOptions.Builder b = PredictorOptions.builder().device(device()).forceThreads(forceThreads)
                .maxOutputBytes(maxOutputBytes)
                .externalDataDir(externalDataDir).cpuCompanion(!noCpuCompanion).noticeSink(quiet ? NoticeSink.SILENT : NoticeSink.STDERR);
        if (timeoutSeconds > 0) {
            b.runTimeout(Duration.ofNanos(Math.max(1, (long) (timeoutSeconds * 1e9))));
        }
        if (threads > 0) {
            b.parallelRuns(threads).intraOpThreads(1);
        }
        if (batchSize > 0) {
            b.batchSize(batchSize);
        }
        return b.build();
    }

    private static Ml2TensorException invalid(String option, String message) {
        return Ml2TensorException.of(ErrorCode.INVALID_OPTION, message).at(option).build();
    }
}
