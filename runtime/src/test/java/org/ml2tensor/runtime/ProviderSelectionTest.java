package org.ml2tensor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * Provider choice. This build machine has no GPU; tests that need one are gated with
 * {@code -Dml2tensor.test.cuda=true} and tests that need its absence skip (never pass) on a GPU machine.
 */
class ProviderSelectionTest {
    private static final byte[] MODEL = TestModels.linearClassifier(new long[] {0, 1, 2}, false).toByteArray();

    @TempDir
    Path dir;

    private static boolean cudaProbablyUsable() {
        return CudaProbe.system().probe().available();
    }

    @Test
    void autoPicksCpuWithExactlyOneNoticeNamingWhatIsMissing() {
        assumeFalse(cudaProbablyUsable(), "this machine looks CUDA-capable");
        List<String> notices = new CopyOnWriteArrayList<>();
        PredictorOptions auto = PredictorOptions.builder().device(Device.AUTO).noticeSink(notices::add).build();
        try (Predictor p = Predictor.open(MODEL, auto)) {
            assertEquals(Provider.CPU, p.provider());
            assertEquals(3, p.predict(new float[][] {{1, 2, 3, 4}}).probabilities().width());
        }
        assertEquals(1, notices.size(), notices.toString());
        String notice = notices.get(0);
        assertTrue(notice.startsWith("CUDA unavailable ("), notice);
        assertTrue(notice.endsWith("; run 'ml2tensor doctor' for details); using CPU"), notice);
        assertTrue(notice.contains(".so.") || notice.contains("no GPU device"), "names what is missing: " + notice);
        assertTrue(notice.length() <= 120, "short: " + notice);
        assertFalse(notice.contains("\n"), "one line");
    }

    @Test
    void fallbackNoticeIsShortAndNamesTheFirstMissingPiece() {
        assertEquals("CUDA unavailable (no GPU device; run 'ml2tensor doctor' for details); using CPU",
                SessionFactory.fallbackNotice(new CudaProbe.Result(List.of("no NVIDIA GPU device node (/dev/nvidia0)",
                        "libcudart.so.12 not found")), ""));
        assertEquals("CUDA unavailable (missing libcudnn.so.9; run 'ml2tensor doctor' for details); using CPU",
                SessionFactory.fallbackNotice(new CudaProbe.Result(List.of("libcudnn.so.9 not found")), ""));
    }

    @Test
    void theDefaultSinkShowsEachNoticeOncePerProcess() {
        List<String> shown = new CopyOnWriteArrayList<>();
        NoticeSink a = new NoticeSink.OncePerProcess(shown::add);
        NoticeSink b = new NoticeSink.OncePerProcess(shown::add);
        String line = "test notice " + System.nanoTime();
        a.notice(line);
        a.notice(line);
        b.notice(line);
        b.notice(line + " (another)");
        assertEquals(List.of(line, line + " (another)"), shown);
    }

    @Test
    void cpuDeviceGivesNoNotice() {
        List<String> notices = new CopyOnWriteArrayList<>();
        try (Predictor p = Predictor.open(MODEL, PredictorOptions.builder().device(Device.CPU).noticeSink(notices::add).build())) {
            assertEquals(Provider.CPU, p.provider());
        }
        assertEquals(List.of(), notices);
    }

    @Test
    void demandedCudaThatIsUnavailableIsProviderUnavailable() {
        assumeFalse(cudaProbablyUsable(), "this machine looks CUDA-capable");
        List<String> notices = new CopyOnWriteArrayList<>();
        Ml2TensorException e = assertThrows(Ml2TensorException.class, () -> Predictor.open(MODEL, "m.onnx",
                PredictorOptions.builder().cuda(0).noticeSink(notices::add).build()));
        assertEquals(ErrorCode.PROVIDER_UNAVAILABLE, e.code());
        assertTrue(e.bareMessage().startsWith("CUDA was requested but is not available: "), e.bareMessage());
        assertTrue(e.hint().contains("CUDA 12") && e.hint().contains("cuDNN 9"), e.hint());
        assertEquals("m.onnx", e.context());
        assertEquals(List.of(), notices);
    }

    /**
     * With the probe overridden, AUTO really calls {@code addCUDA}, which fails here (no CUDA libraries),
     * and falls back to CPU with one notice carrying ORT's reason. Costs ≈3 s (ORT extracts its CUDA
     * provider library first).
     */
    @Test
    void autoFallsBackWhenOrtCannotLoadTheCudaProvider() {
        assumeFalse(cudaProbablyUsable(), "this machine looks CUDA-capable");
        assumeTrue(ai.onnxruntime.OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA),
                "a CPU-only ONNX Runtime build (-Pcpu) never tries CUDA");
        List<String> notices = new CopyOnWriteArrayList<>();
        PredictorOptions auto = PredictorOptions.builder().noticeSink(notices::add).build();
        try (Predictor p = Predictor.open(new ModelSource.Bytes(MODEL, "m.onnx"), auto, CudaProbe.assumeAvailable())) {
            assertEquals(Provider.CPU, p.provider());
            assertEquals(1, p.predict(new float[][] {{1, 2, 3, 4}}).rows());
        }
        assertEquals(1, notices.size(), notices.toString());
        assertTrue(notices.get(0).startsWith("CUDA unavailable ("), notices.get(0));

        Ml2TensorException e = assertThrows(Ml2TensorException.class, () -> Predictor.open(
                new ModelSource.Bytes(MODEL, "m.onnx"), PredictorOptions.builder().cuda(0).build(), CudaProbe.assumeAvailable()));
        assertEquals(ErrorCode.PROVIDER_UNAVAILABLE, e.code());
        assertTrue(e.bareMessage().startsWith("CUDA was requested but ONNX Runtime could not use it: "), e.bareMessage());
    }

    @Test
    void aBrokenModelIsReportedAsSuchEvenWhenCudaIsTried() {
        assumeFalse(cudaProbablyUsable(), "this machine looks CUDA-capable");
        List<String> notices = new CopyOnWriteArrayList<>();
        Ml2TensorException e = assertThrows(Ml2TensorException.class, () -> Predictor.open(
                new ModelSource.Bytes("not a model".getBytes(StandardCharsets.UTF_8), "bad.onnx"),
                PredictorOptions.builder().noticeSink(notices::add).build(), CudaProbe.system()));
        assertEquals(ErrorCode.MODEL_FORMAT, e.code());
        assertEquals(List.of(), notices, "no fallback notice when the model itself is bad");
    }

    @Test
    void librarySearchFindsLibrariesOnTheSearchPathAndInTheLoaderCache() throws IOException {
        Path libDir = Files.createDirectories(dir.resolve("cuda/lib64"));
        Files.createFile(libDir.resolve("libcudart.so.12"));
        Path cacheDir = Files.createDirectories(dir.resolve("cached"));
        Path cudnn = Files.createFile(cacheDir.resolve("libcudnn.so.9"));
        // The loader cache's string table: NUL-separated sonames and absolute paths.
        byte[] ldCache = ("glibc-ld.so.cache1.1\0libcudnn.so.9\0" + cudnn + "\0libfoo.so.1\0/nonexistent/libcufft.so.11\0")
                .getBytes(StandardCharsets.ISO_8859_1);
        SystemCudaProbe.LibrarySearch search = new SystemCudaProbe.LibrarySearch("/nowhere:" + libDir, ldCache);
        assertTrue(search.find("libcudart.so.12"), "found through LD_LIBRARY_PATH");
        assertTrue(search.find("libcudnn.so.9"), "found through the loader cache");
        assertFalse(search.find("libcufft.so.11"), "a cache entry whose file is gone does not count");
        assertFalse(search.find("libcublasLt.so.12"));
    }

    @Test
    void probeResultDescribesEverythingMissing() {
        CudaProbe.Result r = new CudaProbe.Result(List.of("no NVIDIA GPU device node (/dev/nvidia0)", "libcudart.so.12 not found"));
        assertFalse(r.available());
        assertEquals("no NVIDIA GPU device node (/dev/nvidia0), libcudart.so.12 not found", r.describe());
        assertTrue(CudaProbe.Result.AVAILABLE.available());
    }

    /** Run on a GPU machine with {@code -Dml2tensor.test.cuda=true}. */
    @Test
    @EnabledIfSystemProperty(named = "ml2tensor.test.cuda", matches = "true")
    void cudaRunsAndMatchesCpu() {
        assumeTrue(cudaProbablyUsable(), "the CUDA probe fails on this machine: " + CudaProbe.system().probe().describe());
        float[][] x = TestModels.rows(1000, 4, 9);
        try (Predictor gpu = Predictor.open(MODEL, PredictorOptions.builder().cuda(0).build());
             Predictor cpu = Predictor.open(MODEL, PredictorOptions.builder().device(Device.CPU).build())) {
            assertEquals(Provider.CUDA, gpu.provider());
            Predictions g = gpu.predict(x);
            Predictions c = cpu.predict(x);
            org.junit.jupiter.api.Assertions.assertArrayEquals(c.labels().asLongs(), g.labels().asLongs());
            float[] gp = ((Output.Floats) g.probabilities()).data();
            float[] cp = ((Output.Floats) c.probabilities()).data();
            for (int i = 0; i < gp.length; i++) {
                // Different kernels (cuBLAS vs MLAS, exp implementations): a few float ulps.
                assertEquals(cp[i], gp[i], 1e-6f, "value " + i);
            }
        }
    }
}
