package org.ml2tensor.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.CompiledModel;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.importers.sklearn.SklearnImporter;
import org.ml2tensor.runtime.Labels;
import org.ml2tensor.runtime.Matrix;
import org.ml2tensor.runtime.Predictions;
import org.ml2tensor.runtime.Predictor;

/**
 * {@code ml2tensor demo}: reads an embedded scikit-learn pickle (RandomForestClassifier on iris, made by
 * {@code cli/demo/make_demo_model.py}) with no Python, compiles it, runs it with ONNX Runtime on embedded
 * rows and checks the labels and probabilities against those scikit-learn itself computed.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Compiles an embedded scikit-learn model, predicts on embedded rows with ONNX Runtime and "
                + "checks the result against scikit-learn's own predictions.")
final class DemoCommand implements Callable<Integer> {
    private static final String BASE = "/org/ml2tensor/cli/demo/";
    /** Probabilities are float32 sums of 12 tree leaves: 1e-6 absolute covers their rounding. */
    private static final double TOLERANCE = 1e-6;

    @Mixin
    RunSettings run;

    @Override
    public Integer call() {
        byte[] pickle = resource("model.pkl");
        ModelIr ir = SklearnImporter.standard().load(pickle, "demo model.pkl");
        CompiledModel compiled = ModelCompiler.compile(ir, CompileOptions.defaults());
        List<String[]> input = csv(new String(resource("input.csv"), StandardCharsets.UTF_8));
        List<String[]> expected = csv(new String(resource("expected.csv"), StandardCharsets.UTF_8));
        String[] classes = expected.get(0);
        float[][] rows = new float[input.size() - 1][];
        for (int r = 0; r < rows.length; r++) {
            String[] cells = input.get(r + 1);
            rows[r] = new float[cells.length];
            for (int c = 0; c < cells.length; c++) {
                rows[r][c] = Float.parseFloat(cells[c]);
            }
        }
        System.out.println("ml2tensor demo: " + ir.source().description() + " read from an embedded pickle (no Python)");
        System.out.printf("  compiled: %s, strategy %s, %d ONNX nodes, %d bytes%n", compiled.report().estimator(),
                compiled.report().strategy(), compiled.report().graphNodes(), compiled.report().onnxBytes());
        try (Predictor predictor = Predictor.open(compiled.onnx(), "demo", run.options(0))) {
            Predictions p = predictor.predict(rows, List.of(input.get(0)));
            Labels labels = p.labels();
            Matrix proba = p.probabilities();
            int labelMatches = 0;
            double maxDiff = 0;
            System.out.printf("  running on %s: %d rows%n", predictor.provider(), rows.length);
            System.out.printf("  %-4s %-12s %-12s %s%n", "row", "ml2tensor", "scikit-learn", "probabilities (ml2tensor)");
            for (int r = 0; r < rows.length; r++) {
                String[] exp = expected.get(r + 1);
                String label = labels.labelText(r);
                if (label.equals(exp[0])) {
                    labelMatches++;
                }
                StringBuilder ps = new StringBuilder();
                for (int k = 0; k < classes.length - 1; k++) {
                    double got = proba.getDouble(r, k);
                    maxDiff = Math.max(maxDiff, Math.abs(got - Double.parseDouble(exp[k + 1])));
                    ps.append(String.format("%.4f ", got));
                }
                if (r < 8 || r == rows.length - 1) {
                    System.out.printf("  %-4d %-12s %-12s %s%n", r, label, exp[0], ps.toString().trim());
                } else if (r == 8) {
                    System.out.println("  ...");
                }
            }
            boolean ok = labelMatches == rows.length && maxDiff <= TOLERANCE;
            System.out.printf("%s: %d/%d labels equal scikit-learn's; max |probability difference| %.2e "
                            + "(tolerance %.0e)%n", ok ? "VERIFIED" : "MISMATCH", labelMatches, rows.length, maxDiff,
                    TOLERANCE);
            if (!ok) {
                throw Ml2TensorException.of(ErrorCode.VERIFICATION, "the demo predictions differ from scikit-learn's")
                        .hint("please report this with the output above").build();
            }
        }
        return 0;
    }

    private static byte[] resource(String name) {
        try (InputStream in = DemoCommand.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException("missing demo resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String[]> csv(String text) {
        List<String[]> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                rows.add(line.trim().split(","));
            }
        }
        return rows;
    }
}
