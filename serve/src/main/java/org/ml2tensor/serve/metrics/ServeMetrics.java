package org.ml2tensor.serve.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * The server's Prometheus metrics, per model: requests by protocol and status, rows, rows and requests
 * per ONNX Runtime call (the dynamic batches), queue and inference time, errors, rejections, queue depth
 * and reloads. {@link #render()} gives the text exposition format served at {@code /metrics}.
 */
public final class ServeMetrics {
    private static final double[] SECONDS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
            0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    private static final double[] COUNTS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096, 16384, 65536};

    private final List<MetricFamily> families = new ArrayList<>();
    public final Counter requests = add(new Counter("ml2tensor_requests_total",
            "Inference requests answered, by model, protocol (http, grpc) and status (HTTP status code).",
            List.of("model", "protocol", "code")));
    public final Counter rows = add(new Counter("ml2tensor_rows_total", "Rows predicted.", List.of("model")));
    public final Counter errors = add(new Counter("ml2tensor_errors_total",
            "Requests answered with an error, by model and kind (bad_request, not_found, unavailable, ...).",
            List.of("model", "kind")));
    public final Histogram batchRows = add(new Histogram("ml2tensor_batch_rows",
            "Rows per ONNX Runtime call (dynamic batch size).", List.of("model"), COUNTS));
    public final Histogram batchRequests = add(new Histogram("ml2tensor_batch_requests",
            "Requests merged into one ONNX Runtime call.", List.of("model"), COUNTS));
    public final Histogram queueSeconds = add(new Histogram("ml2tensor_queue_seconds",
            "Time a request waited in the batching queue.", List.of("model"), SECONDS));
    public final Histogram inferenceSeconds = add(new Histogram("ml2tensor_inference_seconds",
            "Duration of one ONNX Runtime call (one batch).", List.of("model"), SECONDS));
    public final Histogram requestSeconds = add(new Histogram("ml2tensor_request_seconds",
            "Time from a request's arrival to its answer, by model and protocol.", List.of("model", "protocol"), SECONDS));
    public final Gauge queueDepth = add(new Gauge("ml2tensor_queue_depth",
            "Requests waiting in a model's batching queue.", List.of("model")));
    public final Gauge inFlight = add(new Gauge("ml2tensor_in_flight_requests",
            "Requests accepted and not yet answered.", List.of()));
    public final Counter reloads = add(new Counter("ml2tensor_model_reloads_total",
            "Model (re)loads after a file change, by result (ok, failed).", List.of("model", "result")));

    private <T extends MetricFamily> T add(T family) {
        families.add(family);
        return family;
    }

    /** All metrics in the Prometheus text format (version 0.0.4). */
    public String render() {
        StringBuilder out = new StringBuilder(4096);
        for (MetricFamily f : families) {
            f.render(out);
        }
        return out.toString();
    }
}
