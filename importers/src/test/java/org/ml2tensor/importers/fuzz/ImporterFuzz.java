package org.ml2tensor.importers.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.importers.ModelFormat;
import org.ml2tensor.importers.ModelImporter;

/**
 * Seeded mutation fuzz of every importer, run in its own JVM (the caller sets {@code -Xmx} to the promised
 * heap bound, so exceeding it is an {@link OutOfMemoryError} and a failure). Each case writes a mutated
 * fixture to a fresh file, imports it through {@link ModelImporter#load} and, when that succeeds, compiles
 * it; every fifth case is also described ({@link ModelImporter#describe}, what {@code inspect} prints). Asserted per case: only {@link Ml2TensorException} escapes, with a code of {@link #EXPECTED}; the
 * case takes less than {@code maxCaseSeconds}; no file is left behind in the working folder.
 *
 * <p>Usage: {@code ImporterFuzz FAMILIES SEED CASES [MAX_CASE_SECONDS]}, FAMILIES = {@code all} or a
 * comma-separated list of {@link Family} names. Prints one {@code FUZZ ...} line per family and exits 1
 * on any failure.
 */
public final class ImporterFuzz {
    /** Codes a hostile or broken model file may produce (README's exit-code list: 3, 4, 5, 6, 9). */
    static final Set<ErrorCode> EXPECTED = EnumSet.of(ErrorCode.IO, ErrorCode.MODEL_FORMAT, ErrorCode.UNSUPPORTED,
            ErrorCode.INVALID_MODEL, ErrorCode.LIMIT_EXCEEDED);
    /** Fixtures above this size are left out: small inputs keep the run fast and mutations dense. */
    private static final long MAX_FIXTURE_BYTES = 48 << 10;

    /** One format family: where its fixtures are and how they are named. */
    enum Family {
        PICKLE(ModelFormat.SKLEARN, "sklearn", ".pkl"),
        JOBLIB(ModelFormat.SKLEARN, "sklearn", ".joblib"),
        XGBOOST_JSON(ModelFormat.XGBOOST, "xgboost", ".json"),
        XGBOOST_UBJ(ModelFormat.XGBOOST, "xgboost", ".ubj"),
        LIGHTGBM(ModelFormat.LIGHTGBM, "lightgbm", ".txt"),
        /** The conformance pickles of the estimator families, meta-estimators and preprocessing steps. */
        SKLEARN_FAMILIES(ModelFormat.SKLEARN, "../conformance-tests/src/test/resources/fixtures", ".pkl", true);

        final ModelFormat format;
        final String folder;
        final String suffix;
        /** Whether {@link #folder} is a source-tree path (another module's fixtures) rather than a resource. */
        final boolean sourceTree;

        Family(ModelFormat format, String folder, String suffix) {
            this(format, folder, suffix, false);
        }

        Family(ModelFormat format, String folder, String suffix, boolean sourceTree) {
            this.format = format;
            this.folder = folder;
            this.suffix = suffix;
            this.sourceTree = sourceTree;
        }
    }

    /** Result of one family. */
    record Report(Family family, int cases, int loaded, int compiled, int refused, long maxCaseMillis,
                  long totalMillis, List<String> failures) {
        String line() {
            return String.format(Locale.ROOT, "FUZZ family=%s cases=%d loaded=%d compiled=%d refused=%d "
                            + "maxCaseMs=%d totalMs=%d failures=%d", family.name().toLowerCase(Locale.ROOT), cases,
                    loaded, compiled, refused, maxCaseMillis, totalMillis, failures.size());
        }
    }

    private ImporterFuzz() {
    }

    public static void main(String[] args) throws Exception {
        List<Family> families = new ArrayList<>();
        boolean hostile = false;
        for (String f : args[0].split(",")) {
            if (f.equals("all")) {
                families.addAll(List.of(Family.values()));
                hostile = true;
            } else if (f.equals("hostile")) {
                hostile = true;
            } else {
                families.add(Family.valueOf(f.toUpperCase(Locale.ROOT).replace('-', '_')));
            }
        }
        long seed = Long.decode(args[1]);
        int cases = Integer.parseInt(args[2]);
        double maxCaseSeconds = args.length > 3 ? Double.parseDouble(args[3]) : 10;
        Path work = Files.createTempDirectory("ml2tensor-fuzz");
        boolean failed = false;
        try {
            for (Family f : families) {
                Report r = run(f, seed, cases, maxCaseSeconds, work);
                System.out.println(r.line());
                for (String s : r.failures().subList(0, Math.min(10, r.failures().size()))) {
                    System.out.println("  FAIL " + s);
                }
                failed |= !r.failures().isEmpty();
            }
            if (hostile) {
                failed |= !runHostile(work, maxCaseSeconds);
            }
        } finally {
            try (Stream<Path> left = Files.list(work)) {
                left.forEach(p -> p.toFile().delete());
            }
            Files.deleteIfExists(work);
        }
        long cpuMillis = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1_000_000;
        System.out.println(String.format(Locale.ROOT, "FUZZ peakHeapMiB=%d maxHeapMiB=%d cpuMs=%d", peakHeap() >> 20,
                Runtime.getRuntime().maxMemory() >> 20, cpuMillis));
        System.exit(failed ? 1 : 0);
    }

    static Report run(Family family, long seed, int cases, double maxCaseSeconds, Path work) throws IOException {
        List<Path> files = corpus(family);
        List<byte[]> decoded = new ArrayList<>();
        List<Codec> codecs = new ArrayList<>();
        for (Path p : files) {
            Codec c = Codec.ofFileName(p.getFileName().toString());
            codecs.add(c);
            decoded.add(c.decode(Files.readAllBytes(p)));
        }
        SplittableRandom rnd = new SplittableRandom(seed * 31 + family.ordinal());
        long start = System.nanoTime();
        int loaded = 0;
        int compiled = 0;
        int refused = 0;
        long maxNanos = 0;
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < cases; i++) {
            // joblib: cycle through the codecs so that each gets its share of cases
            int pick = family == Family.JOBLIB ? pickCodec(codecs, i, rnd) : rnd.nextInt(files.size());
            Codec codec = codecs.get(pick);
            byte[] input;
            if (codec != Codec.NONE && rnd.nextBoolean()) {
                input = codec.encode(Mutator.mutate(decoded.get(pick), rnd));   // mutate the pickle inside
            } else {
                input = Mutator.mutate(codec.encode(decoded.get(pick)), rnd);   // mutate the compressed bytes
            }
            String label = "case " + i + " (" + files.get(pick).getFileName() + ")";
            Path file = work.resolve("case" + family.suffix);
            Files.write(file, input);
            long t0 = System.nanoTime();
            try {
                ModelIr ir = ModelImporter.load(file, family.format);
                loaded++;
                ModelCompiler.compile(ir, CompileOptions.defaults());
                compiled++;
            } catch (Ml2TensorException e) {
                refused++;
                if (!EXPECTED.contains(e.code())) {
                    failures.add(label + ": unexpected code " + e.code() + ": " + e.getMessage());
                }
            } catch (Throwable t) {
                failures.add(label + ": " + t + " at " + java.util.Arrays.stream(t.getStackTrace())
                        .filter(f -> f.getClassName().startsWith("org.ml2tensor")).findFirst().orElse(null));
            }
            if (i % 5 == 0) {
                try {
                    ModelImporter.describe(file, family.format);      // what `inspect` prints
                } catch (Ml2TensorException e) {
                    if (!EXPECTED.contains(e.code())) {
                        failures.add(label + " describe: unexpected code " + e.code() + ": " + e.getMessage());
                    }
                } catch (Throwable t) {
                    failures.add(label + " describe: " + t);
                }
            }
            long nanos = System.nanoTime() - t0;
            maxNanos = Math.max(maxNanos, nanos);
            if (nanos > maxCaseSeconds * 1e9) {
                failures.add(label + ": took " + nanos / 1_000_000 + " ms");
            }
            Files.delete(file);
            try (Stream<Path> left = Files.list(work)) {
                List<Path> extra = left.toList();
                if (!extra.isEmpty()) {
                    failures.add(label + ": left files behind: " + extra);
                    extra.forEach(p -> p.toFile().delete());
                }
            }
        }
        return new Report(family, cases, loaded, compiled, refused, maxNanos / 1_000_000,
                (System.nanoTime() - start) / 1_000_000, failures);
    }

    /** Each crafted hostile file must be refused with its code, in time, within this JVM's heap. */
    static boolean runHostile(Path work, double maxCaseSeconds) throws Exception {
        List<String> failures = new ArrayList<>();
        long maxNanos = 0;
        long maxFile = 0;
        List<HostileFiles.Hostile> all = HostileFiles.all();
        for (HostileFiles.Hostile h : all) {
            Path file = work.resolve("hostile" + h.suffix());
            byte[] bytes = h.maker().make();
            maxFile = Math.max(maxFile, bytes.length);
            Files.write(file, bytes);
            bytes = null;
            long t0 = System.nanoTime();
            try {
                ModelImporter.load(file, h.format());
                failures.add(h.name() + ": was accepted");
            } catch (Ml2TensorException e) {
                if (e.code() != h.expected()) {
                    failures.add(h.name() + ": " + e.code() + " instead of " + h.expected() + ": " + e.getMessage());
                }
            } catch (Throwable t) {
                failures.add(h.name() + ": " + t);
            }
            long nanos = System.nanoTime() - t0;
            maxNanos = Math.max(maxNanos, nanos);
            if (nanos > maxCaseSeconds * 1e9) {
                failures.add(h.name() + ": took " + nanos / 1_000_000 + " ms");
            }
            Files.delete(file);
        }
        System.out.println(String.format(Locale.ROOT, "FUZZ family=hostile cases=%d maxCaseMs=%d largestFileKiB=%d "
                + "failures=%d", all.size(), maxNanos / 1_000_000, maxFile >> 10, failures.size()));
        failures.forEach(f -> System.out.println("  FAIL " + f));
        return failures.isEmpty();
    }

    private static int pickCodec(List<Codec> codecs, int i, SplittableRandom rnd) {
        Codec want = Codec.values()[i % Codec.values().length];
        List<Integer> matching = new ArrayList<>();
        for (int k = 0; k < codecs.size(); k++) {
            if (codecs.get(k) == want) {
                matching.add(k);
            }
        }
        return matching.isEmpty() ? rnd.nextInt(codecs.size()) : matching.get(rnd.nextInt(matching.size()));
    }

    /** The family's committed fixtures up to {@link #MAX_FIXTURE_BYTES}, in a stable order. */
    static List<Path> corpus(Family family) {
        try {
            Path root = family.sourceTree ? Path.of(family.folder)
                    : Path.of(ImporterFuzz.class.getResource("/" + family.folder).toURI());
            try (Stream<Path> s = Files.walk(root)) {
                List<Path> files = s.filter(Files::isRegularFile)
                        .filter(p -> p.getFileName().toString().endsWith(family.suffix))
                        .filter(p -> size(p) <= MAX_FIXTURE_BYTES)
                        .sorted().toList();
                if (files.isEmpty()) {
                    throw new IllegalStateException("no fixtures for " + family);
                }
                return files;
            }
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sum of the heap pools' peak usage since the JVM started. */
    static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
