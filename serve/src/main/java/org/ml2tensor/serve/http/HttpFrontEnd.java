package org.ml2tensor.serve.http;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;

import org.ml2tensor.serve.AccessLog;
import org.ml2tensor.serve.InFlight;
import org.ml2tensor.serve.InferenceService;
import org.ml2tensor.serve.metrics.ServeMetrics;

/**
 * The REST side: a Netty HTTP/1.1 server (keep-alive, bodies aggregated up to the size limit, optional
 * TLS) whose requests go to {@link OipHttpHandler}.
 */
public final class HttpFrontEnd implements AutoCloseable {
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel listener;
    private final ChannelGroup connections;

    private HttpFrontEnd(EventLoopGroup boss, EventLoopGroup workers, Channel listener, ChannelGroup connections) {
        this.boss = boss;
        this.workers = workers;
        this.listener = listener;
        this.connections = connections;
    }

    /** Binds {@code host:port} (0 = a free port); {@code tls} may be null. */
    public static HttpFrontEnd start(String host, int port, long maxRequestBytes, SslContext tls,
                                     InferenceService service, ServeMetrics metrics, AccessLog accessLog,
                                     InFlight inFlight, Optional<String> token, String serverName, String serverVersion,
                                     List<String> extensions, BooleanSupplier ready) throws InterruptedException {
        OipHttpHandler.Shared shared = new OipHttpHandler.Shared(service, metrics, accessLog, inFlight, token,
                serverName, serverVersion, extensions, ready);
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(0, NioIoHandler.newFactory());
        int maxBody = (int) Math.min(Integer.MAX_VALUE - 8, maxRequestBytes);
        ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        try {
            ServerBootstrap b = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            connections.add(ch);
                            if (tls != null) {
                                ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                            }
                            ch.pipeline().addLast(new HttpServerCodec(4096, 16384, 65536));
                            ch.pipeline().addLast(new LimitedAggregator(maxBody));
                            ch.pipeline().addLast(new OipHttpHandler(shared));
                        }
                    });
            Channel ch = b.bind(new InetSocketAddress(host, port)).sync().channel();
            return new HttpFrontEnd(boss, workers, ch, connections);
        } catch (RuntimeException | InterruptedException e) {
            boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** The bound port. */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Stops accepting connections; open connections keep being served. */
    public void stopAccepting() {
        listener.close().syncUninterruptibly();
    }

    /**
     * Waits until every open connection has been closed (while draining, each is closed after its next
     * answer), at most {@code millis}.
     */
    public void awaitConnectionsClosed(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!connections.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    /** Closes every connection and the event loops. */
    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
