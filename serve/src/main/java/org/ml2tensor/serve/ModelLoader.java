package org.ml2tensor.serve;

import java.nio.file.Path;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.CompiledModel;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.importers.ModelFiles;
import org.ml2tensor.importers.ModelFormat;
import org.ml2tensor.importers.ModelImporter;
import org.ml2tensor.runtime.Predictor;
import org.ml2tensor.runtime.PredictorOptions;

/** Opens one model file for serving: an {@code .onnx} file as is, a source model compiled in memory. */
final class ModelLoader {
    private final PredictorOptions predictorOptions;
    private final CompileOptions compileOptions;

    ModelLoader(PredictorOptions predictorOptions, CompileOptions compileOptions) {
        this.predictorOptions = predictorOptions;
        this.compileOptions = compileOptions;
    }

    /** A loaded model: its predictor and the SHA-256 of the file it came from. */
    record Loaded(Predictor predictor, String sha256) {
    }

    Loaded load(Path file) {
        byte[] bytes = ModelFiles.read(file);
        String sha = ModelFiles.sha256(bytes);
        ModelFormat format = ModelImporter.resolve(file, ModelFormat.AUTO);
        byte[] onnx;
        if (format == ModelFormat.ONNX) {
            onnx = bytes;
        } else {
            CompiledModel compiled = ModelCompiler.compile(ModelImporter.load(file, format), compileOptions);
            onnx = compiled.onnx();
        }
        return new Loaded(Predictor.open(onnx, file.toString(), predictorOptions), sha);
    }
}
