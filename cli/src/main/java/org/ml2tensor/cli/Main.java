package org.ml2tensor.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import org.ml2tensor.compiler.Version;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.error.Printable;

/** The {@code ml2tensor} command line. */
@Command(name = "ml2tensor", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Compiles scikit-learn, XGBoost and LightGBM models into ONNX tensor-op graphs and runs them "
                + "with ONNX Runtime.",
        subcommands = {CompileCommand.class, PredictCommand.class, InspectCommand.class, DemoCommand.class,
                BenchCommand.class, TrainCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Exit status of an unexpected internal error (a defect): the only status outside {@link ErrorCode}'s. */
    static final int INTERNAL_ERROR = 1;

    /**
     * Runs the CLI and always ends the process with its status, also after a fatal JVM error such as
     * {@code OutOfMemoryError} in any thread (worker pools must not keep the JVM alive).
     */
    public static void main(String[] args) {
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            if (e instanceof Error) {
                fatal(e, new PrintWriter(System.err, true));
                Runtime.getRuntime().halt(exitStatus(e));
            }
        });
        int status;
        try {
            status = run(args);
        } catch (Throwable e) {
            status = fatal(e, new PrintWriter(System.err, true));
        }
        System.exit(status);
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
        return fatal(e, cmd.getErr());
    }

    /**
     * Prints one escaped line for {@code e} (a stack trace only with {@code ML2TENSOR_DEBUG}) and returns
     * its exit status: the error code's, 9 for an {@code OutOfMemoryError}, 1 for anything else (a defect).
     */
    static int fatal(Throwable e, PrintWriter err) {
        if (e instanceof Ml2TensorException m) {
            err.println("error [" + m.code().name().toLowerCase(java.util.Locale.ROOT) + "]: " + m.getMessage());
        } else if (e instanceof OutOfMemoryError) {
            err.println("error [limit_exceeded]: out of memory: " + Printable.escape(e.getMessage())
                    + " (hint: lower --threads or --batch-size, or give the JVM more heap with "
                    + "ML2TENSOR_JAVA_OPTS=-Xmx8g)");
        } else {
            err.println("error [internal]: " + Printable.escape(e.toString())
                    + " (hint: this is a bug; rerun with ML2TENSOR_DEBUG=1 and report the stack trace)");
        }
        if (System.getenv("ML2TENSOR_DEBUG") != null) {
            e.printStackTrace(err);
        }
        err.flush();
        return exitStatus(e);
    }

    private static int exitStatus(Throwable e) {
        if (e instanceof Ml2TensorException m) {
            return m.code().exitStatus();
        }
        return e instanceof OutOfMemoryError ? ErrorCode.LIMIT_EXCEEDED.exitStatus() : INTERNAL_ERROR;
    }

    /** Prints the ml2tensor version. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"ml2tensor " + Version.get()};
        }
    }
}
