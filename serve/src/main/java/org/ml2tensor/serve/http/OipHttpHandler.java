package org.ml2tensor.serve.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;

import org.ml2tensor.serve.AccessLog;
import org.ml2tensor.serve.InFlight;
import org.ml2tensor.serve.InferResult;
import org.ml2tensor.serve.InferenceService;
import org.ml2tensor.serve.Reply;
import org.ml2tensor.serve.ServeError;
import org.ml2tensor.serve.metrics.ServeMetrics;

/**
 * Routes the Open Inference Protocol's REST endpoints: {@code /v2/health/live|ready}, {@code /v2}
 * (server metadata), {@code /v2/models/NAME[/versions/V]} (metadata), {@code .../ready} and
 * {@code .../infer}, plus {@code /metrics} (Prometheus). Inference is answered asynchronously when its
 * batch completes; the event loop never waits for a model.
 */
final class OipHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final String HEADER_LENGTH = "Inference-Header-Content-Length";
    private static final Pattern MODEL = Pattern.compile("/v2/models/([^/]+)(?:/versions/([^/]+))?(/ready|/infer)?/?");
    private static final byte[] EMPTY = new byte[0];

    /** What every connection's handler shares. */
    record Shared(InferenceService service, ServeMetrics metrics, AccessLog accessLog, InFlight inFlight,
                  Optional<String> token, String serverName, String serverVersion, List<String> extensions,
                  BooleanSupplier ready) {
    }

    private final Shared s;

    OipHttpHandler(Shared shared) {
        this.s = shared;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        long start = System.nanoTime();
        String path = new QueryStringDecoder(req.uri()).path();
        Call call = new Call(ctx, req, path, start);
        if (!req.decoderResult().isSuccess()) {
            call.error(null, new ServeError(ServeError.Kind.BAD_REQUEST, "malformed HTTP request"));
            return;
        }
        if (path.equals("/v2/health/live")) {
            call.respond(HttpResponseStatus.OK, EMPTY, null, null);
            return;
        }
        if (path.equals("/v2/health/ready")) {
            boolean ready = s.ready().getAsBoolean();
            call.respond(ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, EMPTY, null, null);
            return;
        }
        if (!authorized(req)) {
            FullHttpResponse r = response(HttpResponseStatus.UNAUTHORIZED,
                    JsonCodec.error("missing or wrong bearer token (send 'Authorization: Bearer TOKEN')"),
                    HttpHeaderValues.APPLICATION_JSON.toString());
            r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
            call.send(r, null, null, "unauthenticated");
            return;
        }
        if (path.equals("/metrics")) {
            call.respond(HttpResponseStatus.OK, s.metrics().render().getBytes(StandardCharsets.UTF_8),
                    "text/plain; version=0.0.4; charset=utf-8", null);
            return;
        }
        if (path.equals("/v2") || path.equals("/v2/")) {
            call.json(HttpResponseStatus.OK, JsonCodec.serverMetadata(s.serverName(), s.serverVersion(), s.extensions()));
            return;
        }
        Matcher m = MODEL.matcher(path);
        if (!m.matches()) {
            call.error(null, ServeError.notFound("no endpoint " + path + " (see the Open Inference Protocol: /v2, "
                    + "/v2/health/live, /v2/health/ready, /v2/models/NAME[/versions/V][/ready|/infer], /metrics)"));
            return;
        }
        String model = QueryStringDecoder.decodeComponent(m.group(1));
        String version = m.group(2) == null ? "" : QueryStringDecoder.decodeComponent(m.group(2));
        String action = m.group(3) == null ? "" : m.group(3);
        boolean post = req.method().equals(HttpMethod.POST);
        if (action.equals("/infer") != post) {
            call.error(model, new ServeError(ServeError.Kind.BAD_REQUEST, req.method() + " is not allowed on " + path
                    + " (infer takes POST, metadata and ready take GET)"));
            return;
        }
        InferenceService.Lookup lookup = s.service().lookup(model, version);
        switch (action) {
            case "/ready" -> call.respond(lookup.error() == null ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND,
                    EMPTY, null, model);
            case "" -> {
                if (lookup.error() != null) {
                    call.error(model, lookup.error());
                } else {
                    call.json(HttpResponseStatus.OK, JsonCodec.modelMetadata(lookup.model()));
                }
            }
            default -> infer(call, req, model, version);
        }
    }

    private void infer(Call call, FullHttpRequest req, String model, String version) {
        if (!s.inFlight().enter()) {
            call.closeAfter = true;
            call.error(model, ServeError.unavailable("the server is shutting down"));
            return;
        }
        try {
            String headerLength = req.headers().get(HEADER_LENGTH);
            int jsonLength = -1;
            if (headerLength != null) {
                try {
                    jsonLength = Integer.parseInt(headerLength.trim());
                } catch (NumberFormatException e) {
                    jsonLength = -2;
                }
                if (jsonLength < 0) {
                    call.exitInFlight = true;
                    call.error(model, ServeError.badRequest(HEADER_LENGTH + " must be a non-negative integer, got '"
                            + headerLength + "'"));
                    return;
                }
            }
            byte[] body = ByteBufUtil.getBytes(req.content());
            JsonCodec.Decoded d = JsonCodec.decodeInfer(model, version, body, jsonLength);
            if (d.error() != null) {
                call.exitInFlight = true;
                call.error(model, ServeError.badRequest(d.error().message()));
                return;
            }
            call.exitInFlight = true;
            // Encode and write the answer on this connection's event loop, not on the batch worker that
            // completes the reply: otherwise the worker encodes every answer of its batch one after the
            // other before it can gather the next batch, and that serial tail is what the p99 waits on.
            s.service().infer(d.request()).whenCompleteAsync((reply, failure) -> {
                if (failure != null) {
                    call.error(model, new ServeError(ServeError.Kind.INTERNAL, "inference failed: " + failure));
                } else if (reply instanceof Reply.Ok ok) {
                    call.result(ok.result());
                } else {
                    call.error(model, ((Reply.Failed) reply).error());
                }
            }, call.ctx.executor());
        } catch (RuntimeException e) {
            call.exitInFlight = true;
            call.error(model, new ServeError(ServeError.Kind.INTERNAL, "internal error: " + e));
        }
    }

    private boolean authorized(FullHttpRequest req) {
        if (s.token().isEmpty()) {
            return true;
        }
        String h = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = h.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, s.token().get().getBytes(StandardCharsets.UTF_8));
    }

    private static FullHttpResponse response(HttpResponseStatus status, byte[] body, String contentType) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        if (contentType != null) {
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return r;
    }

    /** One request's answer: writes it, logs it, counts it, and leaves the in-flight count when due. */
    private final class Call {
        final ChannelHandlerContext ctx;
        final boolean keepAlive;
        final String method;
        final String path;
        final long start;
        final long bytesIn;
        boolean closeAfter;
        boolean exitInFlight;

        Call(ChannelHandlerContext ctx, FullHttpRequest req, String path, long start) {
            this.ctx = ctx;
            this.keepAlive = HttpUtil.isKeepAlive(req);
            this.method = req.method().name();
            this.path = path;
            this.start = start;
            this.bytesIn = req.content().readableBytes();
        }

        void respond(HttpResponseStatus status, byte[] body, String contentType, String model) {
            send(response(status, body, contentType), model, null, null);
        }

        void json(HttpResponseStatus status, byte[] body) {
            respond(status, body, HttpHeaderValues.APPLICATION_JSON.toString());
        }

        void respond(HttpResponseStatus status, byte[] body, String contentType) {
            send(response(status, body, contentType), null, null, null);
        }

        void error(String model, ServeError e) {
            FullHttpResponse r = response(HttpResponseStatus.valueOf(e.kind().httpStatus()), JsonCodec.error(e.message()),
                    HttpHeaderValues.APPLICATION_JSON.toString());
            if (e.kind() == ServeError.Kind.UNAVAILABLE) {
                r.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
            }
            if (model != null) {
                s.metrics().errors.inc(model, e.kind().name().toLowerCase(java.util.Locale.ROOT));
            }
            send(r, model, null, e.message());
        }

        void result(InferResult result) {
            JsonCodec.Encoded enc = JsonCodec.encodeInfer(result);
            FullHttpResponse r;
            if (enc.headerLength() >= 0) {
                r = response(HttpResponseStatus.OK, enc.bytes(), HttpHeaderValues.APPLICATION_OCTET_STREAM.toString());
                r.headers().setInt(HEADER_LENGTH, enc.headerLength());
            } else {
                r = response(HttpResponseStatus.OK, enc.bytes(), HttpHeaderValues.APPLICATION_JSON.toString());
            }
            send(r, result.modelName(), result, null);
        }

        void send(FullHttpResponse r, String model, InferResult result, String error) {
            boolean close = closeAfter || !keepAlive || s.inFlight().draining();
            if (close) {
                r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            } else {
                r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            int status = r.status().code();
            long bytesOut = r.content().readableBytes();
            ctx.writeAndFlush(r).addListener(f -> {
                if (close) {
                    ctx.close();
                }
                if (exitInFlight) {
                    s.inFlight().exit();
                }
            });
            long total = System.nanoTime() - start;
            if (model != null && path.endsWith("/infer")) {
                s.metrics().requests.inc(model, "http", Integer.toString(status));
                s.metrics().requestSeconds.observe(total / 1e9, model, "http");
            }
            if (s.accessLog().enabled()) {
                InferResult.Timing t = result == null ? null : result.timing();
                int rows = result == null || result.outputs().isEmpty() ? 0 : (int) result.outputs().get(0).shape()[0];
                s.accessLog().log(new AccessLog.Entry("http", method, path, model,
                        result == null ? null : result.modelVersion(), status, rows, bytesIn, bytesOut,
                        t == null ? 0 : t.queueNanos() / 1000, t == null ? 0 : t.inferNanos() / 1000, total / 1000,
                        t == null ? 0 : t.batchRows(), String.valueOf(ctx.channel().remoteAddress()), error));
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
