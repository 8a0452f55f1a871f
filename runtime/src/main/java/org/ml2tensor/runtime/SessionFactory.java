package org.ml2tensor.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * Creates the ORT session of a {@link Predictor} on the provider the options ask for.
 *
 * <ul>
 *   <li>CPU: a CPU-only session.</li>
 *   <li>CUDA: the probe must pass and ORT must accept the CUDA provider, otherwise
 *       {@code PROVIDER_UNAVAILABLE}.</li>
 *   <li>AUTO: CUDA when the probe passes and ORT accepts it, otherwise CPU and exactly one notice
 *       naming what is missing. A failing probe skips the costly {@code addCUDA} attempt.</li>
 * </ul>
 */
final class SessionFactory {
    static final String CUDA_HINT = "the CUDA provider of onnxruntime_gpu 1.26 needs an NVIDIA GPU with its driver, "
            + "CUDA 12.x (libcudart, libcublas, libcublasLt, libcufft, libcurand) and cuDNN 9.x on LD_LIBRARY_PATH; "
            + "or use --device cpu";

    private SessionFactory() {
    }

    /** An open session with the native objects that must outlive it; closing releases all of them. */
    record Opened(OrtSession session, OrtSession.SessionOptions sessionOptions, OrtCUDAProviderOptions cudaOptions,
                  Provider provider) implements AutoCloseable {
        @Override
        public void close() {
            try {
                session.close();
            } catch (OrtException e) {
                // Closing releases native memory only; nothing useful to report.
            } finally {
                sessionOptions.close();
                if (cudaOptions != null) {
                    cudaOptions.close();
                }
            }
        }
    }

    static Opened open(OrtEnvironment env, ModelSource model, PredictorOptions options, CudaProbe probe) {
        return switch (options.device()) {
            case CPU -> openOn(env, model, options, Provider.CPU);
            case CUDA -> openCudaStrict(env, model, options, probe);
            case AUTO -> openAuto(env, model, options, probe);
        };
    }

    /** A CPU-only ONNX Runtime build (the {@code onnxruntime} artifact) cannot run CUDA whatever the machine has. */
    static final String CPU_ONLY_BUILD = "CPU-only ONNX Runtime build";

    private static CudaProbe.Result probe(CudaProbe probe) {
        if (!OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA)) {
            return new CudaProbe.Result(java.util.List.of(CPU_ONLY_BUILD));
        }
        return probe.probe();
    }

    private static Opened openCudaStrict(OrtEnvironment env, ModelSource model, PredictorOptions options, CudaProbe probe) {
        CudaProbe.Result r = probe(probe);
        if (!r.available()) {
            throw unavailable("CUDA was requested but is not available: " + r.describe(), model, null);
        }
        try {
            return openOn(env, model, options, Provider.CUDA);
        } catch (CudaFailure f) {
            throw unavailable("CUDA was requested but ONNX Runtime could not use it: " + f.getMessage(), model, f.getCause());
        }
    }

    private static Opened openAuto(OrtEnvironment env, ModelSource model, PredictorOptions options, CudaProbe probe) {
        CudaProbe.Result r = probe(probe);
        String reason;
        if (r.available()) {
            try {
                return openOn(env, model, options, Provider.CUDA);
            } catch (CudaFailure f) {
                reason = f.getMessage();
            }
        } else {
            reason = r.describe();
        }
        Opened cpu = openOn(env, model, options, Provider.CPU);
        options.noticeSink().notice(fallbackNotice(r, reason));
        return cpu;
    }

    /**
     * The one-line CPU-fallback notice, e.g. {@code CUDA unavailable (no GPU device; run 'ml2tensor doctor'
     * for details); using CPU}: the first missing piece only; {@code ml2tensor doctor} lists everything.
     */
    static String fallbackNotice(CudaProbe.Result probe, String reason) {
        String why;
        if (!probe.available()) {
            String first = probe.missing().get(0);
            why = first.startsWith("no NVIDIA") ? "no GPU device" : first.equals(CPU_ONLY_BUILD) ? first
                    : "missing " + first.replace(" not found", "")
                    + (probe.missing().size() > 1 ? " and " + (probe.missing().size() - 1) + " more" : "");
        } else {
            why = reason.length() > 80 ? reason.substring(0, 77) + "..." : reason;
        }
        return "CUDA unavailable (" + why + "; run 'ml2tensor doctor' for details); using CPU";
    }

    private static Ml2TensorException unavailable(String message, ModelSource model, Throwable cause) {
        return Ml2TensorException.of(ErrorCode.PROVIDER_UNAVAILABLE, message).at(model.displayName())
                .hint(CUDA_HINT).cause(cause).build();
    }

    /**
     * Opens a session on one provider. A failure that only the CUDA provider can cause (adding it, or
     * creating the session with it) is a {@link CudaFailure} so the caller can fall back or report it.
     */
    private static Opened openOn(OrtEnvironment env, ModelSource model, PredictorOptions options, Provider provider) {
        OptimizedModelCache cache = options.optimizedModelCache()
                .map(p -> OptimizedModelCache.of(p, model, env, options, provider)).orElse(null);
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        OrtCUDAProviderOptions cuda = null;
        boolean ok = false;
        try {
            configure(so, options, cache);
            if (provider == Provider.CUDA) {
                try {
                    OrtNatives.ensureProvider("onnxruntime_providers_cuda");
                    cuda = new OrtCUDAProviderOptions(options.cudaDeviceId());
                    cuda.add("use_tf32", options.cudaUseTf32() ? "1" : "0");
                    if (options.gpuMemLimitBytes().isPresent()) {
                        cuda.add("gpu_mem_limit", Long.toString(options.gpuMemLimitBytes().getAsLong()));
                    }
                    so.addCUDA(cuda);
                } catch (OrtException | RuntimeException | LinkageError e) {
                    throw new CudaFailure(OrtErrors.firstLine(e.getMessage()), e);
                }
            }
            OrtSession session = createSession(env, model, so, cache, provider);
            ok = true;
            return new Opened(session, so, cuda, provider);
        } catch (OrtException e) {
            throw OrtErrors.loading(e, model.displayName());
        } finally {
            if (!ok) {
                so.close();
                if (cuda != null) {
                    cuda.close();
                }
            }
        }
    }

    private static void configure(OrtSession.SessionOptions so, PredictorOptions options, OptimizedModelCache cache)
            throws OrtException {
        if (options.intraOpThreads() > 0) {
            so.setIntraOpNumThreads(options.intraOpThreads());
        } else if (options.effectiveParallelRuns() > 1) {
            // Large calls run as parallel chunks, each on one thread (see PredictorOptions.parallelRuns).
            so.setIntraOpNumThreads(1);
        }
        if (options.interOpThreads() > 0) {
            so.setInterOpNumThreads(options.interOpThreads());
        }
        if (cache != null && cache.isValid()) {
            so.setOptimizationLevel(GraphOptimization.NONE.ortLevel());
        } else {
            so.setOptimizationLevel(options.optimization().ortLevel());
            if (cache != null) {
                cache.prepareWrite();
                so.setOptimizedModelFilePath(cache.file().toString());
            }
        }
    }

    private static OrtSession createSession(OrtEnvironment env, ModelSource model, OrtSession.SessionOptions so,
                                            OptimizedModelCache cache, Provider provider) throws OrtException {
        try {
            OrtSession s;
            if (cache != null && cache.isValid()) {
                s = env.createSession(cache.file().toString(), so);
            } else if (model instanceof ModelSource.File f) {
                s = env.createSession(f.path().toString(), so);
            } else {
                s = env.createSession(model.bytes(), so);
            }
            if (cache != null && !cache.isValid()) {
                cache.commit();
            }
            return s;
        } catch (OrtException e) {
            if (provider == Provider.CUDA && looksLikeCudaFailure(e)) {
                throw new CudaFailure(OrtErrors.firstLine(e.getMessage()), e);
            }
            throw e;
        }
    }

    /** Model errors surface the same on CPU; only provider failures justify a CUDA fallback. */
    private static boolean looksLikeCudaFailure(OrtException e) {
        return switch (e.getCode()) {
            case ORT_INVALID_PROTOBUF, ORT_NO_SUCHFILE, ORT_INVALID_GRAPH, ORT_NO_MODEL -> false;
            default -> true;
        };
    }

    /** The CUDA provider could not be added or could not run this session. */
    static final class CudaFailure extends RuntimeException {
        CudaFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
