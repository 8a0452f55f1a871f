package org.ml2tensor.serve;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.runtime.PredictorOptions;

/**
 * Everything {@link ModelServer} needs to start.
 *
 * @param models            model files and/or directories (every model file in a directory is served)
 * @param host              address to bind (default loopback)
 * @param httpPort          REST port, 0 = any free port, -1 = no REST server
 * @param grpcPort          gRPC port, 0 = any free port, -1 = no gRPC server
 * @param batching          dynamic batching limits
 * @param maxRequestBytes   largest request body (REST) or message (gRPC) accepted
 * @param token             bearer token every non-health request must carry, if any
 * @param tls               certificate, key and (for mTLS) client CA, if any
 * @param watch             reload models when their files change
 * @param drainTimeout      how long a shutdown waits for in-flight requests
 * @param accessLog         where access log lines go
 * @param predictorOptions  ONNX Runtime options for every model
 * @param compileOptions    how source models are compiled at start
 */
public record ServeConfig(List<Path> models, String host, int httpPort, int grpcPort, Batching batching,
                          long maxRequestBytes, Optional<String> token, Optional<Tls> tls, boolean watch,
                          Duration drainTimeout, AccessLog accessLog, PredictorOptions predictorOptions,
                          CompileOptions compileOptions) {
    public ServeConfig {
        models = List.copyOf(models);
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(batching, "batching");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(accessLog, "accessLog");
        Objects.requireNonNull(predictorOptions, "predictorOptions");
        Objects.requireNonNull(compileOptions, "compileOptions");
        if (maxRequestBytes < 1024) {
            throw new IllegalArgumentException("maxRequestBytes must be at least 1024");
        }
    }

    /** Loopback, the given ports, default batching, 64 MiB requests, no token/TLS, watching, 30 s drain. */
    public static ServeConfig defaults(List<Path> models, int httpPort, int grpcPort) {
        return new ServeConfig(models, "127.0.0.1", httpPort, grpcPort, Batching.defaults(), 64L << 20,
                Optional.empty(), Optional.empty(), true, Duration.ofSeconds(30), AccessLog.stderr(),
                PredictorOptions.builder().intraOpThreads(1).parallelRuns(1).build(),
                CompileOptions.defaults().withExpectedBatchSize(Batching.defaults().maxBatchRows()));
    }

    public ServeConfig withBatching(Batching b) {
        return new ServeConfig(models, host, httpPort, grpcPort, b, maxRequestBytes, token, tls, watch, drainTimeout,
                accessLog, predictorOptions, compileOptions);
    }

    public ServeConfig withToken(String t) {
        return new ServeConfig(models, host, httpPort, grpcPort, batching, maxRequestBytes, Optional.ofNullable(t), tls,
                watch, drainTimeout, accessLog, predictorOptions, compileOptions);
    }

    public ServeConfig withTls(Tls t) {
        return new ServeConfig(models, host, httpPort, grpcPort, batching, maxRequestBytes, token, Optional.ofNullable(t),
                watch, drainTimeout, accessLog, predictorOptions, compileOptions);
    }

    public ServeConfig withMaxRequestBytes(long bytes) {
        return new ServeConfig(models, host, httpPort, grpcPort, batching, bytes, token, tls, watch, drainTimeout,
                accessLog, predictorOptions, compileOptions);
    }

    public ServeConfig withWatch(boolean w) {
        return new ServeConfig(models, host, httpPort, grpcPort, batching, maxRequestBytes, token, tls, w, drainTimeout,
                accessLog, predictorOptions, compileOptions);
    }

    public ServeConfig withAccessLog(AccessLog log) {
        return new ServeConfig(models, host, httpPort, grpcPort, batching, maxRequestBytes, token, tls, watch,
                drainTimeout, log, predictorOptions, compileOptions);
    }

    public ServeConfig withPredictorOptions(PredictorOptions o) {
        return new ServeConfig(models, host, httpPort, grpcPort, batching, maxRequestBytes, token, tls, watch,
                drainTimeout, accessLog, o, compileOptions);
    }

    public ServeConfig withCompileOptions(CompileOptions o) {
        return new ServeConfig(models, host, httpPort, grpcPort, batching, maxRequestBytes, token, tls, watch,
                drainTimeout, accessLog, predictorOptions, o);
    }

    public ServeConfig withHost(String h) {
        return new ServeConfig(models, h, httpPort, grpcPort, batching, maxRequestBytes, token, tls, watch,
                drainTimeout, accessLog, predictorOptions, compileOptions);
    }

    public ServeConfig withDrainTimeout(Duration d) {
        return new ServeConfig(models, host, httpPort, grpcPort, batching, maxRequestBytes, token, tls, watch, d,
                accessLog, predictorOptions, compileOptions);
    }

    /**
     * Dynamic batching limits.
     *
     * @param maxBatchRows       rows merged into one ONNX Runtime call (1 = no batching)
     * @param maxQueueDelayMicros how long the first request of a batch may wait for others
     * @param maxQueueRequests   requests a model's queue holds before answering 503
     * @param workers            batches of one model that run at once (each on one thread)
     */
    public record Batching(int maxBatchRows, long maxQueueDelayMicros, int maxQueueRequests, int workers) {
        public Batching {
            if (maxBatchRows < 1 || maxQueueDelayMicros < 0 || maxQueueRequests < 1 || workers < 1) {
                throw new IllegalArgumentException("invalid batching limits: rows " + maxBatchRows + ", delay "
                        + maxQueueDelayMicros + " us, queue " + maxQueueRequests + ", workers " + workers);
            }
        }

        public static Batching defaults() {
            return new Batching(256, 500, 1024, Math.max(1, Runtime.getRuntime().availableProcessors()));
        }
    }

    /**
     * TLS for both servers: PEM certificate chain and PKCS#8 key, and a CA bundle that client certificates
     * must chain to (mutual TLS) when present.
     */
    public record Tls(Path certificateChain, Path privateKey, Optional<Path> clientCa) {
    }
}
