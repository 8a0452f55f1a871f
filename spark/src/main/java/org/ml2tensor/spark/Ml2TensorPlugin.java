package org.ml2tensor.spark;

import java.util.Map;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * Optional Spark plugin ({@code --conf spark.plugins=org.ml2tensor.spark.Ml2TensorPlugin}) that closes
 * the executor's ONNX Runtime sessions when the executor stops, before the JVM exits, instead of
 * leaving it to the JVM shutdown hook.
 */
public final class Ml2TensorPlugin implements SparkPlugin {
    @Override
    public DriverPlugin driverPlugin() {
        return null;
    }

    @Override
    public ExecutorPlugin executorPlugin() {
        return new ExecutorPlugin() {
            @Override
            public void init(org.apache.spark.api.plugin.PluginContext ctx, Map<String, String> extraConf) {
                // predictors open lazily, on the first task that scores
            }

            @Override
            public void shutdown() {
                Ml2TensorExecutors.closeAll();
            }
        };
    }
}
