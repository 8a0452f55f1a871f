package org.ml2tensor.serve.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load generator for {@code ml2tensor serve} (loopback only, bounded in time and count):
 * {@code --clients} threads, each on its own keep-alive connection, send one-row v2 JSON infer requests
 * (rows taken in turn from a CSV with a header) and wait for each answer before sending the next. After
 * a warm-up it measures for {@code --seconds} or until {@code --max-requests}, then prints one JSON line:
 * clients, requests, rows/s, latency p50/p99/max (ms), errors (non-200 answers) and lost requests (sent,
 * but the connection closed without an answer).
 *
 * <p>Latency is measured from the moment a request is sent to the end of its answer. In this closed loop a
 * client whose request stalls sends nothing until it is answered, so a stall delays the requests that would
 * have been sent meanwhile without their being measured (coordinated omission): the percentiles describe
 * the answered requests, not what an independent stream of callers would see. {@code --rate R} corrects for
 * that: each client then follows a fixed schedule of R/clients requests per second (offsets spread over the
 * interval) and a request's latency counts from its scheduled send time, so a stall is charged to every
 * request it held back (as wrk2 does). A rate above what the server sustains shows up as growing latency.
 *
 * <p>{@code --until-closed} instead runs until the server stops accepting (for the SIGTERM drain check):
 * an answered 503 or a refused connection ends a client; a request without an answer counts as lost.
 *
 * <p>CPU accounting of the measured phase (so that a run on a shared machine says where the cores went):
 * {@code gen_cpu_s} is this generator's own CPU time (user + system, all threads) and, with
 * {@code --server-pid PID}, {@code server_cpu_s} the server process's (from {@code /proc/PID/stat}; -1 where
 * that cannot be read).
 *
 * <pre>
 * java -cp serve/target/test-classes org.ml2tensor.serve.bench.LoadGenerator --port 8080 --model rf500_d8 \
 *     --rows input.csv --clients 64 --seconds 10 --max-requests 2000000 --warmup 2 [--server-pid PID]
 * </pre>
 * The HTTP client is a minimal blocking HTTP/1.1 one, so that on a 2-core machine the generator takes as
 * little CPU from the server as possible.
 */
public final class LoadGenerator {
    /** Latency samples kept over all clients (a uniform reservoir beyond that), bounding the heap. */
    private static final long MAX_SAMPLES = 4_000_000;

    private LoadGenerator() {
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 8080;
        String model = null;
        Path rowsFile = null;
        int clients = 1;
        double seconds = 10;
        double warmup = 2;
        long maxRequests = 1_000_000;
        boolean untilClosed = false;
        double rate = 0;
        long serverPid = -1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--model" -> model = args[++i];
                case "--rows" -> rowsFile = Path.of(args[++i]);
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--max-requests" -> maxRequests = Long.parseLong(args[++i]);
                case "--until-closed" -> untilClosed = true;
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--server-pid" -> serverPid = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("::1")) {
            throw new IllegalArgumentException("loopback only: --host must be 127.0.0.1, localhost or ::1");
        }
        if (model == null || rowsFile == null) {
            throw new IllegalArgumentException("--model and --rows are required");
        }
        List<byte[]> requests = requests(host, port, model, rowsFile);
        long interval = rate > 0 ? (long) (1e9 * clients / rate) : 0;
        Run run = new Run(host, port, requests, clients, maxRequests, untilClosed, interval);
        if (!untilClosed && warmup > 0) {
            run.phase((long) (warmup * 1e9), false);
        }
        Cpu cpu = Cpu.start(serverPid);
        Result r = run.phase(untilClosed ? Long.MAX_VALUE : (long) (seconds * 1e9), true);
        String used = cpu.json();
        run.stop();
        String line = r.json(clients, rate);
        System.out.println(line.substring(0, line.length() - 1) + "," + used + "}");
    }

    private static List<byte[]> requests(String host, int port, String model, Path rowsFile) throws IOException {
        List<String> lines = Files.readAllLines(rowsFile, StandardCharsets.UTF_8);
        List<byte[]> out = new ArrayList<>();
        for (String line : lines.subList(1, Math.min(lines.size(), 1001))) {
            String[] cells = line.split(",", -1);
            StringBuilder b = new StringBuilder("{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,")
                    .append(cells.length).append("],\"data\":[");
            for (int i = 0; i < cells.length; i++) {
                String c = cells[i].trim();
                b.append(i == 0 ? "" : ",").append(c.isEmpty() || c.equalsIgnoreCase("nan") ? "NaN" : c);
            }
            b.append("]}]}");
            byte[] body = b.toString().getBytes(StandardCharsets.UTF_8);
            byte[] head = ("POST /v2/models/" + model + "/infer HTTP/1.1\r\nHost: " + host + ":" + port
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] all = Arrays.copyOf(head, head.length + body.length);
            System.arraycopy(body, 0, all, head.length, body.length);
            out.add(all);
        }
        return out;
    }

    /** CPU seconds of this process and, when given, the server process, from one moment on. */
    record Cpu(long serverPid, double self0, double server0) {
        static Cpu start(long serverPid) {
            return new Cpu(serverPid, selfCpuSeconds(), serverCpuSeconds(serverPid));
        }

        String json() {
            double server = serverCpuSeconds(serverPid);
            return String.format(Locale.ROOT, "\"gen_cpu_s\":%.3f,\"server_cpu_s\":%.3f", selfCpuSeconds() - self0,
                    server < 0 || server0 < 0 ? -1.0 : server - server0);
        }
    }

    /** This JVM's CPU time (all threads, user + system), in seconds. */
    static double selfCpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() / 1e9 : -1;
    }

    /** User + system CPU time of a process from {@code /proc/PID/stat}, in seconds; -1 when unreadable. */
    static double serverCpuSeconds(long pid) {
        if (pid < 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            // Fields after the command name (which may hold spaces) start after the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** {@code sysconf(_SC_CLK_TCK)}: 100 on every Linux platform the JDK runs on. */
    private static final int CLOCK_TICKS = 100;

    /** Measured figures of one phase. */
    record Result(long requests, long errors, long lost, double seconds, long[] latenciesNanos) {
        String json(int clients, double rate) {
            long[] l = latenciesNanos.clone();
            Arrays.sort(l);
            return String.format(Locale.ROOT, "{\"clients\":%d,\"loop\":\"%s\",\"target_rate\":%.1f,\"requests\":%d,"
                            + "\"errors\":%d,\"lost\":%d,\"seconds\":%.3f,\"rows_per_s\":%.1f,\"p50_ms\":%.3f,\"p90_ms\":%.3f,"
                            + "\"p99_ms\":%.3f,\"p999_ms\":%.3f,\"max_ms\":%.3f}", clients, rate > 0 ? "rate" : "closed",
                    rate, requests, errors, lost, seconds, requests / seconds, pct(l, 0.50), pct(l, 0.90), pct(l, 0.99),
                    pct(l, 0.999), l.length == 0 ? 0 : l[l.length - 1] / 1e6);
        }

        private static double pct(long[] sorted, double q) {
            return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
        }
    }

    /** The client threads; each phase runs them all for a time. */
    private static final class Run {
        final String host;
        final int port;
        final List<byte[]> requests;
        final int clients;
        final long maxRequests;
        final boolean untilClosed;
        /** Nanoseconds between one client's scheduled sends; 0 = closed loop (send when answered). */
        final long interval;
        final Client[] pool;

        Run(String host, int port, List<byte[]> requests, int clients, long maxRequests, boolean untilClosed,
            long interval) {
            this.host = host;
            this.port = port;
            this.requests = requests;
            this.clients = clients;
            this.maxRequests = maxRequests;
            this.untilClosed = untilClosed;
            this.interval = interval;
            this.pool = new Client[clients];
            for (int i = 0; i < clients; i++) {
                pool[i] = new Client(i);
            }
        }

        Result phase(long nanos, boolean measure) throws InterruptedException {
            AtomicLong budget = new AtomicLong(maxRequests);
            long start = System.nanoTime();
            long deadline = nanos == Long.MAX_VALUE ? Long.MAX_VALUE : start + nanos;
            Thread[] threads = new Thread[clients];
            for (int i = 0; i < clients; i++) {
                Client c = pool[i];
                c.reset(measure ? (int) Math.min(MAX_SAMPLES / clients, maxRequests / clients + 16) : 0);
                long first = start + (interval > 0 ? interval * i / clients : 0);
                threads[i] = new Thread(() -> c.loop(deadline, budget, first), "client-" + i);
                threads[i].start();
            }
            for (Thread t : threads) {
                t.join();
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            long n = 0;
            long errors = 0;
            long lost = 0;
            List<long[]> lats = new ArrayList<>();
            for (Client c : pool) {
                n += c.ok;
                errors += c.errors;
                lost += c.lost;
                lats.add(Arrays.copyOf(c.latencies, c.count));
            }
            long[] all = lats.stream().flatMapToLong(Arrays::stream).toArray();
            return new Result(n, errors, lost, elapsed, all);
        }

        void stop() {
            for (Client c : pool) {
                c.close();
            }
        }

        /** One connection, one request at a time. */
        private final class Client {
            final int id;
            Socket socket;
            OutputStream out;
            InputStream in;
            long[] latencies = new long[0];
            int count;
            long ok;
            long errors;
            long lost;
            int next;
            boolean done;
            final java.util.SplittableRandom random = new java.util.SplittableRandom(17);

            Client(int id) {
                this.id = id;
                this.next = id * 7919;
            }

            void reset(int capacity) {
                latencies = new long[capacity];
                count = 0;
                ok = 0;
                errors = 0;
                lost = 0;
            }

            void loop(long deadline, AtomicLong budget, long firstSend) {
                long scheduled = firstSend;
                while (!done && System.nanoTime() < deadline && budget.getAndDecrement() > 0) {
                    byte[] req = requests.get(Math.floorMod(next++, requests.size()));
                    try {
                        if (socket == null) {
                            socket = new Socket();
                            socket.setTcpNoDelay(true);
                            socket.connect(new InetSocketAddress(host, port), 5000);
                            socket.setSoTimeout(60_000);
                            out = socket.getOutputStream();
                            in = new BufferedInputStream(socket.getInputStream(), 65536);
                        }
                    } catch (ConnectException e) {
                        if (untilClosed) {
                            done = true;
                            return;
                        }
                        errors++;
                        continue;
                    } catch (IOException e) {
                        errors++;
                        close();
                        continue;
                    }
                    long t0 = System.nanoTime();
                    if (interval > 0) {
                        // On schedule: wait for the send time; behind it: send now, but count from the schedule.
                        while (t0 < scheduled) {
                            java.util.concurrent.locks.LockSupport.parkNanos(scheduled - t0);
                            t0 = System.nanoTime();
                        }
                        t0 = scheduled;
                        scheduled += interval;
                        if (t0 >= deadline) {
                            return;
                        }
                    }
                    int status;
                    boolean closeAfter;
                    try {
                        out.write(req);
                        out.flush();
                        long[] head = readResponse(in);
                        status = (int) head[0];
                        closeAfter = head[1] != 0;
                    } catch (IOException e) {
                        lost++;
                        close();
                        if (untilClosed) {
                            done = true;
                            return;
                        }
                        continue;
                    }
                    long dt = System.nanoTime() - t0;
                    if (status == 200) {
                        ok++;
                        if (count < latencies.length) {
                            latencies[count++] = dt;
                        } else if (latencies.length > 0) {
                            long j = random.nextLong(ok);
                            if (j < latencies.length) {
                                latencies[(int) j] = dt;
                            }
                        }
                    } else {
                        errors++;
                        if (untilClosed && status == 503) {
                            done = true;
                        }
                    }
                    if (closeAfter) {
                        close();
                        if (untilClosed) {
                            done = true;
                        }
                    }
                }
            }

            void close() {
                if (socket != null) {
                    try {
                        socket.close();
                    } catch (IOException e) {
                        // closing anyway
                    }
                }
                socket = null;
            }
        }
    }

    /** Reads one response; returns {status, connection-close flag}. */
    static long[] readResponse(InputStream in) throws IOException {
        String status = line(in);
        if (status == null) {
            throw new IOException("connection closed before the response");
        }
        int code = Integer.parseInt(status.split(" ", 3)[1]);
        long length = 0;
        boolean close = false;
        String h;
        while ((h = line(in)) != null && !h.isEmpty()) {
            int colon = h.indexOf(':');
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                length = Long.parseLong(value);
            } else if (name.equals("connection") && value.equalsIgnoreCase("close")) {
                close = true;
            }
        }
        if (h == null) {
            throw new IOException("connection closed in the headers");
        }
        long skipped = 0;
        while (skipped < length) {
            long s = in.skip(length - skipped);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed in the body");
                }
                s = 1;
            }
            skipped += s;
        }
        return new long[] {code, close ? 1 : 0};
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(64);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }
}
