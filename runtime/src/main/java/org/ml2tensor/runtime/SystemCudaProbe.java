package org.ml2tensor.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Linux probe for the CUDA execution provider of onnxruntime_gpu 1.26: an NVIDIA device node
 * ({@code /dev/nvidia<N>}, or {@code /dev/dxg} under WSL) and the libraries that
 * {@code libonnxruntime_providers_cuda.so} links ({@code DT_NEEDED}, no RUNPATH), looked up the way the
 * dynamic loader does: {@code LD_LIBRARY_PATH}, then {@code /etc/ld.so.cache}, then the default
 * directories. The result is computed once per process. On other operating systems the probe cannot
 * tell and reports CUDA as possibly available, so ORT decides.
 */
final class SystemCudaProbe implements CudaProbe {
    static final SystemCudaProbe INSTANCE = new SystemCudaProbe();

    /** DT_NEEDED entries of libonnxruntime_providers_cuda.so (1.26.0) outside glibc/libstdc++. */
    static final List<String> REQUIRED_LIBRARIES = List.of(
            "libcudart.so.12", "libcublasLt.so.12", "libcublas.so.12", "libcurand.so.10",
            "libcufft.so.11", "libcudnn.so.9");

    private static final List<String> DEFAULT_DIRS = List.of(
            "/lib64", "/usr/lib64", "/lib", "/usr/lib", "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
            "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu");

    private volatile Result cached;

    private SystemCudaProbe() {
    }

    @Override
    public Result probe() {
        Result r = cached;
        if (r == null) {
            r = compute();
            cached = r;
        }
        return r;
    }

    private static Result compute() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            return Result.AVAILABLE;
        }
        List<String> missing = new ArrayList<>();
        if (!hasNvidiaDeviceNode()) {
            missing.add("no NVIDIA GPU device node (/dev/nvidia0)");
        }
        LibrarySearch search = new LibrarySearch(System.getenv("LD_LIBRARY_PATH"), readLdCache());
        for (String lib : REQUIRED_LIBRARIES) {
            if (!search.find(lib)) {
                missing.add(lib + " not found");
            }
        }
        return new Result(missing);
    }

    /** NVIDIA device nodes present ({@code /dev/nvidia*}, {@code /dev/dxg}), sorted. */
    static List<Path> deviceNodes() {
        List<Path> nodes = new ArrayList<>();
        if (Files.exists(Path.of("/dev/dxg"))) {
            nodes.add(Path.of("/dev/dxg"));
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/dev"), "nvidia*")) {
            ds.forEach(nodes::add);
        } catch (IOException | RuntimeException e) {
            // no /dev: none
        }
        nodes.sort(null);
        return nodes;
    }

    /** The search the probe does, for diagnostics. */
    static LibrarySearch systemSearch() {
        return new LibrarySearch(System.getenv("LD_LIBRARY_PATH"), readLdCache());
    }

    private static boolean hasNvidiaDeviceNode() {
        if (Files.exists(Path.of("/dev/dxg"))) {
            return true;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/dev"), "nvidia[0-9]*")) {
            return ds.iterator().hasNext();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static byte[] readLdCache() {
        try {
            Path cache = Path.of("/etc/ld.so.cache");
            if (Files.size(cache) > 64L << 20) {
                return new byte[0];
            }
            return Files.readAllBytes(cache);
        } catch (IOException | RuntimeException e) {
            return new byte[0];
        }
    }

    /** Finds a shared library by soname in search directories and the loader cache's string table. */
    static final class LibrarySearch {
        private final Set<Path> dirs = new LinkedHashSet<>();
        private final byte[] ldCache;

        LibrarySearch(String ldLibraryPath, byte[] ldCache) {
            if (ldLibraryPath != null) {
                for (String d : ldLibraryPath.split(":")) {
                    if (!d.isEmpty()) {
                        dirs.add(Path.of(d));
                    }
                }
            }
            this.ldCache = ldCache;
            for (String d : DEFAULT_DIRS) {
                dirs.add(Path.of(d));
            }
        }

        boolean find(String soname) {
            return locate(soname).isPresent();
        }

        /** Where the library was found: a search directory first, then the loader cache. */
        java.util.Optional<Path> locate(String soname) {
            for (Path d : dirs) {
                if (Files.exists(d.resolve(soname))) {
                    return java.util.Optional.of(d.resolve(soname));
                }
            }
            return java.util.Optional.ofNullable(inLdCache(soname));
        }

        /** The directories searched, in order ({@code LD_LIBRARY_PATH}, then the default ones). */
        List<Path> directories() {
            return List.copyOf(dirs);
        }

        /** Whether a loader cache was read. */
        boolean hasLdCache() {
            return ldCache.length > 0;
        }

        /** The cache's string table holds NUL-terminated absolute paths ending in the soname. */
        private Path inLdCache(String soname) {
            byte[] needle = ("/" + soname + "\0").getBytes(StandardCharsets.US_ASCII);
            outer:
            for (int i = 0; i + needle.length <= ldCache.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (ldCache[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                int start = i;
                while (start > 0 && ldCache[start - 1] != 0) {
                    start--;
                }
                String path = new String(ldCache, start, i + needle.length - 1 - start, StandardCharsets.ISO_8859_1);
                if (path.startsWith("/") && Files.exists(Path.of(path))) {
                    return Path.of(path);
                }
            }
            return null;
        }
    }
}
