package org.ml2tensor.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;

import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.runtime.PredictorOptions;
import org.ml2tensor.serve.AccessLog;
import org.ml2tensor.serve.ModelServer;
import org.ml2tensor.serve.ServeConfig;

/** {@code ml2tensor serve MODEL_DIR|MODEL...}: the Open Inference Protocol server. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serves models over the Open Inference Protocol (KServe v2), REST and gRPC, with dynamic "
                + "batching. Every .onnx and source model (.pkl, .joblib, XGBoost .json/.ubj, LightGBM .txt; compiled "
                + "at start) in the given directories or files is served under its file name without the extension. "
                + "SIGTERM/SIGINT drain in-flight requests and exit 0.")
final class ServeCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "MODEL_DIR|MODEL", description = "Model files or directories of them.")
    List<Path> models;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDR",
            description = "Address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 for all interfaces).")
    String host;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "N",
            description = "REST port; 0 = any free port; -1 = no REST (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--grpc-port", defaultValue = "8081", paramLabel = "N",
            description = "gRPC port; 0 = any free port; -1 = no gRPC (default: ${DEFAULT-VALUE}).")
    int grpcPort;

    @Option(names = "--max-batch-rows", defaultValue = "256", paramLabel = "N",
            description = "Most rows merged into one ONNX Runtime call; 1 = no batching (default: ${DEFAULT-VALUE}).")
    int maxBatchRows;

    @Option(names = "--max-queue-delay-us", defaultValue = "500", paramLabel = "U",
            description = "How long the first request of a batch may wait for more, in microseconds "
                    + "(default: ${DEFAULT-VALUE}).")
    long maxQueueDelayMicros;

    @Option(names = "--max-queue", defaultValue = "1024", paramLabel = "N",
            description = "Requests a model's queue holds; beyond that requests get 503 + Retry-After "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxQueue;

    @Option(names = "--max-request-bytes", defaultValue = "67108864", paramLabel = "BYTES",
            description = "Largest request body / gRPC message (default: ${DEFAULT-VALUE}).")
    long maxRequestBytes;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Require 'Authorization: Bearer TOKEN' (gRPC metadata 'authorization') with the token in "
                    + "FILE on everything but the health endpoints. ML2TENSOR_SERVE_TOKEN works too.")
    Path tokenFile;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "TLS certificate chain (PEM) for REST and gRPC.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "TLS private key (unencrypted PKCS#8 PEM).")
    Path tlsKey;

    @Option(names = "--tls-client-ca", paramLabel = "PEM",
            description = "Require client certificates signed by these CAs (mutual TLS).")
    Path tlsClientCa;

    @Option(names = "--access-log", defaultValue = "-", paramLabel = "FILE|-|off",
            description = "JSON access log lines: - = stderr, off, or a file to append to (default: ${DEFAULT-VALUE}).")
    String accessLog;

    @Option(names = "--no-watch", description = "Do not reload models when their files change.")
    boolean noWatch;

    @Option(names = "--drain-seconds", defaultValue = "30", paramLabel = "S",
            description = "How long a shutdown waits for in-flight requests (default: ${DEFAULT-VALUE}).")
    int drainSeconds;

    @Option(names = "--workers", defaultValue = "0", paramLabel = "N",
            description = "Batches of one model that run at once, each on one thread; 0 = --threads or one per core.")
    int workers;

    @Mixin
    RunSettings run;

    @Mixin
    CompileSettings compile;

    @Override
    public Integer call() throws Exception {
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        int batchWorkers = workers > 0 ? workers : run.threads > 0 ? run.threads : cores;
        if (maxBatchRows < 1 || maxQueueDelayMicros < 0 || maxQueue < 1) {
            throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "--max-batch-rows and --max-queue must be >= 1 and "
                    + "--max-queue-delay-us >= 0").build();
        }
        PredictorOptions options = PredictorOptions.builder().device(run.device()).intraOpThreads(1).parallelRuns(1)
                .build();
        ServeConfig config = ServeConfig.defaults(models, port, grpcPort)
                .withHost(host)
                .withBatching(new ServeConfig.Batching(maxBatchRows, maxQueueDelayMicros, maxQueue, batchWorkers))
                .withMaxRequestBytes(maxRequestBytes)
                .withToken(token().orElse(null))
                .withTls(tls())
                .withWatch(!noWatch)
                .withDrainTimeout(Duration.ofSeconds(drainSeconds))
                .withAccessLog(accessLog())
                .withPredictorOptions(options)
                .withCompileOptions(compile.options().withExpectedBatchSize(maxBatchRows));
        ModelServer server = ModelServer.start(config);
        Runnable stop = () -> new Thread(server::shutdown, "shutdown").start();
        Signal.handle(new Signal("TERM"), s -> stop.run());
        Signal.handle(new Signal("INT"), s -> stop.run());
        System.err.println("ml2tensor serve: " + server.repository().all().size() + " model(s) "
                + server.repository().all().stream().map(m -> m.name() + " v" + m.version()).sorted().toList()
                + (server.httpPort() >= 0 ? "; REST http" + (tlsCert != null ? "s" : "") + "://" + host + ":"
                + server.httpPort() : "") + (server.grpcPort() >= 0 ? "; gRPC " + host + ":" + server.grpcPort() : "")
                + "; batching up to " + maxBatchRows + " rows, " + maxQueueDelayMicros + " us, " + batchWorkers
                + " worker(s)");
        server.awaitTermination();
        boolean clean = server.shutdown();
        System.err.println("ml2tensor serve: stopped" + (clean ? " after answering every accepted request"
                : "; some requests were still running after " + drainSeconds + " s"));
        return clean ? 0 : 1;
    }

    private Optional<String> token() throws IOException {
        if (tokenFile != null) {
            String t = Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
            if (t.isEmpty()) {
                throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "the token file is empty").at(tokenFile.toString())
                        .build();
            }
            return Optional.of(t);
        }
        String env = System.getenv("ML2TENSOR_SERVE_TOKEN");
        return env == null || env.isBlank() ? Optional.empty() : Optional.of(env.trim());
    }

    private ServeConfig.Tls tls() {
        if (tlsCert == null && tlsKey == null) {
            if (tlsClientCa != null) {
                throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "--tls-client-ca needs --tls-cert and --tls-key")
                        .build();
            }
            return null;
        }
        if (tlsCert == null || tlsKey == null) {
            throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "--tls-cert and --tls-key go together").build();
        }
        return new ServeConfig.Tls(tlsCert, tlsKey, Optional.ofNullable(tlsClientCa));
    }

    private AccessLog accessLog() throws IOException {
        return switch (accessLog) {
            case "-" -> AccessLog.stderr();
            case "off" -> AccessLog.off();
            default -> AccessLog.to(new java.io.PrintStream(Files.newOutputStream(Path.of(accessLog),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND), true,
                    StandardCharsets.UTF_8));
        };
    }
}
