package org.ml2tensor.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ai.onnxruntime.OrtEnvironment;

/**
 * What a user needs to know when a model does not run where they expect (behind {@code ml2tensor
 * doctor}): the Java runtime, the ONNX Runtime build and its providers, where its native libraries were
 * loaded from, the GPU device nodes, and every library the CUDA provider needs — with the path where it
 * was found or the places searched.
 */
public final class RuntimeDiagnostics {
    private RuntimeDiagnostics() {
    }

    /** The report as lines of {@code "key: value"} text, grouped under section headings. */
    public static List<String> report() {
        List<String> out = new ArrayList<>();
        out.add("java");
        out.add("  version:     " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        out.add("  home:        " + System.getProperty("java.home"));
        out.add("  os:          " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        out.add("onnx runtime");
        String jarVersion = Optional.ofNullable(OrtEnvironment.class.getPackage())
                .map(Package::getImplementationVersion).orElse("unknown");
        String os = OrtNatives.osArch();
        boolean gpuBuild = os != null && OrtNatives.class.getResource("/ai/onnxruntime/native/" + os + "/"
                + System.mapLibraryName("onnxruntime_providers_cuda")) != null;
        out.add("  java binding: " + jarVersion + (gpuBuild ? " (onnxruntime_gpu: CUDA provider bundled)"
                : " (CPU-only build: no CUDA provider bundled)"));
        OrtNatives.Status natives = OrtNatives.prepare();
        try {
            OrtEnvironment env = Predictor.environment();
            out.add("  native:      " + env.getVersion());
            out.add("  providers:   " + OrtEnvironment.getAvailableProviders()
                    + " (built in; CUDA listed does not mean it can run here)");
        } catch (RuntimeException | LinkageError e) {
            out.add("  native:      FAILED to load: " + e.getMessage());
        }
        out.add("  natives from: " + natives.folder().map(Path::toString).orElse("a temporary folder")
                + (natives.note().isEmpty() ? "" : " (" + natives.note() + ")"));
        out.add("gpu");
        List<Path> nodes = SystemCudaProbe.deviceNodes();
        out.add("  device nodes: " + (nodes.isEmpty() ? "none (/dev/nvidia0 absent)" : nodes.toString()));
        out.add("  driver:      " + driverVersion().orElse("not loaded (/proc/driver/nvidia/version absent)"));
        SystemCudaProbe.LibrarySearch search = SystemCudaProbe.systemSearch();
        out.add("  libraries the CUDA provider needs (CUDA 12, cuDNN 9):");
        for (String lib : SystemCudaProbe.REQUIRED_LIBRARIES) {
            out.add(String.format("    %-20s %s", lib, search.locate(lib).map(p -> "found: " + p).orElse("MISSING")));
        }
        String ld = System.getenv("LD_LIBRARY_PATH");
        out.add("  LD_LIBRARY_PATH: " + (ld == null ? "(unset)" : ld));
        out.add("  searched:    " + search.directories().stream().map(Path::toString).toList()
                + ", then /etc/ld.so.cache (" + (search.hasLdCache() ? "read" : "absent") + ")");
        CudaProbe.Result probe = CudaProbe.system().probe();
        out.add("verdict");
        if (!gpuBuild) {
            out.add("  CUDA: not possible with this build; use the onnxruntime_gpu flavour for GPUs");
        } else if (probe.available()) {
            out.add("  CUDA: the device and libraries are present; --device auto tries CUDA (ONNX Runtime has the "
                    + "last word)");
        } else {
            out.add("  CUDA: not usable (" + probe.describe() + "); --device auto runs on the CPU");
        }
        return out;
    }

    private static Optional<String> driverVersion() {
        Path p = Path.of("/proc/driver/nvidia/version");
        try {
            if (!Files.isReadable(p)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
            return lines.isEmpty() ? Optional.empty() : Optional.of(lines.get(0).strip());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
