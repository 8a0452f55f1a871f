package org.ml2tensor.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.ml2tensor.compiler.CompileOptions;
import org.ml2tensor.ir.ModelIr;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.train.data.Chunk;
import org.ml2tensor.train.data.ChunkSource;
import org.ml2tensor.train.data.CsvChunkSource;
import org.ml2tensor.train.data.MissingValues;
import org.ml2tensor.train.data.NpyChunkSource;
import org.ml2tensor.train.data.ReadAheadChunkSource;
import org.ml2tensor.train.data.SourcePosition;
import org.ml2tensor.train.preprocessing.ScaledPipeline;
import org.ml2tensor.train.sgd.SgdClassifier;
import org.ml2tensor.train.sgd.SgdRegressor;

/**
 * One {@code ml2tensor train} run over a file: the first {@code holdoutRows} rows are kept aside for the
 * final evaluation, every other chunk goes through {@code partial_fit} ({@code epochs} passes), a
 * checkpoint is written every {@code checkpointEvery} chunks, on a malformed row (before the error is
 * reported) and on an interrupt, and the model is written at the end.
 */
public final class TrainingRun {
    /**
     * @param estimator       scikit-learn class name
     * @param settings        constructor parameters
     * @param input           .csv or .npy file
     * @param target          CSV target column (npy: {@code last} for the last column), or null
     * @param labels          CSV label file, or null
     * @param weightColumn    CSV sample-weight column, or null
     * @param classes         classifier labels, or null
     * @param fullFit         emulate scikit-learn's {@code fit} (all rows in memory, max_iter/tol epochs)
     */
    public record Config(String estimator, Settings settings, SklearnVersion version, Path input, String target,
                         Path labels, String weightColumn, double[] classes, int chunkRows, int epochs,
                         long holdoutRows, MissingValues missing, Path output, CompileOptions compileOptions,
                         Path checkpointDir, int checkpointEvery, boolean resume, boolean fullFit) {
    }

    /**
     * The outcome; {@code ir} is null when the run was interrupted, and for a pickle output of a model the IR
     * has no node for (CategoricalNB).
     */
    public record Summary(long rowsTrained, long chunks, int epochs, double seconds, Evaluation evaluation,
                          IncrementalEstimator estimator, ModelIr ir, boolean interrupted) {
    }

    private final Config c;
    private final Consumer<String> log;
    private volatile boolean stopRequested;
    private final CountDownLatch stopped = new CountDownLatch(1);

    public TrainingRun(Config config, Consumer<String> log) {
        this.c = config;
        this.log = log;
    }

    /** Asks the run to checkpoint and stop after the current chunk; waits up to {@code seconds} for that. */
    public void requestStop(long seconds) {
        stopRequested = true;
        try {
            stopped.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean npy() {
        return c.input().getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy");
    }

    private ChunkSource open(SourcePosition at) {
        if (npy()) {
            boolean last = c.target() != null;
            if (last && !c.target().equals("last")) {
                throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "for .npy input, --target must be 'last' "
                        + "(the last column holds the targets)").build();
            }
            return NpyChunkSource.open(c.input(), c.chunkRows(), last, at.rowsBefore());
        }
        CsvChunkSource.Options o = new CsvChunkSource.Options(c.target(), c.weightColumn(), c.labels(), c.chunkRows(),
                c.missing());
        return at.byteOffset() > 0 || at.rowsBefore() > 0 ? CsvChunkSource.resume(c.input(), o, at)
                : CsvChunkSource.open(c.input(), o);
    }

    /** A CSV source for one training pass: the next chunk is parsed on a second thread while this one trains. */
    private ChunkSource openForPass(SourcePosition at) {
        ChunkSource s = open(at);
        return s instanceof CsvChunkSource ? new ReadAheadChunkSource(s) : s;
    }

    /** Runs to the end (or to an interrupt) and writes the model. */
    public Summary run() {
        long t0 = System.nanoTime();
        try {
            IncrementalEstimator est = Estimators.create(c.estimator(), c.settings(), c.version(), c.classes());
            Trainer trainer = new Trainer(est);
            int startEpoch = 0;
            SourcePosition start = SourcePosition.START;
            if (c.resume()) {
                if (c.checkpointDir() == null) {
                    throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "--resume needs --checkpoint DIR").build();
                }
                Checkpoint cp = Checkpoint.read(c.checkpointDir());
                cp.restore(est);
                trainer.resumeCounts(cp.chunksDone(), cp.rowsDone());
                startEpoch = cp.epoch();
                start = cp.position();
                log.accept(String.format(Locale.ROOT, "resuming from %s: epoch %d, %,d rows trained, input at line %,d",
                        c.checkpointDir(), cp.epoch() + 1, cp.rowsDone(), cp.position().line() + 1));
            }
            List<Chunk> holdout = readHoldout();
            List<String> names;
            if (c.fullFit()) {
                names = fullFit(est, trainer);
            } else {
                names = chunked(est, trainer, startEpoch, start);
            }
            if (stopRequested) {
                return new Summary(trainer.rows(), trainer.chunks(), c.epochs(), seconds(t0), null, est, null, true);
            }
            ModelIr ir = irFor(trainer, names);
            Evaluation eval = null;
            if (!holdout.isEmpty() && est.newEvaluation() != null) {
                eval = est.newEvaluation();
                for (Chunk h : holdout) {
                    eval.add(h);
                }
            }
            if (c.output() != null) {
                ModelOutput.write(c.output(), est, ir, c.version(), c.compileOptions());
            }
            return new Summary(trainer.rows(), trainer.chunks(), c.epochs(), seconds(t0), eval, est, ir, false);
        } finally {
            stopped.countDown();
        }
    }

    /** The IR; for a pickle output only when the estimator has one (GaussianNB, CategoricalNB, … are pickles only). */
    private ModelIr irFor(Trainer trainer, List<String> names) {
        if (c.output() == null || !ModelOutput.isPickle(c.output())) {
            return trainer.ir(names);
        }
        try {
            return trainer.ir(names);
        } catch (Ml2TensorException e) {
            if (e.code() != ErrorCode.UNSUPPORTED) {
                throw e;
            }
            return null;
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private List<Chunk> readHoldout() {
        List<Chunk> out = new ArrayList<>();
        if (c.holdoutRows() <= 0) {
            return out;
        }
        long need = c.holdoutRows();
        try (ChunkSource s = open(SourcePosition.START)) {
            Chunk ch;
            while (need > 0 && (ch = s.next()) != null) {
                Chunk part = ch.rows() > need ? copy(ch.slice(0, (int) need)) : copy(ch);
                out.add(part);
                need -= part.rows();
            }
        }
        return out;
    }

    /** A heap copy (a mapped chunk must not outlive its source). */
    private static Chunk copy(Chunk ch) {
        double[][] rows = new double[ch.rows()][ch.width()];
        for (int i = 0; i < ch.rows(); i++) {
            for (int j = 0; j < ch.width(); j++) {
                rows[i][j] = ch.get(i, j);
            }
        }
        Chunk out = Chunk.of(rows, java.util.Arrays.copyOf(ch.y(), ch.rows()));
        return ch.sampleWeight() == null ? out : out.withSampleWeight(ch.sampleWeight());
    }

    private List<String> chunked(IncrementalEstimator est, Trainer trainer, int startEpoch, SourcePosition start) {
        List<String> names = List.of();
        Progress progress = new Progress(log);
        int passes = c.epochs() + (est instanceof ScaledPipeline ? 1 : 0);
        for (int epoch = startEpoch; epoch < passes; epoch++) {
            if (est instanceof ScaledPipeline pipe) {
                pipe.beginPass(epoch);
            }
            SourcePosition at = epoch == startEpoch ? start : SourcePosition.START;
            SourcePosition lastGood = at;
            try (ChunkSource s = openForPass(at)) {
                names = s.featureNames();
                long sinceCheckpoint = 0;
                while (true) {
                    Chunk ch;
                    try {
                        ch = s.next();
                    } catch (Ml2TensorException e) {
                        if (c.checkpointDir() != null && checkpointable(est)) {
                            Checkpoint.of(est, epoch, lastGood, trainer.chunks(), trainer.rows())
                                    .write(c.checkpointDir(), est, c.version());
                            log.accept(String.format(Locale.ROOT, "checkpoint written to %s (%,d rows trained); fix "
                                    + "the input and continue with --resume", c.checkpointDir(), trainer.rows()));
                        }
                        throw e;
                    }
                    if (ch == null) {
                        break;
                    }
                    SourcePosition after = ch.end();
                    long skip = c.holdoutRows() - (after.rowsBefore() - ch.rows());
                    if (skip > 0) {
                        ch = skip >= ch.rows() ? ch.slice(0, 0) : ch.slice((int) skip, ch.rows());
                    }
                    trainer.feed(ch);
                    lastGood = after;
                    progress.chunk(epoch, passes, trainer, s.fractionRead());
                    sinceCheckpoint++;
                    boolean stop = stopRequested;
                    if (c.checkpointDir() != null && checkpointable(est) && (stop || sinceCheckpoint >= c.checkpointEvery())) {
                        Checkpoint.of(est, epoch, after, trainer.chunks(), trainer.rows())
                                .write(c.checkpointDir(), est, c.version());
                        sinceCheckpoint = 0;
                    }
                    if (stop) {
                        log.accept(c.checkpointDir() != null
                                ? "interrupted: checkpoint written to " + c.checkpointDir() + "; continue with --resume"
                                : "interrupted (no --checkpoint DIR: the model so far is not kept)");
                        return names;
                    }
                }
            }
            if (c.checkpointDir() != null && checkpointable(est)) {
                Checkpoint.of(est, epoch + 1, SourcePosition.START, trainer.chunks(), trainer.rows())
                        .write(c.checkpointDir(), est, c.version());
            }
        }
        progress.done(trainer);
        return names;
    }

    private static boolean checkpointable(IncrementalEstimator est) {
        return est.fitted() || (est instanceof ScaledPipeline p && p.scalerFitted());
    }

    /** scikit-learn's {@code fit}: every training row in memory (one flat array), one call with max_iter epochs. */
    private List<String> fullFit(IncrementalEstimator est, Trainer trainer) {
        if (!(est instanceof SgdClassifier sc)) {
            throw Ml2TensorException.of(ErrorCode.UNSUPPORTED, "--fit is implemented for the SGD classifiers").build();
        }
        double[] x = new double[1 << 20];
        double[] y = new double[1 << 16];
        int n = 0;
        int d = 0;
        List<String> names;
        long seen = 0;
        try (ChunkSource s = open(SourcePosition.START)) {
            names = s.featureNames();
            d = s.width();
            Chunk ch;
            while ((ch = s.next()) != null) {
                for (int i = 0; i < ch.rows(); i++, seen++) {
                    if (seen < c.holdoutRows()) {
                        continue;
                    }
                    if ((long) (n + 1) * d > x.length) {
                        x = java.util.Arrays.copyOf(x, (int) Math.min(Integer.MAX_VALUE - 8, (long) x.length * 2));
                    }
                    if (n + 1 > y.length) {
                        y = java.util.Arrays.copyOf(y, y.length * 2);
                    }
                    for (int j = 0; j < d; j++) {
                        x[n * d + j] = ch.get(i, j);
                    }
                    y[n++] = ch.y()[i];
                }
            }
        }
        Chunk all = new Chunk(java.nio.DoubleBuffer.wrap(x, 0, n * d), n, d, d, y, null, null);
        long t0 = System.nanoTime();
        int nIter = sc.fit(all, sc.params().maxIter());
        trainer.resumeCounts(1, n);
        log.accept(String.format(Locale.ROOT, "fit: %,d rows, %d epochs (n_iter_), %.2f s in SGD", n, nIter,
                seconds(t0)));
        return names;
    }

    /** Progress lines on stderr: chunk, rows, rows/s, running loss. */
    private static final class Progress {
        private final Consumer<String> log;
        private final long start = System.nanoTime();
        private final boolean terminal = System.console() != null;
        private long lastPrint;

        Progress(Consumer<String> log) {
            this.log = log;
        }

        void chunk(int epoch, int epochs, Trainer t, double fraction) {
            long now = System.nanoTime();
            if (now - lastPrint < (terminal ? 200_000_000L : 2_000_000_000L)) {
                return;
            }
            lastPrint = now;
            double s = (now - start) / 1e9;
            int width = 24;
            int filled = Double.isNaN(fraction) ? 0 : (int) Math.round(Math.min(1, fraction) * width);
            log.accept(String.format(Locale.ROOT, "%s[%s%s] epoch %d/%d  chunk %,d  %,d rows  %,.0f rows/s  loss %.5f",
                    terminal ? "\r" : "", "#".repeat(filled), " ".repeat(width - filled), epoch + 1, epochs, t.chunks(),
                    t.rows(), t.rows() / Math.max(s, 1e-9), t.estimator().lastLoss()));
        }

        void done(Trainer t) {
            double s = (System.nanoTime() - start) / 1e9;
            log.accept(String.format(Locale.ROOT, "%strained %,d rows in %,d chunks, %.2f s (%,.0f rows/s), last chunk loss %.5f",
                    terminal ? "\n" : "", t.rows(), t.chunks(), s, t.rows() / Math.max(s, 1e-9), t.estimator().lastLoss()));
        }
    }
}
