package org.ml2tensor.importers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.ml2tensor.ir.TreeEnsemble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Fixture discovery and comparison helpers shared by the importer tests. */
public final class Fixtures {
    /** Unit roundoff of float32. */
    public static final double F32_EPS = 0x1p-24;

    private Fixtures() {
    }

    /** The test-resource folder {@code name}. */
    public static Path dir(String name) {
        URL url = Fixtures.class.getResource("/" + name);
        if (url == null) {
            throw new IllegalStateException("missing test resources folder " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Case names: every {@code NAME.rows.csv} in the folder. */
    public static List<String> cases(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".rows.csv"))
                    .map(n -> n.substring(0, n.length() - ".rows.csv".length())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Compares the IR's raw scores with the library's margins. {@code tolerance(raw)} gives the allowed
     * absolute difference for one column of one row.
     */
    public static void assertRaw(String label, TreeEnsemble e, double[][] rows, double[][] margins,
                                 double scale, Tolerance tolerance) {
        assertEquals(rows.length, margins.length, label + ": rows vs margins");
        for (int r = 0; r < rows.length; r++) {
            IrEvaluator.Raw raw = IrEvaluator.raw(e, rows[r]);
            assertEquals(e.outputWidth(), margins[r].length, label + ": margin columns");
            for (int k = 0; k < e.outputWidth(); k++) {
                double expected = margins[r][k] * scale;
                double tol = tolerance.of(raw, k);
                double got = raw.scores()[k];
                if (!(Math.abs(got - expected) <= tol)) {
                    fail(label + " row " + r + " column " + k + ": IR raw " + got + " vs library " + expected
                            + " (tolerance " + tol + ")");
                }
            }
        }
    }

    /**
     * Compares transformed IR outputs with the library's predictions: values, or the class index when the
     * library predicted one column for a multi-column model (multi:softmax).
     */
    public static void assertPredictions(String label, TreeEnsemble e, double[][] rows, double[][] preds,
                                         Tolerance rawTolerance) {
        assertEquals(rows.length, preds.length, label + ": rows vs predictions");
        for (int r = 0; r < rows.length; r++) {
            IrEvaluator.Raw raw = IrEvaluator.raw(e, rows[r]);
            double[] out = IrEvaluator.transform(e.transform(), raw.scores());
            if (preds[r].length == 1 && out.length > 1) {
                assertEquals((int) preds[r][0], IrEvaluator.argmax(out), label + " row " + r + ": class");
                continue;
            }
            assertEquals(out.length, preds[r].length, label + ": prediction columns");
            for (int k = 0; k < out.length; k++) {
                double expected = preds[r][k];
                // margin error propagated through transforms whose slope is at most max(1, |output|),
                // plus float32 rounding of the library's own output
                double tol = rawTolerance.of(raw, k) * Math.max(1, Math.abs(expected))
                        + 4 * F32_EPS * Math.abs(expected) + 1e-12;
                if (!(Math.abs(out[k] - expected) <= tol)) {
                    fail(label + " row " + r + " column " + k + ": IR output " + out[k] + " vs library "
                            + expected + " (tolerance " + tol + ")");
                }
            }
        }
    }

    /** Allowed absolute error of one raw score column. */
    @FunctionalInterface
    public interface Tolerance {
        double of(IrEvaluator.Raw raw, int column);

        /**
         * XGBoost accumulates leaf values in float32: the classical bound for recursive summation of n
         * terms is {@code (n-1)·u·Σ|terms|} with {@code u = 2^-24}; plus 1e-6 absolute.
         */
        static Tolerance float32Sum() {
            return (raw, k) -> 1e-6 + raw.terms() * F32_EPS * raw.absoluteTerms()[k];
        }

        /** Double-precision libraries (LightGBM): 1e-9 relative to the terms' magnitude, plus 1e-12. */
        static Tolerance float64() {
            return (raw, k) -> 1e-12 + 1e-9 * raw.absoluteTerms()[k];
        }
    }

    public static void assertFileExists(Path p) {
        assertTrue(Files.exists(p), "missing fixture " + p);
    }
}
