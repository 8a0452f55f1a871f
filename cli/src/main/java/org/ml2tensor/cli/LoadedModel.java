package org.ml2tensor.cli;

import java.nio.file.Path;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.CompileReport;
import org.ml2tensor.compiler.CompiledModel;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.compiler.TreeStrategy;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.importers.ModelFiles;
import org.ml2tensor.importers.ModelFormat;
import org.ml2tensor.importers.ModelImporter;
import org.ml2tensor.runtime.PredictorOptions;
import org.ml2tensor.cli.tuning.StrategyTuner;

/**
 * A model ready to run: the ONNX bytes of an {@code .onnx} file, or of a source model compiled on the fly.
 *
 * @param onnx   ONNX bytes
 * @param name   file name for messages
 * @param ir     the IR when compiled from a source model, else null
 * @param report the compile report when compiled, else null
 */
record LoadedModel(byte[] onnx, String name, ModelIr ir, CompileReport report) {

    static LoadedModel open(Path file, CompileSettings settings, PredictorOptions runOptions) {
        ModelFormat format = ModelImporter.resolve(file, settings.format());
        if (format == ModelFormat.ONNX) {
            return new LoadedModel(readAll(file), file.toString(), null, null);
        }
        ModelIr ir = ModelImporter.load(file, format, settings.importOptions());
        CompiledModel compiled = compile(ir, settings.options(), runOptions);
        for (String step : compiled.report().inexactSteps()) {
            System.err.println("warning: not exact in --precision " + compiled.report().precision().cliName()
                    + ": " + step);
        }
        return new LoadedModel(compiled.onnx(), file.toString(), ir, compiled.report());
    }

    static CompiledModel compile(ModelIr ir, CompileOptions options, PredictorOptions runOptions) {
        if (options.strategy() == TreeStrategy.TUNED) {
            return StrategyTuner.tune(ir, options, runOptions);
        }
        return ModelCompiler.compile(ir, options);
    }

    static byte[] readAll(Path file) {
        return ModelFiles.read(file);
    }
}
