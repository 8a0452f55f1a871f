package org.ml2tensor.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import org.ml2tensor.compiler.Version;
import org.ml2tensor.error.Ml2TensorException;

/** The {@code ml2tensor} command line. */
@Command(name = "ml2tensor", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Compiles scikit-learn, XGBoost and LightGBM models into ONNX tensor-op graphs and runs them "
                + "with ONNX Runtime.",
        subcommands = {CompileCommand.class, PredictCommand.class, InspectCommand.class, DemoCommand.class,
                BenchCommand.class, TrainCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit status (0 = success). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(Main::handle);
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parse) {
        PrintWriter err = cmd.getErr();
        if (e instanceof Ml2TensorException m) {
            err.println("error [" + m.code().name().toLowerCase(java.util.Locale.ROOT) + "]: " + m.getMessage());
            if (System.getenv("ML2TENSOR_DEBUG") != null) {
                e.printStackTrace(err);
            }
            err.flush();
            return m.code().exitStatus();
        }
        err.println("error [internal]: " + e);
        e.printStackTrace(err);
        err.flush();
        return 1;
    }

    /** Prints the ml2tensor version. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"ml2tensor " + Version.get()};
        }
    }
}
