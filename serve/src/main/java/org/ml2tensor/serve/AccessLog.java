package org.ml2tensor.serve;

import java.io.PrintStream;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Structured access log: one JSON object per answered request (time, protocol, method, path, model,
 * version, status, rows, bytes in/out, queue/inference/total microseconds, batch size, remote address).
 */
public final class AccessLog {
    private static final JsonFactory JSON = new JsonFactory();
    private final PrintStream out;

    private AccessLog(PrintStream out) {
        this.out = out;
    }

    /** Lines to standard error. */
    public static AccessLog stderr() {
        return new AccessLog(System.err);
    }

    /** Lines to {@code out}. */
    public static AccessLog to(PrintStream out) {
        return new AccessLog(out);
    }

    /** No access log. */
    public static AccessLog off() {
        return new AccessLog(null);
    }

    /** One answered request. */
    public record Entry(String protocol, String method, String path, String model, String version, int status,
                        int rows, long bytesIn, long bytesOut, long queueMicros, long inferMicros, long totalMicros,
                        int batchRows, String remote, String error) {
    }

    public boolean enabled() {
        return out != null;
    }

    public void log(Entry e) {
        if (out == null) {
            return;
        }
        java.io.StringWriter w = new java.io.StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("ts", Instant.now().toString());
            g.writeStringField("proto", e.protocol());
            g.writeStringField("method", e.method());
            g.writeStringField("path", e.path());
            if (e.model() != null) {
                g.writeStringField("model", e.model());
            }
            if (e.version() != null) {
                g.writeStringField("version", e.version());
            }
            g.writeNumberField("status", e.status());
            g.writeNumberField("rows", e.rows());
            g.writeNumberField("bytes_in", e.bytesIn());
            g.writeNumberField("bytes_out", e.bytesOut());
            g.writeNumberField("queue_us", e.queueMicros());
            g.writeNumberField("infer_us", e.inferMicros());
            g.writeNumberField("total_us", e.totalMicros());
            g.writeNumberField("batch_rows", e.batchRows());
            if (e.remote() != null) {
                g.writeStringField("remote", e.remote());
            }
            if (e.error() != null) {
                g.writeStringField("error", e.error());
            }
            g.writeEndObject();
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        out.println(w);
    }
}
