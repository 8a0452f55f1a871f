package org.ml2tensor.importers.fuzz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a main class of the test classpath in a child JVM with its own heap limit. */
public final class ForkedJvm {
    /** Exit status and combined output of a child JVM. */
    public record Result(int exit, String output) {
    }

    private ForkedJvm() {
    }

    /** Runs {@code mainClass args} with {@code -Xmx<heapMiB>m}, killing it after {@code timeoutSeconds}. */
    public static Result run(Class<?> mainClass, int heapMiB, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heapMiB + "m");
        cmd.add("-Xss4m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.append("(output unreadable: ").append(e).append(')');
            }
        });
        reader.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            reader.join();
            return new Result(-1, out + "\n(killed after " + timeoutSeconds + " s)");
        }
        reader.join();
        return new Result(p.exitValue(), out.toString());
    }
}
