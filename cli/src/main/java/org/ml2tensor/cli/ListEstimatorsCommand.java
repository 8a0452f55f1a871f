package org.ml2tensor.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

import org.ml2tensor.importers.SupportedModels;

/** {@code ml2tensor list-estimators}: what the importers compile, from their registries. */
@Command(name = "list-estimators", mixinStandardHelpOptions = true,
        description = "Lists the scikit-learn classes, XGBoost objectives and LightGBM objectives ml2tensor "
                + "compiles (generated from the importers' registries).")
final class ListEstimatorsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        SupportedModels.render().forEach(System.out::println);
        return 0;
    }
}
