package org.ml2tensor.train.data;

import java.nio.DoubleBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.runtime.FloatType;
import org.ml2tensor.runtime.io.CsvRowReader;
import org.ml2tensor.runtime.io.RowBlock;

/**
 * Chunks of a CSV file read with the runtime's {@link CsvRowReader} (same header rules, same correctly
 * rounded number parsing, same file:line errors): the target column picked by name — or read from a
 * separate label file, row for row — an optional sample-weight column, every other column a feature.
 * Memory is one block of {@code chunkRows} rows plus the chunk's arrays. Resumable at a chunk boundary
 * from its {@link SourcePosition}.
 */
public final class CsvChunkSource implements ChunkSource {
    /**
     * How to read the file.
     *
     * @param target       name of the target column, or null (unsupervised, or labels from {@code labelFile})
     * @param weightColumn name of a sample-weight column, or null
     * @param labelFile    a CSV with the targets in column {@code target} (or its only column), or null
     * @param chunkRows    rows per chunk
     * @param missing      what to do with missing cells
     */
    public record Options(String target, String weightColumn, Path labelFile, int chunkRows, MissingValues missing) {
        public Options {
            if (chunkRows < 1) {
                throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "--chunk-rows must be at least 1").build();
            }
            missing = missing == null ? MissingValues.ERROR : missing;
        }
    }

    private final Path file;
    private final Options options;
    private final CsvRowReader reader;
    private final CsvRowReader labels;
    private final RowBlock block;
    private final RowBlock labelBlock;
    private final int[] featureCols;
    private final int targetCol;
    private final int weightCol;
    private final int labelCol;
    private final List<String> featureNames;
    private long rowsDelivered;

    private CsvChunkSource(Path file, Options o, SourcePosition start) {
        this.file = file;
        this.options = o;
        boolean accepts = o.missing() != MissingValues.ERROR;
        CsvRowReader r = start.byteOffset() > 0 ? CsvRowReader.openAt(file, accepts, start.byteOffset(), start.line())
                : CsvRowReader.open(file, accepts);
        CsvRowReader lr = null;
        try {
            List<String> header = r.columnNames().orElseThrow();
            int t = -1;
            if (o.target() != null && o.labelFile() == null) {
                t = column(header, o.target(), file);
            }
            int w = o.weightColumn() == null ? -1 : column(header, o.weightColumn(), file);
            List<Integer> cols = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < header.size(); i++) {
                if (i != t && i != w) {
                    cols.add(i);
                    names.add(header.get(i));
                }
            }
            if (cols.isEmpty()) {
                throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "no feature columns left besides the target")
                        .at(file.toString()).build();
            }
            int lc = -1;
            if (o.labelFile() != null) {
                lr = start.byteOffset() > 0
                        ? CsvRowReader.openAt(o.labelFile(), accepts, start.labelByteOffset(), start.labelLine())
                        : CsvRowReader.open(o.labelFile(), accepts);
                List<String> lh = lr.columnNames().orElseThrow();
                lc = o.target() != null ? column(lh, o.target(), o.labelFile())
                        : lh.size() == 1 ? 0 : column(lh, "y", o.labelFile());
                labelBlock = RowBlock.allocate(FloatType.FLOAT64, o.chunkRows(), lh.size());
            } else {
                labelBlock = null;
            }
            this.reader = r;
            this.labels = lr;
            this.targetCol = t;
            this.weightCol = w;
            this.labelCol = lc;
            this.featureCols = cols.stream().mapToInt(Integer::intValue).toArray();
            this.featureNames = List.copyOf(names);
            this.block = RowBlock.allocate(FloatType.FLOAT64, o.chunkRows(), header.size());
            this.rowsDelivered = start.rowsBefore();
        } catch (RuntimeException e) {
            r.close();
            if (lr != null) {
                lr.close();
            }
            throw e;
        }
    }

    /** Opens {@code file} at its first data row. */
    public static CsvChunkSource open(Path file, Options options) {
        return new CsvChunkSource(file, options, SourcePosition.START);
    }

    /** Opens {@code file} at a position recorded by an earlier reader (a checkpoint). */
    public static CsvChunkSource resume(Path file, Options options, SourcePosition at) {
        return new CsvChunkSource(file, options, at);
    }

    private static int column(List<String> header, String name, Path file) {
        int i = header.indexOf(name);
        if (i < 0) {
            throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "no column '" + name + "' in the header")
                    .at(file.toString()).hint("columns: " + String.join(", ", header)).build();
        }
        return i;
    }

    @Override
    public String name() {
        return file.toString();
    }

    @Override
    public List<String> featureNames() {
        return featureNames;
    }

    @Override
    public int width() {
        return featureCols.length;
    }

    @Override
    public double fractionRead() {
        return reader.fractionRead();
    }

    /** Where the next chunk starts. */
    public SourcePosition position() {
        return new SourcePosition(reader.bytesConsumed(), reader.lineNumber(), rowsDelivered,
                labels == null ? 0 : labels.bytesConsumed(), labels == null ? 0 : labels.lineNumber());
    }

    @Override
    public Chunk next() {
        int n = reader.read(block);
        if (labels != null) {
            int m = n == 0 ? labels.read(labelBlock) : labels.read(labelBlock);
            if (m != n) {
                throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "the label file has "
                                + (m < n ? "fewer" : "more") + " rows than the data file")
                        .at(options.labelFile() + ":" + labels.lineNumber())
                        .hint("give one label per data row, in the same order").build();
            }
        }
        if (n == 0) {
            return null;
        }
        int d = featureCols.length;
        double[] x = new double[n * d];
        double[] y = new double[n];
        double[] w = weightCol >= 0 ? new double[n] : null;
        DoubleBuffer src = block.doubles();
        int width = block.width();
        int kept = 0;
        for (int i = 0; i < n; i++) {
            int base = i * width;
            boolean missing = false;
            int out = kept * d;
            for (int j = 0; j < d; j++) {
                double v = src.get(base + featureCols[j]);
                missing |= Double.isNaN(v);
                x[out + j] = v;
            }
            double yi = labels != null ? labelBlock.get(i, labelCol) : targetCol >= 0 ? src.get(base + targetCol) : 0;
            missing |= Double.isNaN(yi);
            double wi = 1;
            if (w != null) {
                wi = src.get(base + weightCol);
                missing |= Double.isNaN(wi);
            }
            if (missing && options.missing() == MissingValues.DROP_ROW) {
                continue;
            }
            if (Double.isNaN(yi) && (targetCol >= 0 || labels != null)) {
                throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "missing target value in row "
                        + (rowsDelivered + i + 1)).at(name()).hint("drop rows without a target (--missing drop)").build();
            }
            y[kept] = yi;
            if (w != null) {
                w[kept] = wi;
            }
            kept++;
        }
        rowsDelivered += n;
        if (kept < n) {
            x = java.util.Arrays.copyOf(x, kept * d);
        }
        return new Chunk(DoubleBuffer.wrap(x), kept, d, d, y, w, position());
    }

    @Override
    public void close() {
        reader.close();
        if (labels != null) {
            labels.close();
        }
    }
}
