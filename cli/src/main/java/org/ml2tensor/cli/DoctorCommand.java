package org.ml2tensor.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

import org.ml2tensor.compiler.Version;
import org.ml2tensor.runtime.RuntimeDiagnostics;

/** {@code ml2tensor doctor}: what runs models here, and why CUDA is or is not used. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Shows the Java runtime, the ONNX Runtime build, version and providers, where its native "
                + "libraries come from, the GPU device nodes, and which CUDA/cuDNN libraries the CUDA provider "
                + "needs were found (and where) or are missing (and where it looked).")
final class DoctorCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("ml2tensor " + Version.get());
        RuntimeDiagnostics.report().forEach(System.out::println);
        return 0;
    }
}
