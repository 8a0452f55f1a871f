package org.ml2tensor.cli.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ml2tensor.cli.tuning.StrategyTuner;
import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.compiler.CompiledModel;
import org.ml2tensor.compiler.ModelCompiler;
import org.ml2tensor.compiler.TreeStrategy;
import org.ml2tensor.importers.ModelFormat;
import org.ml2tensor.importers.ModelImporter;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.runtime.Device;
import org.ml2tensor.runtime.PredictorOptions;

/**
 * Does {@code --strategy auto} pick the fastest strategy at the expected batch size on the CPU? (A main class,
 * not a test; {@code scripts/auto_choice_check.sh} runs it.) For each model and expected batch it compiles
 * {@code auto}, then runs {@code --strategy tuned} ({@link StrategyTuner}: every portable strategy timed on
 * the CPU provider at that batch, interleaved) {@code RUNS} times, takes each strategy's median over the runs,
 * and compares auto's pick with the fastest. A hit: auto's pick is the fastest, or within 10% of it (the
 * spread between rounds on a shared machine).
 *
 * <p>Usage: {@code AutoChoiceCheck BATCHES RUNS MODEL...}
 */
public final class AutoChoiceCheck {
    private static final Pattern MEDIAN = Pattern.compile("([a-z-]+)=([0-9.]+)");

    private AutoChoiceCheck() {
    }

    public static void main(String[] args) {
        int[] batches = Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray();
        int runs = Integer.parseInt(args[1]);
        PredictorOptions cpu = PredictorOptions.builder().device(Device.CPU).intraOpThreads(1).parallelRuns(1).build();
        System.out.println("| model | expected batch | auto picks | fastest (tuned) | median ms per strategy | auto ÷ fastest | hit |");
        System.out.println("|---|---:|---|---|---|---:|---|");
        int hits = 0;
        int strict = 0;
        int cases = 0;
        for (int i = 2; i < args.length; i++) {
            Path file = Path.of(args[i]);
            ModelIr ir = ModelImporter.load(file, ModelImporter.resolve(file, ModelFormat.AUTO));
            String name = file.getParent().getFileName() + "/" + file.getFileName();
            for (int batch : batches) {
                CompileOptions o = CompileOptions.defaults().withExpectedBatchSize(batch);
                CompiledModel auto = ModelCompiler.compile(ir, o);
                Map<String, List<Double>> times = new LinkedHashMap<>();
                for (int r = 0; r < runs; r++) {
                    CompiledModel tuned = StrategyTuner.tune(ir, o.withStrategy(TreeStrategy.TUNED), cpu);
                    Matcher m = MEDIAN.matcher(tuned.report().strategyReason());
                    while (m.find()) {
                        times.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(Double.parseDouble(m.group(2)));
                    }
                }
                Map<String, Double> median = new LinkedHashMap<>();
                times.forEach((s, v) -> {
                    double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                    median.put(s, a[a.length / 2]);
                });
                String fastest = median.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
                String pick = auto.report().strategy();
                double ratio = median.getOrDefault(pick, Double.NaN) / median.get(fastest);
                boolean hit = ratio <= 1.10;
                hits += hit ? 1 : 0;
                strict += pick.equals(fastest) ? 1 : 0;
                cases++;
                StringBuilder ms = new StringBuilder();
                median.forEach((s, v) -> ms.append(ms.length() == 0 ? "" : ", ").append(s).append(' ')
                        .append(String.format(Locale.ROOT, "%.3f", v)));
                System.out.printf(Locale.ROOT, "| %s | %d | %s | %s | %s | %.2f× | %s |%n", name, batch, pick, fastest,
                        ms, ratio, hit ? "yes" : "**no**");
            }
        }
        System.out.printf(Locale.ROOT, "%nauto picked the fastest strategy in %d of %d cases, and one within 10%% of the"
                + " fastest in %d of %d.%n", strict, cases, hits, cases);
    }
}
