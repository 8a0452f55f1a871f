package org.ml2tensor.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.Precision;
import org.ml2tensor.train.data.MissingValues;

/**
 * The pickles this module writes load in real scikit-learn and predict what the compiled ONNX graph computes
 * (and what scikit-learn's own partial_fit on the same chunks gives): every model of
 * {@code scripts/verify_train_pickles.py specs} is trained here through {@link TrainingRun} (pickle for
 * {@code --sklearn 1.9} and {@code 1.2}, plus float64 ONNX where the IR has the model), then the helper runs the
 * ONNX files in ONNX Runtime and checks every pickle in each interpreter.
 *
 * <p>Needs Python, so CI (which has none) skips it. Run it with, e.g.:
 * <pre>ML2TENSOR_VERIFY_PYTHONS=/usr/bin/python3,/work/venvs/skl-1.6.1/bin/python,/work/venvs/skl-1.9.1/bin/python \
 *   mvn -B -o -pl train -am test -Dtest=PickleCompatibilityTest -Dsurefire.failIfNoSpecifiedTests=false</pre>
 * The first interpreter writes the data; {@code ML2TENSOR_VERIFY_ONNX_PYTHON} (default: the last one) needs
 * onnxruntime. {@code scripts/verify_train_pickles.sh} does the same through the CLI.
 */
@EnabledIfEnvironmentVariable(named = "ML2TENSOR_VERIFY_PYTHONS", matches = ".+")
class PickleCompatibilityTest {
    @TempDir
    Path dir;

    private static final Path HELPER = Path.of("..", "scripts", "verify_train_pickles.py").toAbsolutePath().normalize();

    private static String python(String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(args).redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", args) + " failed:\n" + out);
        }
        return out;
    }

    @Test
    void everyPickleLoadsAndPredictsLikeTheOnnxGraphInEachScikitLearn() throws Exception {
        List<String> pythons = Arrays.asList(System.getenv("ML2TENSOR_VERIFY_PYTHONS").split(","));
        String onnxPython = System.getenv().getOrDefault("ML2TENSOR_VERIFY_ONNX_PYTHON", pythons.get(pythons.size() - 1));
        python(pythons.get(0), HELPER.toString(), "data", dir.toString());
        int trained = 0;
        for (String line : python(pythons.get(0), HELPER.toString(), "specs").split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\\|", -1);
            Map<String, String> sets = new LinkedHashMap<>();
            for (String kv : f[5].split(";")) {
                if (!kv.isEmpty()) {
                    sets.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
                }
            }
            double[] classes = f[4].equals("-") ? null
                    : Arrays.stream(f[4].split(",")).mapToDouble(Double::parseDouble).toArray();
            for (String v : List.of("1.9", "1.2")) {
                List<Path> outputs = new ArrayList<>(List.of(dir.resolve(f[0] + "-" + v + ".joblib")));
                if (f[6].equals("1")) {
                    outputs.add(dir.resolve(f[0] + "-" + v + ".onnx"));
                }
                for (Path out : outputs) {
                    new TrainingRun(new TrainingRun.Config(f[1], Settings.of(sets), SklearnVersion.parse(v),
                            dir.resolve(f[2]), f[3].equals("-") ? null : f[3], null, null, classes,
                            Integer.parseInt(f[7]), 1, 0, MissingValues.ERROR, out,
                            CompileOptions.defaults().withPrecision(Precision.FLOAT64), null, 1, false, false), s -> { })
                            .run();
                    trained++;
                }
            }
        }
        assertFalse(trained == 0);
        python(onnxPython, HELPER.toString(), "onnx", dir.toString());
        for (String py : pythons) {
            String report = python(py, HELPER.toString(), "check", dir.toString());
            assertEquals(true, report.contains("\"failures\": 0"), py + ": " + report);
            System.out.println(py + ": " + report.substring(0, report.indexOf(", \"results\"")) + "}");
        }
    }
}
