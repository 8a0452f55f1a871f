package org.ml2tensor.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.ml2tensor.io.AtomicFiles;
import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.train.pickle.Py;
import org.ml2tensor.train.pickle.PickleWriter;

/** Writes a trained estimator atomically: ONNX ({@code .onnx}) or a scikit-learn pickle ({@code .joblib}, {@code .pkl}). */
public final class ModelOutput {
    private ModelOutput() {
    }

    /** Whether {@code file} names a pickle rather than an ONNX file. */
    public static boolean isPickle(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".joblib") || n.endsWith(".pkl") || n.endsWith(".pickle");
    }

    /** The scikit-learn pickle bytes of {@code estimator} (records the scikit-learn version it matches). */
    public static byte[] pickle(IncrementalEstimator estimator, SklearnVersion version) {
        Py.Instance inst = estimator.toPickle();
        stampVersion(inst, version);
        return PickleWriter.write(inst);
    }

    /** Adds {@code _sklearn_version} to every scikit-learn object (as {@code __getstate__} does). */
    private static void stampVersion(Py v, SklearnVersion version) {
        if (v instanceof Py.Instance inst) {
            inst.state().values().forEach(x -> stampVersion(x, version));
            inst.state().put("_sklearn_version", Py.of(version.full()));
        } else if (v instanceof Py.Tuple t) {
            t.items().forEach(x -> stampVersion(x, version));
        } else if (v instanceof Py.PyList l) {
            l.items().forEach(x -> stampVersion(x, version));
        }
    }

    /** Writes {@code file}: a pickle for .joblib/.pkl, else the compiled ONNX graph. */
    public static void write(Path file, IncrementalEstimator estimator, ModelIr ir, SklearnVersion version,
                             CompileOptions options) {
        byte[] bytes = isPickle(file) ? pickle(estimator, version) : ModelCompiler.compile(ir, options).onnx();
        try {
            AtomicFiles.write(file, bytes);
        } catch (IOException e) {
            throw Ml2TensorException.of(ErrorCode.IO, "cannot write the model: " + e.getMessage())
                    .at(file.toString()).hint("check that the folder exists and is writable").cause(e).build();
        }
    }
}
