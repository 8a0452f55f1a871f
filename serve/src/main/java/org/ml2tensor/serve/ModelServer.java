package org.ml2tensor.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import org.ml2tensor.compiler.Version;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.serve.grpc.GrpcFrontEnd;
import org.ml2tensor.serve.http.HttpFrontEnd;
import org.ml2tensor.serve.metrics.ServeMetrics;

/**
 * {@code ml2tensor serve}: loads the models, then answers the Open Inference Protocol over REST and gRPC
 * with dynamic batching, metrics, access logs, reload on change and a draining shutdown.
 *
 * <pre>{@code
 * try (ModelServer server = ModelServer.start(ServeConfig.defaults(List.of(dir), 8080, 8081))) {
 *     server.awaitTermination();
 * }
 * }</pre>
 */
public final class ModelServer implements AutoCloseable {
    /** Protocol extensions this server implements. */
    public static final List<String> EXTENSIONS = List.of("binary_tensor_data");
    private static final String NAME = "ml2tensor";
    /** After the drain, how long open connections get to finish their last exchange before being closed. */
    private static final long CONNECTION_GRACE_MILLIS = 1000;

    private final ServeConfig config;
    private final ServeMetrics metrics;
    private final ModelRepository repository;
    private final InFlight inFlight;
    private final HttpFrontEnd http;
    private final GrpcFrontEnd grpc;
    private final ModelWatcher watcher;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile boolean drainedCleanly = true;

    private ModelServer(ServeConfig config, ServeMetrics metrics, ModelRepository repository, HttpFrontEnd http,
                        GrpcFrontEnd grpc, ModelWatcher watcher, InFlight inFlight) {
        this.inFlight = inFlight;
        this.config = config;
        this.metrics = metrics;
        this.repository = repository;
        this.http = http;
        this.grpc = grpc;
        this.watcher = watcher;
    }

    /** Loads every model and starts the servers; fails (and releases everything) if any model cannot load. */
    public static ModelServer start(ServeConfig config) {
        return start(config, System.err::println);
    }

    /** Like {@link #start(ServeConfig)}, with reload and shutdown messages going to {@code log}. */
    public static ModelServer start(ServeConfig config, Consumer<String> log) {
        ServeMetrics metrics = new ServeMetrics();
        ModelRepository repository = new ModelRepository(new ModelLoader(config.predictorOptions(),
                config.compileOptions()), config.batching(), metrics);
        HttpFrontEnd http = null;
        GrpcFrontEnd grpc = null;
        ModelWatcher watcher = null;
        try {
            repository.loadAll(ModelSource.expand(config.models()));
            InferenceService service = new InferenceService(repository);
            Holder holder = new Holder();
            if (config.httpPort() >= 0) {
                http = HttpFrontEnd.start(config.host(), config.httpPort(), config.maxRequestBytes(), sslContext(config),
                        service, metrics, config.accessLog(), holder.inFlight, config.token(), NAME, Version.get(),
                        EXTENSIONS, holder::ready);
            }
            if (config.grpcPort() >= 0) {
                grpc = startGrpc(config, service, metrics, holder);
            }
            if (config.watch()) {
                watcher = new ModelWatcher(repository, metrics, config.models(), log);
            }
            ModelServer server = new ModelServer(config, metrics, repository, http, grpc, watcher, holder.inFlight);
            holder.server = server;
            metrics.inFlight.bind(() -> holder.inFlight.count());
            return server;
        } catch (IOException e) {
            closeQuietly(http, grpc, watcher, repository);
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            closeQuietly(http, grpc, watcher, repository);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        } catch (RuntimeException e) {
            closeQuietly(http, grpc, watcher, repository);
            throw e;
        }
    }

    /** Lets the front ends ask for readiness before the server object exists. */
    private static final class Holder {
        final InFlight inFlight = new InFlight();
        volatile ModelServer server;

        boolean ready() {
            return server != null && !inFlight.draining();
        }
    }

    private static GrpcFrontEnd startGrpc(ServeConfig config, InferenceService service, ServeMetrics metrics, Holder holder)
            throws IOException {
        ServerCredentials credentials = InsecureServerCredentials.create();
        if (config.tls().isPresent()) {
            ServeConfig.Tls tls = config.tls().get();
            TlsServerCredentials.Builder b = TlsServerCredentials.newBuilder()
                    .keyManager(tls.certificateChain().toFile(), tls.privateKey().toFile());
            if (tls.clientCa().isPresent()) {
                b.trustManager(tls.clientCa().get().toFile()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
            }
            credentials = b.build();
        }
        return GrpcFrontEnd.start(config.host(), config.grpcPort(), credentials, config.maxRequestBytes(),
                config.token().orElse(null), service, metrics, config.accessLog(), holder.inFlight, NAME, Version.get(),
                EXTENSIONS, holder::ready);
    }

    private static SslContext sslContext(ServeConfig config) {
        if (config.tls().isEmpty()) {
            return null;
        }
        ServeConfig.Tls tls = config.tls().get();
        try {
            SslContextBuilder b = SslContextBuilder.forServer(tls.certificateChain().toFile(), tls.privateKey().toFile());
            if (tls.clientCa().isPresent()) {
                b.trustManager(tls.clientCa().get().toFile()).clientAuth(ClientAuth.REQUIRE);
            }
            return b.build();
        } catch (IOException | IllegalArgumentException e) {
            throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "cannot use the TLS certificate/key: " + e.getMessage())
                    .at(tls.certificateChain().toString())
                    .hint("give a PEM certificate chain and an unencrypted PKCS#8 PEM key").cause(e).build();
        }
    }

    private static void closeQuietly(HttpFrontEnd http, GrpcFrontEnd grpc, ModelWatcher watcher, ModelRepository repository) {
        if (watcher != null) {
            watcher.close();
        }
        if (http != null) {
            http.close();
        }
        if (grpc != null) {
            grpc.shutdownNow();
        }
        repository.close();
    }

    /** The REST port, or -1 when REST is off. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    /** The gRPC port, or -1 when gRPC is off. */
    public int grpcPort() {
        return grpc == null ? -1 : grpc.port();
    }

    public ServeMetrics metrics() {
        return metrics;
    }

    public ModelRepository repository() {
        return repository;
    }

    /**
     * Graceful shutdown: answer every request already accepted while new ones get 503 + Connection: close
     * (and readiness fails), then stop accepting connections, give open ones a moment to finish their
     * last exchange, and close models and servers. Idempotent; returns whether every
     * in-flight request finished within the drain timeout.
     */
    public boolean shutdown() {
        if (!stopping.compareAndSet(false, true)) {
            awaitTermination();
            return drainedCleanly;
        }
        try {
            if (watcher != null) {
                watcher.close();
            }
            if (grpc != null) {
                grpc.shutdown();
            }
            // Draining: readiness fails and every new request is answered 503 + Connection: close, so no
            // request is left unanswered on a connection the server closes under it.
            try {
                drainedCleanly = inFlight.drain(config.drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
                if (http != null) {
                    http.stopAccepting();
                    http.awaitConnectionsClosed(CONNECTION_GRACE_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                drainedCleanly = false;
            }
            if (grpc != null) {
                try {
                    grpc.awaitTermination(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    grpc.shutdownNow();
                }
            }
            if (http != null) {
                http.close();
            }
            repository.close();
        } finally {
            terminated.countDown();
        }
        return drainedCleanly;
    }

    /** Blocks until {@link #shutdown()} has finished. */
    public void awaitTermination() {
        try {
            terminated.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Requests accepted and not yet answered. */
    public int inFlightRequests() {
        return inFlight.count();
    }

    /** Requests accepted since start, answered or not (requests refused while draining are not counted). */
    public long acceptedRequests() {
        return inFlight.admitted();
    }

    @Override
    public void close() {
        shutdown();
    }
}
