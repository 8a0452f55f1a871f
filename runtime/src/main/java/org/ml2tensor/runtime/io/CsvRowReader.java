package org.ml2tensor.runtime.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.runtime.FloatType;

/**
 * Streams a comma-separated file: a header line of feature names, then one row per line. Cells may be
 * quoted ({@code "1.5"}); {@code nan}, {@code NaN} or an empty cell is a missing value; blank lines are
 * skipped; CRLF line ends and a UTF-8 byte-order mark are accepted. Numbers are parsed straight from the
 * bytes to the correctly rounded double ({@link DecimalParser}); float32 blocks get that double rounded
 * to float32, exactly what numpy's {@code astype(float32)} makes of the same text. Memory is
 * bounded by the read buffer (1 MiB, growing only for a longer line, up to 64 MiB) and the block.
 *
 * <p>Errors are {@code INVALID_INPUT} with the context {@code <file>:<line>} and a message naming the
 * column: wrong number of columns, a non-numeric cell, a missing value when missing values are not
 * accepted, an empty file, a first line that looks like data rather than a header.
 */
public final class CsvRowReader implements RowSource {
    static final int INITIAL_BUFFER = ReadBuffers.INITIAL;

    private final InputStream in;
    private final String name;
    private final long sizeBytes;
    private final boolean acceptsMissing;
    private final List<String> header;
    private final DecimalParser parser = new DecimalParser();

    private byte[] buf = new byte[INITIAL_BUFFER];
    private int pos;
    private int end;
    private boolean eof;
    private long consumedBytes;
    private long line;

    private CsvRowReader(InputStream in, String name, long sizeBytes, boolean acceptsMissing) {
        this.in = in;
        this.name = name;
        this.sizeBytes = sizeBytes;
        this.acceptsMissing = acceptsMissing;
        this.header = readHeader();
    }

    /**
     * Opens {@code file} and reads its header.
     *
     * @param acceptsMissing whether NaN/empty cells are allowed (the model's {@code accepts_missing})
     */
    public static CsvRowReader open(Path file, boolean acceptsMissing) {
        try {
            InputStream in = Files.newInputStream(file);
            try {
                return new CsvRowReader(in, file.toString(), Files.size(file), acceptsMissing);
            } catch (RuntimeException e) {
                in.close();
                throw e;
            }
        } catch (NoSuchFileException e) {
            throw Ml2TensorException.of(ErrorCode.IO, "input file not found").at(file.toString()).cause(e).build();
        } catch (IOException e) {
            throw Ml2TensorException.of(ErrorCode.IO, "cannot read input file: " + e.getMessage())
                    .at(file.toString()).cause(e).build();
        }
    }

    /**
     * Opens {@code file}, reads its header, then continues at {@code byteOffset} (a value of
     * {@link #bytesConsumed()} from an earlier reader of the same file) counting lines from {@code line}
     * (the matching {@link #lineNumber()}), so a resumed run reports the same line numbers.
     */
    public static CsvRowReader openAt(Path file, boolean acceptsMissing, long byteOffset, long line) {
        CsvRowReader r = open(file, acceptsMissing);
        try {
            r.seek(byteOffset, line);
            return r;
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
    }

    /** Reads CSV from a stream (e.g. standard input); {@code sizeBytes} &lt; 0 when unknown. */
    public static CsvRowReader of(InputStream in, String name, long sizeBytes, boolean acceptsMissing) {
        return new CsvRowReader(in, name, sizeBytes, acceptsMissing);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<List<String>> columnNames() {
        return Optional.of(header);
    }

    @Override
    public int width() {
        return header.size();
    }

    @Override
    public OptionalLong totalRows() {
        return OptionalLong.empty();
    }

    @Override
    public double fractionRead() {
        return sizeBytes > 0 ? Math.min(1.0, (double) consumedBytes / sizeBytes) : Double.NaN;
    }

    @Override
    public int read(RowBlock block) {
        if (block.width() != header.size()) {
            throw new IllegalArgumentException("block width " + block.width() + " != " + header.size() + " columns");
        }
        boolean toFloat = block.type() == FloatType.FLOAT32;
        block.clear();
        int rows = 0;
        while (rows < block.capacity()) {
            int lineEnd = nextLine();
            if (lineEnd < 0) {
                break;
            }
            int start = pos;
            int contentEnd = lineEnd > start && buf[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
            advancePast(lineEnd);
            if (contentEnd == start) {
                continue;
            }
            parseRow(start, contentEnd, block, rows, toFloat);
            rows++;
        }
        block.setRows(rows);
        return rows;
    }

    private void parseRow(int start, int end, RowBlock block, int row, boolean toFloat) {
        int width = header.size();
        int col = 0;
        int p = start;
        while (true) {
            if (col == width) {
                throw columnCount(start, end);
            }
            int cellStart;
            int cellEnd;
            int next;
            if (buf[p] == '"') {
                cellStart = p + 1;
                cellEnd = indexOf((byte) '"', cellStart, end);
                if (cellEnd < 0) {
                    throw error(col, "unbalanced quote");
                }
                next = cellEnd + 1;
                while (next < end && (buf[next] == ' ' || buf[next] == '\t')) {
                    next++;
                }
                if (next < end && buf[next] != ',') {
                    throw error(col, "unexpected text after a quoted cell");
                }
            } else {
                cellStart = p;
                int comma = indexOf((byte) ',', p, end);
                cellEnd = comma < 0 ? end : comma;
                next = cellEnd;
            }
            // Always parsed to the nearest double first: a float32 model then gets that double rounded to
            // float32, as the libraries see a CSV (pandas/numpy read float64, then astype(float32)). Parsing
            // straight to float32 would round once and differ for decimals next to a float32 midpoint.
            int status = parser.parse(buf, cellStart, cellEnd, false);
            if (status == DecimalParser.INVALID) {
                throw error(col, "'" + excerpt(cellStart, cellEnd) + "' is not a number");
            }
            if (status == DecimalParser.MISSING) {
                if (!acceptsMissing) {
                    String shown = cellStart == cellEnd ? "empty cell" : "'" + excerpt(cellStart, cellEnd) + "'";
                    throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "missing value (" + shown + ") in "
                                    + columnLabel(col) + "; this model does not accept missing values")
                            .at(name + ":" + line)
                            .hint("impute missing values before predicting, or use a model trained to handle them")
                            .build();
                }
                if (toFloat) {
                    block.putFloat(row, col, Float.NaN);
                } else {
                    block.putDouble(row, col, Double.NaN);
                }
            } else if (toFloat) {
                block.putFloat(row, col, (float) parser.doubleValue());
            } else {
                block.putDouble(row, col, parser.doubleValue());
            }
            col++;
            if (next >= end) {
                break;
            }
            p = next + 1;
            if (p == end) {
                // A trailing comma opens one more, empty cell.
                if (col == width) {
                    throw columnCount(start, end);
                }
                if (!acceptsMissing) {
                    throw error(col, "empty cell after a trailing comma");
                }
                putMissing(block, row, col++, toFloat);
                break;
            }
        }
        if (col != width) {
            throw columnCount(start, end);
        }
    }

    private static void putMissing(RowBlock block, int row, int col, boolean toFloat) {
        if (toFloat) {
            block.putFloat(row, col, Float.NaN);
        } else {
            block.putDouble(row, col, Double.NaN);
        }
    }

    private Ml2TensorException columnCount(int start, int end) {
        int cells = 1;
        boolean quoted = false;
        for (int i = start; i < end; i++) {
            if (buf[i] == '"') {
                quoted = !quoted;
            } else if (buf[i] == ',' && !quoted) {
                cells++;
            }
        }
        return Ml2TensorException.of(ErrorCode.INVALID_INPUT, "the line has " + cells + " columns but the header has "
                        + header.size())
                .at(name + ":" + line).hint("every line needs one value per header column").build();
    }

    private Ml2TensorException error(int col, String what) {
        return Ml2TensorException.of(ErrorCode.INVALID_INPUT, columnLabel(col) + ": " + what)
                .at(name + ":" + line).hint("cells must be decimal numbers; write missing values as empty or nan").build();
    }

    private String columnLabel(int col) {
        return "column " + (col + 1) + " ('" + header.get(col) + "')";
    }

    private String excerpt(int s, int e) {
        String t = new String(buf, s, Math.min(e - s, 40), StandardCharsets.UTF_8);
        return e - s > 40 ? t + "…" : t;
    }

    // ---- header ----

    private List<String> readHeader() {
        int lineEnd;
        do {
            lineEnd = nextLine();
            if (lineEnd < 0) {
                throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "empty input: no header line").at(name)
                        .hint("the first line must name the feature columns, e.g. f0,f1,f2").build();
            }
            if (lineEnd == pos || (lineEnd == pos + 1 && buf[pos] == '\r')) {
                advancePast(lineEnd);
                lineEnd = -2;
            }
        } while (lineEnd == -2);
        int start = pos;
        if (line == 1 && lineEnd - start >= 3 && buf[start] == (byte) 0xEF && buf[start + 1] == (byte) 0xBB
                && buf[start + 2] == (byte) 0xBF) {
            start += 3;
        }
        int contentEnd = lineEnd > start && buf[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
        List<String> names = splitHeader(start, contentEnd);
        boolean allNumeric = true;
        for (String n : names) {
            byte[] b = n.getBytes(StandardCharsets.UTF_8);
            if (parser.parse(b, 0, b.length, false) != DecimalParser.OK) {
                allNumeric = false;
                break;
            }
        }
        if (allNumeric) {
            throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "the first line looks like data, not a header: "
                            + excerpt(start, contentEnd))
                    .at(name + ":" + line).hint("add a header line naming the feature columns").build();
        }
        advancePast(lineEnd);
        return List.copyOf(names);
    }

    private List<String> splitHeader(int start, int end) {
        List<String> names = new ArrayList<>();
        int p = start;
        while (true) {
            StringBuilder cell = new StringBuilder();
            int next;
            if (p < end && buf[p] == '"') {
                int q = p + 1;
                int runStart = q;
                while (true) {
                    if (q >= end) {
                        throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "unbalanced quote in the header")
                                .at(name + ":" + line).build();
                    }
                    if (buf[q] == '"') {
                        cell.append(new String(buf, runStart, q - runStart, StandardCharsets.UTF_8));
                        if (q + 1 < end && buf[q + 1] == '"') {
                            cell.append('"');
                            q += 2;
                            runStart = q;
                            continue;
                        }
                        q++;
                        break;
                    }
                    q++;
                }
                next = q;
                if (next < end && buf[next] != ',') {
                    throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "unexpected text after a quoted header cell")
                            .at(name + ":" + line).build();
                }
            } else {
                int comma = indexOf((byte) ',', p, end);
                next = comma < 0 ? end : comma;
                cell.append(new String(buf, p, next - p, StandardCharsets.UTF_8));
            }
            names.add(cell.toString());
            if (next >= end) {
                return names;
            }
            p = next + 1;
        }
    }

    // ---- buffer management ----

    /** Index of the next '\n' at or after {@link #pos} (or end of data at EOF); -1 at the end of input. */
    private int nextLine() {
        int scanFrom = pos;
        while (true) {
            int nl = indexOf((byte) '\n', scanFrom, end);
            if (nl >= 0) {
                line++;
                return nl;
            }
            if (eof) {
                if (pos < end) {
                    line++;
                    return end;
                }
                return -1;
            }
            scanFrom = end - pos;
            fill();
            scanFrom += pos;
        }
    }

    private void advancePast(int lineEnd) {
        int next = Math.min(lineEnd + 1, end);
        consumedBytes += next - pos;
        pos = next;
    }

    private void fill() {
        buf = ReadBuffers.compact(buf, pos, end, name, line + 1);
        end -= pos;
        pos = 0;
        try {
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                eof = true;
            } else {
                end += n;
            }
        } catch (IOException e) {
            throw Ml2TensorException.of(ErrorCode.IO, "cannot read input: " + e.getMessage()).at(name).cause(e).build();
        }
    }

    private int indexOf(byte c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** Bytes of the input consumed so far: the header and every row returned (the offset of the next row). */
    public long bytesConsumed() {
        return consumedBytes;
    }

    /** The number of the last line read (1-based; the header is line 1 unless blank lines precede it). */
    public long lineNumber() {
        return line;
    }

    private void seek(long offset, long atLine) {
        if (offset < consumedBytes || (sizeBytes >= 0 && offset > sizeBytes)) {
            throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "cannot resume at byte " + offset
                    + ": outside the data rows").at(name).hint("the input changed since the checkpoint was written")
                    .build();
        }
        long buffered = end - pos;
        long ahead = offset - consumedBytes;
        if (ahead <= buffered) {
            pos += (int) ahead;
        } else {
            long toSkip = ahead - buffered;
            pos = 0;
            end = 0;
            try {
                while (toSkip > 0) {
                    long k = in.skip(toSkip);
                    if (k <= 0) {
                        throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "the input ends before byte " + offset)
                                .at(name).hint("the input changed since the checkpoint was written").build();
                    }
                    toSkip -= k;
                }
            } catch (IOException e) {
                throw Ml2TensorException.of(ErrorCode.IO, "cannot read input: " + e.getMessage()).at(name).cause(e)
                        .build();
            }
        }
        consumedBytes = offset;
        line = atLine;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // Nothing was written; a failing close of an input stream loses no data.
        }
    }
}
