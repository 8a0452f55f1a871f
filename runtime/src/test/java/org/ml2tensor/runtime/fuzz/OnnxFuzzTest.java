package org.ml2tensor.runtime.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The seeded mutation fuzz of {@code .onnx} input ({@link OnnxFuzz}), {@value #CASES} cases, in a child JVM
 * with a 512 MiB heap (the bound for these small models); {@code scripts/fuzz.sh} runs longer campaigns.
 */
class OnnxFuzzTest {
    private static final long SEED = Long.getLong("ml2tensor.fuzz.seed", 0x5eed_2026L);
    static final int CASES = 5000;

    @Test
    void mutatedOnnxModelsAreRefusedCleanlyWithinTheHeapBound() throws Exception {
        int cases = Integer.getInteger("ml2tensor.fuzz.cases", CASES);
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                OnnxFuzz.class.getName(), Long.toString(SEED), Integer.toString(cases), "10");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                out.append(readAll(p));
            } catch (IOException e) {
                out.append("(output unreadable: ").append(e).append(')');
            }
        });
        reader.start();
        boolean done = p.waitFor(Long.getLong("ml2tensor.fuzz.timeout", 600), TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly().waitFor();
        }
        reader.join();
        System.out.println(out);
        assertTrue(done, "the fuzz did not finish in time");
        assertEquals(0, p.exitValue(), out.toString());
        String text = out.toString();
        assertTrue(text.contains("FUZZ family=onnx cases=" + cases + " ") && text.contains("failures=0"), text);
    }

    private static String readAll(Process p) throws IOException {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
