package org.ml2tensor.serve;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.importers.ModelFiles;
import org.ml2tensor.serve.metrics.ServeMetrics;

/**
 * The served models by name. Loading a new version of a model swaps it in atomically: requests that
 * already hold the old version finish on it, then it is closed.
 */
public final class ModelRepository implements AutoCloseable {
    private final ModelLoader loader;
    private final ServeConfig.Batching batching;
    private final ServeMetrics metrics;
    private final Map<String, ServedModel> models = new ConcurrentHashMap<>();
    private final Map<String, Integer> versions = new ConcurrentHashMap<>();
    private final List<ServedModel> retired = new ArrayList<>();

    ModelRepository(ModelLoader loader, ServeConfig.Batching batching, ServeMetrics metrics) {
        this.loader = loader;
        this.batching = batching;
        this.metrics = metrics;
    }

    /** Loads every file; two files with the same model name are refused. */
    void loadAll(List<Path> files) {
        Map<String, Path> byName = new LinkedHashMap<>();
        for (Path f : files) {
            Path other = byName.putIfAbsent(ModelSource.modelName(f), f);
            if (other != null) {
                throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "two files would be served as model '"
                                + ModelSource.modelName(f) + "': " + other + " and " + f).at(f.toString())
                        .hint("rename one of them: a model's name is its file name without the extension").build();
            }
        }
        for (Path f : byName.values()) {
            install(f);
        }
    }

    /** Loads (or reloads) one file and swaps it in; returns the new version. */
    synchronized ServedModel install(Path file) {
        String name = ModelSource.modelName(file);
        ModelLoader.Loaded loaded = loader.load(file);
        int version = versions.merge(name, 1, Integer::sum);
        String v = Integer.toString(version);
        ModelSignature signature = ModelSignature.of(loaded.predictor().info());
        DynamicBatcher batcher;
        try {
            batcher = new DynamicBatcher(name, v, loaded.predictor(), signature, batching, metrics);
        } catch (RuntimeException e) {
            loaded.predictor().close();
            throw e;
        }
        ServedModel model = new ServedModel(name, v, file, loaded.sha256(), loaded.predictor(), signature, batcher);
        ServedModel old = models.put(name, model);
        if (old != null) {
            retired.add(old);
            old.retire();
        }
        return model;
    }

    /** Whether the file's content differs from what is served under its name. */
    boolean changed(Path file) {
        ServedModel current = models.get(ModelSource.modelName(file));
        return current == null || !current.sha256().equals(ModelFiles.sha256(ModelFiles.read(file)));
    }

    /** The model serving this name, if any. */
    public Optional<ServedModel> get(String name) {
        return Optional.ofNullable(models.get(name));
    }

    public Collection<ServedModel> all() {
        return models.values();
    }

    /** Stops intake on every model and waits (up to the timeout) for queued requests to finish. */
    @Override
    public synchronized void close() {
        List<ServedModel> all = new ArrayList<>(models.values());
        all.addAll(retired);
        models.clear();
        for (ServedModel m : all) {
            m.retire();
        }
        for (ServedModel m : all) {
            try {
                m.batcher().awaitTermination(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
