package org.ml2tensor.cli.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.CompiledModel;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.importers.ModelFormat;
import org.ml2tensor.importers.ModelImporter;
import org.ml2tensor.runtime.Device;
import org.ml2tensor.runtime.Predictor;
import org.ml2tensor.runtime.PredictorOptions;
import org.ml2tensor.runtime.SyntheticRows;

/**
 * Throughput of one shared {@link Predictor} called from several threads at once (a main class, not a
 * test; run by {@code scripts/benchmarks.sh}). For every ONNX Runtime intra-op thread count, batch size and
 * caller-thread count it opens the model once, lets every caller thread predict the same batch in a loop for
 * the given time, and prints one Markdown row: total rows/s and the per-call latency p50/p99 across all callers.
 *
 * <p>Usage: {@code ConcurrencyBenchmark MODEL [SECONDS] [CALLERS] [BATCHES] [INTRA_OP]}, lists comma-separated;
 * defaults {@code 3 1,2,4 1,1000 1,2}.
 */
public final class ConcurrencyBenchmark {
    private ConcurrencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3;
        int[] callers = ints(args.length > 2 ? args[2] : "1,2,4");
        int[] batches = ints(args.length > 3 ? args[3] : "1,1000");
        int[] intraOps = ints(args.length > 4 ? args[4] : "1,2");
        ModelIr ir = ModelImporter.load(file, ModelImporter.resolve(file, ModelFormat.AUTO));
        CompiledModel compiled = ModelCompiler.compile(ir, CompileOptions.defaults());
        int maxBatch = Arrays.stream(batches).max().orElse(1);
        float[] rows = SyntheticRows.generate(ir, maxBatch, 42);
        System.out.printf(Locale.ROOT, "Model `%s` (%s), strategy %s, %d features, %d CPUs.%n%n", file,
                ir.source().description(), compiled.report().strategy(), ir.featureCount(),
                Runtime.getRuntime().availableProcessors());
        System.out.println("| ORT intra-op threads | batch | caller threads | rows/s | calls/s | p50 ms | p99 ms |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
        for (int intra : intraOps) {
            PredictorOptions options = PredictorOptions.builder().device(Device.CPU).intraOpThreads(intra).parallelRuns(1)
                    .batchSize(maxBatch).build();
            try (Predictor predictor = Predictor.open(compiled.onnx(), file.toString(), options)) {
                for (int batch : batches) {
                    float[] input = Arrays.copyOf(rows, batch * ir.featureCount());
                    for (int i = 0; i < 50; i++) {
                        predictor.predict(input, batch);
                    }
                    for (int n : callers) {
                        Result r = run(predictor, input, batch, n, (long) (seconds * 1e9));
                        System.out.printf(Locale.ROOT, "| %d | %d | %d | %,.0f | %,.0f | %.3f | %.3f |%n", intra, batch,
                                n, r.calls * (double) batch / r.seconds, r.calls / r.seconds, r.p50, r.p99);
                    }
                }
            }
        }
    }

    private record Result(long calls, double seconds, double p50, double p99) {
    }

    private static Result run(Predictor predictor, float[] input, int batch, int threads, long nanos)
            throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        List<long[]> perThread = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        int[] counts = new int[threads];
        for (int t = 0; t < threads; t++) {
            long[] lat = new long[1 << 20];
            perThread.add(lat);
            int id = t;
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                int k = 0;
                while (!stop.get()) {
                    long t0 = System.nanoTime();
                    predictor.predict(input, batch);
                    if (k < lat.length) {
                        lat[k] = System.nanoTime() - t0;
                    }
                    k++;
                }
                counts[id] = k;
            }, "caller-" + t);
            w.start();
            workers.add(w);
        }
        long t0 = System.nanoTime();
        start.countDown();
        Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        stop.set(true);
        for (Thread w : workers) {
            w.join();
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long total = 0;
        List<Long> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            total += counts[t];
            long[] lat = perThread.get(t);
            for (int i = 0; i < Math.min(counts[t], lat.length); i++) {
                all.add(lat[i]);
            }
        }
        long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Result(total, elapsed, pct(sorted, 0.50), pct(sorted, 0.99));
    }

    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    private static int[] ints(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    }
}
