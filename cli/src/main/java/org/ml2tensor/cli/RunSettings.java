package org.ml2tensor.cli;

import picocli.CommandLine.Option;

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
                    + "0 = one per core (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--quiet", description = "No progress bar and no notices (such as the CPU fallback); errors "
            + "are still reported.")
    boolean quiet;

    Device device() {
        return CliValues.parse("--device", device,
                s -> Device.valueOf(s.toUpperCase(java.util.Locale.ROOT)), "auto, cpu, cuda");
    }

    PredictorOptions options(int batchSize) {
        PredictorOptions.Builder b = PredictorOptions.builder().device(device())
                .noticeSink(quiet ? NoticeSink.SILENT : NoticeSink.STDERR);
        if (threads > 0) {
            b.parallelRuns(threads).intraOpThreads(1);
        }
        if (batchSize > 0) {
            b.batchSize(batchSize);
        }
        return b.build();
    }
}
