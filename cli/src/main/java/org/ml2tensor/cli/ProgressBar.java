package org.ml2tensor.cli;

import java.io.PrintStream;

import org.ml2tensor.runtime.io.Progress;
import org.ml2tensor.runtime.io.ProgressListener;

/** A one-line progress bar with rows/s and ETA on stderr, drawn only when attached to a terminal. */
final class ProgressBar implements ProgressListener {
    private final PrintStream out;
    private final boolean enabled;
    private long lastDraw;
    private boolean drawn;

    private ProgressBar(PrintStream out, boolean enabled) {
        this.out = out;
        this.enabled = enabled;
    }

    static ProgressBar forTerminal(boolean quiet) {
        return new ProgressBar(System.err, !quiet && System.console() != null);
    }

    @Override
    public void onProgress(Progress p) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (drawn && now - lastDraw < 200_000_000L) {
            return;
        }
        lastDraw = now;
        drawn = true;
        int width = 30;
        double f = Double.isNaN(p.fractionDone()) ? 0 : Math.max(0, Math.min(1, p.fractionDone()));
        int filled = (int) Math.round(f * width);
        String eta = "";
        if (f > 0 && f < 1) {
            double seconds = p.elapsed().toNanos() / 1e9 * (1 - f) / f;
            eta = String.format(" ETA %dm%02ds", (long) seconds / 60, (long) seconds % 60);
        }
        out.printf("\r[%s%s] %5.1f%% %,d rows %,.0f rows/s%s   ", "#".repeat(filled), " ".repeat(width - filled),
                f * 100, p.rowsDone(), p.rowsPerSecond(), eta);
        out.flush();
    }

    void finish() {
        if (enabled && drawn) {
            out.println();
        }
    }
}
