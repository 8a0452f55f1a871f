package org.ml2tensor.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import org.ml2tensor.io.AtomicFiles;
import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.CompileReport;
import org.ml2tensor.compiler.CompiledModel;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.error.Printable;
import org.ml2tensor.importers.ImportOptions;
import org.ml2tensor.importers.ModelImporter;
import org.ml2tensor.runtime.PredictorOptions;

/** {@code ml2tensor compile MODEL -o OUT.onnx}. */
@Command(name = "compile", mixinStandardHelpOptions = true,
        description = "Compiles a scikit-learn (.pkl/.joblib), XGBoost (.json/.ubj) or LightGBM (.txt) model "
                + "into an ONNX file of standard tensor ops.")
final class CompileCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The source model file.")
    Path model;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.onnx|-",
            description = "The ONNX file to write (atomically; a device, FIFO or - for standard output receives it "
                    + "once complete). Must not be the model.")
    Path output;

    @Mixin
    CompileSettings settings;

    @Override
    public Integer call() {
        CompileOptions options = settings.options(); // invalid options fail (exit 2) before any file is read
        ImportOptions importOptions = settings.importOptions();
        AtomicFiles.refuseSameFile(output, model);
        ModelIr ir = ModelImporter.load(model, settings.format(), importOptions);
        CompiledModel compiled = LoadedModel.compile(ir, options, PredictorOptions.defaults());
        try {
            compiled.writeTo(output);
        } catch (IOException e) {
            throw Ml2TensorException.of(ErrorCode.IO, "cannot write the ONNX file: " + e.getMessage())
                    .at(output.toString()).hint("check free space and that the folder is writable").cause(e).build();
        }
        CompileReport r = compiled.report();
        // With the model on standard output, the report goes to standard error.
        java.io.PrintStream report = AtomicFiles.isStdout(output) ? System.err : System.out;
        report.printf("compiled %s -> %s (%d bytes)%n", model, output, r.onnxBytes());
        report.printf("  estimator: %s%n  strategy:  %s (%s)%n  graph:     %d ONNX nodes%n", Printable.escape(r.estimator()),
                r.strategy(), Printable.escape(r.strategyReason()), r.graphNodes());
        printPrecision(r, report);
        return 0;
    }

    /** The precision line, and in fast mode every step that is no longer exact (also on stderr). */
    static void printPrecision(CompileReport r, java.io.PrintStream out) {
        out.printf("  precision: %s (%s input)%s%n", r.precision().cliName(), r.inputType(),
                r.inexactSteps().isEmpty() ? ": every step computes as the library does" : "");
        for (String s : r.inexactSteps()) {
            System.err.println("warning: not exact in --precision " + r.precision().cliName() + ": " + s);
        }
    }
}
