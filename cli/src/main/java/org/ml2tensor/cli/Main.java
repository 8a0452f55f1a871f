package org.ml2tensor.cli;

import java.io.PrintWriter;
import java.util.List;

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
        footer = "Run 'ml2tensor COMMAND --help' for a command's options.")
public final class Main implements java.util.concurrent.Callable<Integer> {

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

    /** The commands in usage order; each is built only when needed (see {@link #commandLine}). */
    static final List<String> COMMANDS = List.of("compile", "predict", "inspect", "train", "serve", "demo", "bench", "doctor",
            "list-estimators", "help");

    private static Object command(String name) {
        return switch (name) {
            case "compile" -> new CompileCommand();
            case "predict" -> new PredictCommand();
            case "inspect" -> new InspectCommand();
            case "train" -> new TrainCommand();
            case "serve" -> new ServeCommand();
            case "demo" -> new DemoCommand();
            case "bench" -> new BenchCommand();
            case "doctor" -> new DoctorCommand();
            case "list-estimators" -> new ListEstimatorsCommand();
            case "help" -> new CommandLine.HelpCommand();
            default -> throw new IllegalArgumentException(name);
        };
    }

    /**
     * The command line for {@code args}: when the first argument names a command, only that command is
     * built (picocli reflects over every registered command's annotations, which a one-shot
     * {@code predict} should not pay for); otherwise all of them, for usage and help.
     */
    static CommandLine commandLine(String[] args) {
        CommandLine cli = new CommandLine(new Main());
        String first = args.length > 0 ? args[0] : "";
        if (COMMANDS.contains(first) && !first.equals("help")) {
            cli.addSubcommand(first, command(first));
        } else {
            for (String name : COMMANDS) {
                cli.addSubcommand(name, command(name));
            }
        }
        return cli;
    }

    /** Runs the CLI and returns its exit status (0 = success). */
    public static int run(String... args) {
        CommandLine cli = commandLine(args);
        cli.setExecutionExceptionHandler(Main::handle);
        // Usage shows "-o OUT.onnx"; "--opt=value" still works (split below).
        cli.setSeparator(" ");
        return cli.execute(splitAttachedValues(args));
    }

    /** {@code --opt=value} → {@code --opt value} (before a {@code --} end-of-options marker). */
    static String[] splitAttachedValues(String[] args) {
        java.util.List<String> out = new java.util.ArrayList<>();
        boolean options = true;
        for (String a : args) {
            if (a.equals("--")) {
                options = false;
            }
            int eq = a.indexOf('=');
            if (options && eq > 1 && a.startsWith("-") && a.substring(0, eq).matches("--?[A-Za-z][A-Za-z0-9-]*")) {
                out.add(a.substring(0, eq));
                out.add(a.substring(eq + 1));
            } else {
                out.add(a);
            }
        }
        return out.toArray(String[]::new);
    }

    /** No command: the usage on standard error and exit status 2, like any other usage error. */
    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("error [invalid_option]: missing command");
        spec.commandLine().usage(err);
        err.flush();
        return 2;
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
            String message = String.valueOf(e.getMessage());
            String hint = message.contains("native thread")
                    ? "lower --threads (each thread needs a native stack), or raise the process's limits"
                    : "lower --threads or --batch-size, or give the JVM more heap with ML2TENSOR_JAVA_OPTS=-Xmx8g";
            err.println("error [limit_exceeded]: out of memory: " + Printable.escape(message) + " (hint: " + hint + ")");
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
