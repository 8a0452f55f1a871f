package org.ml2tensor.cli.tuning;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.CompiledModel;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.compiler.Target;
import org.ml2tensor.compiler.TreeStrategy;
import org.ml2tensor.compiler.lowering.tree.TreeStrategies;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.runtime.*;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * {@code --strategy tuned}: compiles every strategy that fits the limits, times each on the target
 * provider at the expected batch size (same rows, alternating candidates, median of several calls) and
 * returns the fastest, with the measurements as the recorded reason.
 */
public final class StrategyTuner {
    private StrategyTuner() {
    }

    public static CompiledModel tune(ModelIr ir, CompileOptions options, PredictorOptions runOptions) {
        CompileOptions auto = options.withStrategy(TreeStrategy.AUTO);
        CompiledModel autoModel = ModelCompiler.compile(ir, auto);
        if (autoModel.report().trees() == 0) {
            return autoModel;
        }
        List<TreeStrategy> strategies = TreeStrategies.candidates(options);
        List<TreeStrategy> names = new ArrayList<>();
        List<CompiledModel> models = new ArrayList<>();
        for (TreeStrategy s : strategies) {
            try {
                models.add(ModelCompiler.compile(ir, options.withStrategy(s)));
                names.add(s);
            } catch (Ml2TensorException e) {
                // over the limits, or (native with precision auto) a model that compares in float64
                if (e.code() != ErrorCode.LIMIT_EXCEEDED && !(e.code() == ErrorCode.INVALID_OPTION
                        && !TreeStrategies.portable().contains(s))) {
                    throw e;
                }
            }
        }
        int batch = options.expectedBatchSize();
        int width = ir.featureCount();
        long bytes = (long) batch * width * 4; // 64-bit: batch × width overflows int for wide models
        if (bytes > Integer.MAX_VALUE - 8) {
            throw Ml2TensorException.of(ErrorCode.LIMIT_EXCEEDED, "tuning at batch " + batch + " × " + width
                            + " features needs " + bytes + " bytes of input, more than one buffer holds (2 GiB)")
                    .at("--expected-batch").hint("tune with a smaller --expected-batch").build();
        }
        FloatBuffer rows = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder()).asFloatBuffer();
        rows.put(SyntheticRows.generate(ir, batch, 1)).flip();
        // each candidate's own graph: the CPU companion would answer small batches for all of them alike
        PredictorOptions po = runOptions.toBuilder().batchSize(Math.max(batch, runOptions.batchSize()))
                .cpuCompanion(false).build();
        long[][] times = new long[models.size()][];
        List<Predictor> predictors = new ArrayList<>();
        try {
            for (CompiledModel m : models) {
                predictors.add(Predictor.open(m.onnx(), "tuning candidate", po));
            }
            int reps = batch >= 50_000 ? 3 : batch >= 1000 ? 10 : 50;
            for (int i = 0; i < models.size(); i++) {
                times[i] = new long[reps];
                predictors.get(i).predict(rows.duplicate(), batch);
            }
            for (int r = 0; r < reps; r++) {
                for (int j = 0; j < models.size(); j++) {
                    int i = (j + r) % models.size();
                    long t0 = System.nanoTime();
                    predictors.get(i).predict(rows.duplicate(), batch);
                    times[i][r] = System.nanoTime() - t0;
                }
            }
        } finally {
            for (Predictor p : predictors) {
                p.close();
            }
        }
        int best = 0;
        double[] medians = new double[models.size()];
        StringBuilder why = new StringBuilder("tuned at batch " + batch + " on " + runOptions.device()
                + ": median ms");
        for (int i = 0; i < models.size(); i++) {
            long[] s = times[i].clone();
            Arrays.sort(s);
            medians[i] = s[s.length / 2] / 1e6;
            if (medians[i] < medians[best]) {
                best = i;
            }
            why.append(String.format(Locale.ROOT, " %s=%.3f", names.get(i).cliName(), medians[i]));
        }
        CompileOptions chosen = options.withStrategy(names.get(best))
                .withTarget(TreeStrategies.portable().contains(names.get(best)) ? options.target() : Target.CPU_NATIVE);
        return ModelCompiler.compile(ir, chosen, why.toString());
    }
}
