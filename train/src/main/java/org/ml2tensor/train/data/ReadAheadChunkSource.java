package org.ml2tensor.train.data;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * Reads the next chunk of a source on a second thread while the caller trains on the current one, so that
 * parsing and training overlap on two cores. Chunks come out in the source's order, with the source's
 * positions ({@link Chunk#end()}); an error of the source (a malformed row) is thrown by the {@link #next()}
 * call that would have returned the chunk holding it, after every earlier chunk was handed out.
 *
 * <p>The wrapped source must keep a chunk valid while it reads the following one (true of
 * {@link CsvChunkSource}, whose arrays alternate). A chunk returned here stays valid until the next call
 * of {@link #next()}. {@link #close()} waits for a read in flight, then closes the source.
 */
public final class ReadAheadChunkSource implements ChunkSource {
    private record Read(Chunk chunk, double fraction) {
    }

    private final ChunkSource source;
    private final ExecutorService reader;
    private Future<Read> pending;
    private double fraction;
    private boolean finished;

    public ReadAheadChunkSource(ChunkSource source) {
        this.source = source;
        this.reader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ml2tensor-read-ahead");
            t.setDaemon(true);
            return t;
        });
        this.fraction = source.fractionRead();
    }

    @Override
    public String name() {
        return source.name();
    }

    @Override
    public List<String> featureNames() {
        return source.featureNames();
    }

    @Override
    public int width() {
        return source.width();
    }

    @Override
    public Chunk next() {
        if (finished) {
            return null;
        }
        if (pending == null) {
            pending = submit();
        }
        Read r = await(pending);
        pending = null;
        if (r.chunk() == null) {
            finished = true;
            return null;
        }
        fraction = r.fraction();
        pending = submit();
        return r.chunk();
    }

    private Future<Read> submit() {
        return reader.submit(() -> {
            Chunk c = source.next();
            return new Read(c, source.fractionRead());
        });
    }

    private Read await(Future<Read> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            finished = true;
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw Ml2TensorException.of(ErrorCode.IO, "cannot read input: " + cause).at(source.name()).cause(cause)
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = true;
            throw Ml2TensorException.of(ErrorCode.RUNTIME, "interrupted while reading").at(source.name()).build();
        }
    }

    /** The fraction of the input behind the last chunk returned. */
    @Override
    public double fractionRead() {
        return fraction;
    }

    @Override
    public void close() {
        try {
            if (pending != null) {
                try {
                    pending.get();
                } catch (ExecutionException | RuntimeException e) {
                    // the chunk was never asked for: its error does not matter any more
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        } finally {
            reader.shutdown();
            source.close();
        }
    }
}
