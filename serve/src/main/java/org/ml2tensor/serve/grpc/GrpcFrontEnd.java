package org.ml2tensor.serve.grpc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;

import org.ml2tensor.serve.AccessLog;
import org.ml2tensor.serve.InFlight;
import org.ml2tensor.serve.InferenceService;
import org.ml2tensor.serve.metrics.ServeMetrics;

/**
 * The gRPC side: a grpc-java Netty server whose calls go to {@link GrpcInferenceService}, on a fixed pool
 * of application threads ({@code grpc-app-N}, one per core, at least 2) that also encodes and sends every
 * answer — so the batch worker that completes a batch hands its answers over and goes straight back to
 * gathering the next one instead of encoding them one after the other.
 */
public final class GrpcFrontEnd {
    private final Server server;
    private final ExecutorService executor;

    private GrpcFrontEnd(Server server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Binds {@code host:port} (0 = a free port); {@code token}, when not null, is required on every call. */
    public static GrpcFrontEnd start(String host, int port, ServerCredentials credentials, long maxRequestBytes,
                                     String token, InferenceService service, ServeMetrics metrics, AccessLog accessLog,
                                     InFlight inFlight, String serverName, String serverVersion, List<String> extensions,
                                     BooleanSupplier ready) throws IOException {
        ExecutorService executor = executor(Math.max(2, Runtime.getRuntime().availableProcessors()));
        GrpcInferenceService impl = new GrpcInferenceService(service, metrics, accessLog, inFlight, serverName,
                serverVersion, extensions, ready, executor);
        NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress(host, port), credentials)
                .executor(executor)
                .maxInboundMessageSize((int) Math.min(Integer.MAX_VALUE, maxRequestBytes));
        if (token != null) {
            b.addService(ServerInterceptors.intercept(impl, new BearerTokenInterceptor(token)));
        } else {
            b.addService(impl);
        }
        try {
            return new GrpcFrontEnd(b.build().start(), executor);
        } catch (IOException | RuntimeException e) {
            executor.shutdownNow();
            throw e;
        }
    }

    /** A fixed pool of daemon threads; the handlers never block, so the unbounded queue only holds work. */
    static ExecutorService executor(int threads) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "grpc-app-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
    }

    public int port() {
        return server.getPort();
    }

    /** Stops taking new calls; calls in progress go on. */
    public void shutdown() {
        server.shutdown();
    }

    /** Waits up to {@code millis} for the calls in progress, then cancels what is left and stops the threads. */
    public void awaitTermination(long millis) throws InterruptedException {
        try {
            if (!server.awaitTermination(millis, TimeUnit.MILLISECONDS)) {
                server.shutdownNow();
            }
        } finally {
            executor.shutdown();
        }
    }

    /** Cancels everything at once. */
    public void shutdownNow() {
        server.shutdownNow();
        executor.shutdownNow();
    }
}
