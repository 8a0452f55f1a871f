package org.ml2tensor.cli.bench;

import java.util.Locale;

/** Renders a {@link BenchReport} as Markdown: a model line, the compile table, the timing table. */
public final class BenchMarkdown {
    private BenchMarkdown() {
    }

    public static String render(BenchReport r) {
        StringBuilder md = new StringBuilder();
        md.append("### ").append(r.model()).append("\n\n")
                .append("Model: ").append(r.description()).append(", ").append(r.features())
                .append(" features")
                .append(r.trees() > 0 ? ", " + r.trees() + " trees of max depth " + r.maxDepth() : "")
                .append(". Threads: ").append(r.threads()).append(". Device: ").append(r.device())
                .append(". Auto chose ").append(r.autoStrategy()).append(": ").append(r.autoReason()).append(".\n\n");
        md.append("| strategy | compile ms | .onnx bytes | ONNX nodes |\n|---|---:|---:|---:|\n");
        for (BenchReport.Compile c : r.compiles()) {
            if (c.skipped() != null) {
                md.append("| ").append(c.label()).append(" | skipped: ").append(c.skipped()).append(" | | |\n");
            } else {
                md.append(String.format(Locale.ROOT, "| %s | %.0f | %d | %d |%n", c.label(), c.millis(),
                        c.onnxBytes(), c.graphNodes()));
            }
        }
        md.append('\n');
        md.append("| batch | candidate | rows/s | p50 ms | p99 ms | calls | vs best peer |\n")
                .append("|---:|---|---:|---:|---:|---:|---:|\n");
        for (BenchReport.Timing t : r.timings()) {
            if (t.skipped() != null) {
                md.append(String.format(Locale.ROOT, "| %d | %s | skipped: %s | | | | |%n", t.batch(), t.candidate(),
                        t.skipped()));
            } else {
                md.append(String.format(Locale.ROOT, "| %d | %s | %,.0f | %.3f | %.3f | %d | %.2f× |%n", t.batch(),
                        t.candidate(), t.rowsPerSecond(), t.p50Millis(), t.p99Millis(), t.calls(), t.vsBestPeer()));
            }
        }
        return md.toString();
    }
}
