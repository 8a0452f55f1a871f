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
 * Chunks of a CSV file: the header read by the runtime's {@link CsvRowReader}, the rows by a single-pass
 * parser with the same rules (correctly rounded numbers, file:line and column errors) that writes each row
 * straight into the chunk's arrays: the target column picked by name — or read from a
 * separate label file, row for row — an optional sample-weight column, every other column a feature.
 * Memory is two chunks' arrays, used in turn — a chunk's arrays are reused by the next-but-one call to
 * {@link #next()}, so copy rows you keep longer — plus a 1 MiB read buffer (longer lines grow it, up to
 * 64 MiB). Resumable at a chunk boundary from its {@link SourcePosition}.
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
    private final CsvRowParser reader;
    private final CsvRowReader labels;
    private final double[] row;
    private final RowBlock labelBlock;
    private final int[] featureCols;
    private final int targetCol;
    private final int weightCol;
    private final int labelCol;
    private final List<String> featureNames;
    private long rowsDelivered;
    private final double[][] xs = new double[2][];
    private final double[][] ys = new double[2][];
    private final double[][] ws = new double[2][];
    private int turn;

    private CsvChunkSource(Path file, Options o, SourcePosition start) {
        this.file = file;
        this.options = o;
        boolean accepts = o.missing() != MissingValues.ERROR;
        List<String> header;
        long dataOffset;
        long dataLine;
        try (CsvRowReader h = CsvRowReader.open(file, accepts)) {
            header = h.columnNames().orElseThrow();
            dataOffset = start.byteOffset() > 0 ? start.byteOffset() : h.bytesConsumed();
            dataLine = start.byteOffset() > 0 ? start.line() : h.lineNumber();
        }
        CsvRowParser r = new CsvRowParser(file, dataOffset, dataLine, header, accepts);
        CsvRowReader lr = null;
        try {
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
                labelBlock = RowBlock.allocate(FloatType.FLOAT64, 1, lh.size());
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
            this.row = new double[header.size()];
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
        int cap = options.chunkRows();
        int d = featureCols.length;
        // Two sets of arrays, used in turn: no 16 MB allocation per chunk (humongous objects for G1), and a
        // chunk stays valid while the next one is read (asIterable() reads one ahead).
        int b = turn;
        turn ^= 1;
        if (xs[b] == null) {
            xs[b] = new double[cap * d];
            ys[b] = new double[cap];
            ws[b] = weightCol >= 0 ? new double[cap] : null;
        }
        double[] x = xs[b];
        double[] y = ys[b];
        double[] w = ws[b];
        int n = 0;
        int kept = 0;
        while (n < cap && reader.next(row)) {
            double yi;
            if (labels != null) {
                if (labels.read(labelBlock) != 1) {
                    throw labelCount("fewer");
                }
                yi = labelBlock.get(0, labelCol);
            } else {
                yi = targetCol >= 0 ? row[targetCol] : 0;
            }
            n++;
            boolean missing = Double.isNaN(yi);
            int out = kept * d;
            for (int j = 0; j < d; j++) {
                double v = row[featureCols[j]];
                missing |= v != v;
                x[out + j] = v;
            }
            double wi = 1;
            if (w != null) {
                wi = row[weightCol];
                missing |= Double.isNaN(wi);
            }
            if (missing) {
                if (options.missing() == MissingValues.DROP_ROW) {
                    continue;
                }
                if (Double.isNaN(yi) && (targetCol >= 0 || labels != null)) {
                    throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "missing target value in row "
                                    + (rowsDelivered + n)).at(name() + ":" + reader.lineNumber())
                            .hint("drop rows without a target (--missing drop)").build();
                }
            }
            y[kept] = yi;
            if (w != null) {
                w[kept] = wi;
            }
            kept++;
        }
        if (n < cap && labels != null && labels.read(labelBlock) != 0) {
            throw labelCount("more");
        }
        if (n == 0) {
            return null;
        }
        rowsDelivered += n;
        return new Chunk(DoubleBuffer.wrap(x), kept, d, d, y, w, position());
    }

    private Ml2TensorException labelCount(String fewerOrMore) {
        return Ml2TensorException.of(ErrorCode.INVALID_INPUT, "the label file has " + fewerOrMore
                        + " rows than the data file")
                .at(options.labelFile() + ":" + labels.lineNumber())
                .hint("give one label per data row, in the same order").build();
    }

    @Override
    public void close() {
        reader.close();
        if (labels != null) {
            labels.close();
        }
    }
}
