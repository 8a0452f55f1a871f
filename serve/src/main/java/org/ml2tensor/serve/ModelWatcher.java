package org.ml2tensor.serve;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.serve.metrics.ServeMetrics;

/**
 * Reloads models when their files change: watches the served directories (and the folders of models
 * given as files), waits until a changed file has been quiet for a moment (so a copy in progress is not
 * read half-written), and, when its content differs, loads it as the model's next version and swaps it
 * in. A file that fails to load leaves the old version serving. New model files in a served directory
 * are loaded too; deleted files keep serving their last version.
 */
final class ModelWatcher implements AutoCloseable {
    private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(300);
    private final ModelRepository repository;
    private final ServeMetrics metrics;
    private final Consumer<String> log;
    private final WatchService watch;
    private final Set<Path> directories;
    private final Set<Path> files;
    private final Map<WatchKey, Path> keys = new HashMap<>();
    private final Map<Path, Long> pending = new HashMap<>();
    private final Thread thread;

    ModelWatcher(ModelRepository repository, ServeMetrics metrics, List<Path> arguments, Consumer<String> log)
            throws IOException {
        this.repository = repository;
        this.metrics = metrics;
        this.log = log;
        this.watch = FileSystems.getDefault().newWatchService();
        this.directories = new java.util.HashSet<>();
        this.files = new java.util.HashSet<>();
        for (Path a : arguments) {
            Path abs = a.toAbsolutePath().normalize();
            if (Files.isDirectory(abs)) {
                directories.add(abs);
                register(abs);
            } else {
                files.add(abs);
                register(abs.getParent());
            }
        }
        thread = new Thread(this::run, "model-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void register(Path dir) throws IOException {
        if (!keys.containsValue(dir)) {
            keys.put(dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY),
                    dir);
        }
    }

    private boolean watched(Path file) {
        return ModelSource.isModelFile(file) && (files.contains(file) || directories.contains(file.getParent()));
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = pending.isEmpty() ? watch.take() : watch.poll(50, TimeUnit.MILLISECONDS);
                if (key != null) {
                    Path dir = keys.get(key);
                    for (WatchEvent<?> e : key.pollEvents()) {
                        if (e.context() instanceof Path name && dir != null) {
                            Path file = dir.resolve(name);
                            if (watched(file)) {
                                pending.put(file, System.nanoTime());
                            }
                        }
                    }
                    key.reset();
                }
                long now = System.nanoTime();
                for (Iterator<Map.Entry<Path, Long>> it = pending.entrySet().iterator(); it.hasNext(); ) {
                    Map.Entry<Path, Long> e = it.next();
                    if (now - e.getValue() >= QUIET_NANOS) {
                        it.remove();
                        reload(e.getKey());
                    }
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    private void reload(Path file) {
        String name = ModelSource.modelName(file);
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            if (!repository.changed(file)) {
                return;
            }
            ServedModel m = repository.install(file);
            metrics.reloads.inc(name, "ok");
            log.accept("ml2tensor serve: loaded " + file + " as model '" + name + "' version " + m.version());
        } catch (Ml2TensorException | IllegalStateException e) {
            metrics.reloads.inc(name, "failed");
            log.accept("ml2tensor serve: could not reload " + file + " (still serving the previous version): "
                    + e.getMessage());
        }
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            watch.close();
            thread.join(2000);
        } catch (IOException e) {
            // nothing to do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
