package org.ml2tensor.compiler.lowering.tree;

import java.util.List;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.Precision;
import org.ml2tensor.compiler.Target;
import org.ml2tensor.compiler.TreeStrategy;
import org.ml2tensor.compiler.onnx.DType;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.ir.TreeEnsemble;

/**
 * The one list of tree strategies. Everything that enumerates strategies (the selector, {@code tuned},
 * {@code bench}, the CLI's help, the tests) reads it from here; adding a strategy is one plug-in class,
 * one {@link TreeStrategy} constant and one line below.
 */
public final class TreeStrategies {
    private static final List<TreeStrategyPlugin> PLUGINS = List.of(
            new GemmLowering(),
            new TreeTraversalLowering(),
            new PerfectTreeTraversalLowering(),
            new NativeTreeEnsembleLowering());

    private TreeStrategies() {
    }

    /** Every concrete strategy, in registration order. */
    public static List<TreeStrategy> all() {
        return PLUGINS.stream().map(TreeStrategyPlugin::strategy).toList();
    }

    /** The strategies whose graphs run on every execution provider. */
    public static List<TreeStrategy> portable() {
        return PLUGINS.stream().filter(TreeStrategyPlugin::portable).map(TreeStrategyPlugin::strategy).toList();
    }

    /**
     * The strategies worth trying under {@code o} ({@code tuned}, {@code bench}): the portable ones, plus the
     * non-portable ones that {@code o}'s target allows. Precision {@code auto} keeps a candidate that may
     * still be refused for a model comparing in float64 ({@link #unavailable}).
     */
    public static List<TreeStrategy> candidates(CompileOptions o) {
        DType comparison = o.precision() == Precision.FLOAT64 ? DType.DOUBLE : DType.FLOAT;
        return PLUGINS.stream().filter(p -> p.portable() || o.target() == Target.CPU_NATIVE)
                .filter(p -> p.unavailable(o, comparison) == null).map(TreeStrategyPlugin::strategy).toList();
    }

    /** CLI spellings of {@code auto}, {@code tuned} and every registered strategy, comma separated. */
    public static String cliNames() {
        StringBuilder s = new StringBuilder("auto, tuned");
        for (TreeStrategy t : all()) {
            s.append(", ").append(t.cliName());
        }
        return s.toString();
    }

    /**
     * Null when {@code strategy} fits every limit for {@code e} (all its tables, at graph arithmetic
     * {@code real}), else what would not fit.
     */
    public static String overLimit(TreeStrategy strategy, TreeEnsemble e, CompileOptions o, DType real) {
        return TreeLimits.overLimit(plugin(strategy).tables(e, o, real), o.maxTensorBytes());
    }

    /** Bytes of live intermediates per input row of {@code strategy}'s graph for {@code e}. */
    public static long bytesPerRow(TreeStrategy strategy, TreeEnsemble e, CompileOptions o, DType real) {
        return plugin(strategy).bytesPerRow(e, o, real);
    }

    static TreeStrategyPlugin plugin(TreeStrategy strategy) {
        for (TreeStrategyPlugin p : PLUGINS) {
            if (p.strategy() == strategy) {
                return p;
            }
        }
        throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "no tree lowering is registered for strategy "
                        + strategy.cliName())
                .at("--strategy " + strategy.cliName()).hint("choose one of " + cliNames()).build();
    }
}
