package org.ml2tensor.serve.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.stub.StreamObserver;

import org.ml2tensor.serve.grpc.v2.GRPCInferenceServiceGrpc;
import org.ml2tensor.serve.grpc.v2.InferTensorContents;
import org.ml2tensor.serve.grpc.v2.ModelInferRequest;
import org.ml2tensor.serve.grpc.v2.ModelInferResponse;

/**
 * Closed-loop gRPC load generator for {@code ml2tensor serve} (loopback only, bounded in time and count), the
 * gRPC counterpart of {@link LoadGenerator}: {@code --clients} logical clients, each with one one-row
 * {@code ModelInfer} call in flight at a time (the next is sent when the answer arrives), multiplexed as
 * HTTP/2 streams over {@code --connections} connections (default 1) whose callbacks run on one Netty event
 * loop thread — so that on a 2-core machine the generator takes little CPU from the server. Rows are taken in
 * turn from a CSV with a header; {@code --raw} sends them as {@code raw_input_contents} (little-endian FP32
 * bytes) instead of typed {@code fp32_contents}. Prints one JSON line with the same fields as
 * {@link LoadGenerator}'s closed loop (latency from sending a call to its answer), CPU accounting
 * ({@code --server-pid}) included.
 *
 * <pre>
 * java -cp "serve/target/test-classes:cli/target/lib/*" org.ml2tensor.serve.bench.GrpcLoadGenerator \
 *     --port 8081 --model rf500_d8 --rows input.csv --clients 64 --seconds 10 --warmup 2
 * </pre>
 * The server must run with its gRPC port on (its default, {@code --grpc-port 8081}).
 */
public final class GrpcLoadGenerator {
    private static final int MAX_SAMPLES = 4_000_000;

    private GrpcLoadGenerator() {
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 8081;
        String model = null;
        Path rowsFile = null;
        int clients = 1;
        int connections = 1;
        double seconds = 10;
        double warmup = 2;
        long maxRequests = 1_000_000;
        boolean raw = false;
        long serverPid = -1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--model" -> model = args[++i];
                case "--rows" -> rowsFile = Path.of(args[++i]);
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--max-requests" -> maxRequests = Long.parseLong(args[++i]);
                case "--raw" -> raw = true;
                case "--server-pid" -> serverPid = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("::1")) {
            throw new IllegalArgumentException("loopback only: --host must be 127.0.0.1, localhost or ::1");
        }
        if (model == null || rowsFile == null || clients < 1 || connections < 1) {
            throw new IllegalArgumentException("--model and --rows are required; --clients and --connections >= 1");
        }
        List<ModelInferRequest> requests = requests(model, rowsFile, raw);
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        List<ManagedChannel> channels = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            channels.add(NettyChannelBuilder.forAddress(host, port).usePlaintext().directExecutor()
                    .eventLoopGroup(loop).channelType(NioSocketChannel.class).build());
        }
        try {
            if (warmup > 0) {
                phase(channels, requests, clients, (long) (warmup * 1e9), maxRequests, false);
            }
            LoadGenerator.Cpu cpu = LoadGenerator.Cpu.start(serverPid);
            Result r = phase(channels, requests, clients, (long) (seconds * 1e9), maxRequests, true);
            String used = cpu.json();
            String line = r.json(clients, connections, raw);
            System.out.println(line.substring(0, line.length() - 1) + "," + used + "}");
        } finally {
            for (ManagedChannel c : channels) {
                c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static List<ModelInferRequest> requests(String model, Path rowsFile, boolean raw) throws Exception {
        List<String> lines = Files.readAllLines(rowsFile, StandardCharsets.UTF_8);
        List<ModelInferRequest> out = new ArrayList<>();
        for (String line : lines.subList(1, Math.min(lines.size(), 1001))) {
            String[] cells = line.split(",", -1);
            float[] row = new float[cells.length];
            for (int i = 0; i < cells.length; i++) {
                String c = cells[i].trim();
                row[i] = c.isEmpty() || c.equalsIgnoreCase("nan") ? Float.NaN : Float.parseFloat(c);
            }
            ModelInferRequest.InferInputTensor.Builder in = ModelInferRequest.InferInputTensor.newBuilder()
                    .setName("input").setDatatype("FP32").addShape(1).addShape(row.length);
            ModelInferRequest.Builder b = ModelInferRequest.newBuilder().setModelName(model);
            if (raw) {
                ByteBuffer bytes = ByteBuffer.allocate(row.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : row) {
                    bytes.putFloat(v);
                }
                b.addInputs(in).addRawInputContents(ByteString.copyFrom(bytes.array()));
            } else {
                InferTensorContents.Builder c = InferTensorContents.newBuilder();
                for (float v : row) {
                    c.addFp32Contents(v);
                }
                b.addInputs(in.setContents(c));
            }
            out.add(b.build());
        }
        return out;
    }

    /** Measured figures of one phase. */
    record Result(long requests, long errors, double seconds, long[] latenciesNanos) {
        String json(int clients, int connections, boolean raw) {
            long[] l = latenciesNanos.clone();
            Arrays.sort(l);
            return String.format(Locale.ROOT, "{\"clients\":%d,\"loop\":\"closed\",\"protocol\":\"grpc%s\","
                            + "\"connections\":%d,\"target_rate\":0.0,\"requests\":%d,\"errors\":%d,\"lost\":0,"
                            + "\"seconds\":%.3f,\"rows_per_s\":%.1f,\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,"
                            + "\"p999_ms\":%.3f,\"max_ms\":%.3f}", clients, raw ? "-raw" : "", connections, requests,
                    errors, seconds, requests / seconds, pct(l, 0.50), pct(l, 0.90), pct(l, 0.99), pct(l, 0.999),
                    l.length == 0 ? 0 : l[l.length - 1] / 1e6);
        }

        private static double pct(long[] sorted, double q) {
            return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
        }
    }

    /** Runs every client until the deadline or the request budget; each keeps one call in flight. */
    private static Result phase(List<ManagedChannel> channels, List<ModelInferRequest> requests, int clients,
                                long nanos, long maxRequests, boolean measure) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + nanos;
        AtomicLong budget = new AtomicLong(maxRequests);
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long[] samples = new long[measure ? (int) Math.min(MAX_SAMPLES, maxRequests + clients) : 0];
        AtomicInteger sampled = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(clients);
        for (int i = 0; i < clients; i++) {
            int id = i;
            var stub = GRPCInferenceServiceGrpc.newStub(channels.get(i % channels.size()));
            new Object() {
                int next = Math.floorMod(id * 7919, requests.size());

                void send() {
                    if (System.nanoTime() >= deadline || budget.getAndDecrement() <= 0) {
                        done.countDown();
                        return;
                    }
                    long t0 = System.nanoTime();
                    ModelInferRequest req = requests.get(next);
                    next = (next + 1) % requests.size();
                    // No per-call deadline (its timer would cost the generator CPU); the phase as a whole waits
                    // at most 70 s past its end.
                    stub.modelInfer(req, new StreamObserver<>() {
                        boolean answered;

                        @Override
                        public void onNext(ModelInferResponse value) {
                            answered = value.getOutputsCount() > 0;
                        }

                        @Override
                        public void onError(Throwable t) {
                            errors.incrementAndGet();
                            send();
                        }

                        @Override
                        public void onCompleted() {
                            if (answered) {
                                ok.incrementAndGet();
                                int k = sampled.getAndIncrement();
                                if (k < samples.length) {
                                    samples[k] = System.nanoTime() - t0;
                                }
                            } else {
                                errors.incrementAndGet();
                            }
                            send();
                        }
                    });
                }
            }.send();
        }
        if (!done.await(nanos / 1_000_000 + 70_000, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("calls still unanswered 70 s after the end of the phase");
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new Result(ok.get(), errors.get(), elapsed,
                Arrays.copyOf(samples, Math.min(samples.length, sampled.get())));
    }
}
