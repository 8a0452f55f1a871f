package org.ml2tensor.train.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.runtime.io.DecimalParser;
import org.ml2tensor.runtime.io.ReadBuffers;

/**
 * Single-pass parser of the data rows of a numeric CSV file: each byte is looked at once, numbers are
 * parsed while the cell boundaries are found, and nothing is allocated per row or per cell. Same rules as
 * the runtime's {@code CsvRowReader}: quoted cells, CRLF, blank lines skipped, {@code nan}/empty = missing,
 * {@code inf}; numbers are read by the runtime's {@link DecimalParser} (the same parser, so both readers
 * round alike, exactly as Python's {@code float()}): a plain number is parsed where the cell starts
 * ({@link DecimalParser#scan}), anything else once its cell's end is found ({@link DecimalParser#parse}).
 *
 * <p>A row that straddles the end of the buffer is parsed again from its start after the buffer is
 * refilled (once per 1 MiB), so no line is scanned twice in the common case. Lines are bounded (64 MiB).
 */
final class CsvRowParser implements AutoCloseable {
    private static final int NEED_MORE = -1;

    private final FileChannel channel;
    private final String name;
    private final List<String> header;
    private final boolean acceptsMissing;
    private final long sizeBytes;
    private final DecimalParser number = new DecimalParser();
    private byte[] buf = new byte[ReadBuffers.INITIAL];
    private int pos;
    private int end;
    private boolean eof;
    private long consumed;
    private long line;
    /** The end of the cell the slow path looked at. */
    private int slowEnd;

    /**
     * @param offset byte offset of the first data row to read
     * @param line   the number of the line before it (the header's, or a checkpoint's)
     */
    CsvRowParser(Path file, long offset, long line, List<String> header, boolean acceptsMissing) {
        this.name = file.toString();
        this.header = header;
        this.acceptsMissing = acceptsMissing;
        try {
            this.channel = FileChannel.open(file, StandardOpenOption.READ);
            this.sizeBytes = channel.size();
            if (offset > sizeBytes) {
                channel.close();
                throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "cannot resume at byte " + offset
                        + ": the file has " + sizeBytes).at(name).hint("the input changed since the checkpoint was written")
                        .build();
            }
            channel.position(offset);
        } catch (IOException e) {
            throw Ml2TensorException.of(ErrorCode.IO, "cannot read input file: " + e.getMessage()).at(name).cause(e)
                    .build();
        }
        this.consumed = offset;
        this.line = line;
    }

    /** Offset of the next unread row. */
    long bytesConsumed() {
        return consumed;
    }

    /** Number of the last line read. */
    long lineNumber() {
        return line;
    }

    double fractionRead() {
        return sizeBytes > 0 ? Math.min(1.0, (double) consumed / sizeBytes) : Double.NaN;
    }

    /** Parses the next data row into {@code row[0, width)}; false at the end of the file. */
    boolean next(double[] row) {
        while (true) {
            if (pos >= end) {
                if (eof || !fill()) {
                    return false;
                }
                continue;
            }
            byte b = buf[pos];
            if (b == '\n') {
                pos++;
                consumed++;
                line++;
                continue;
            }
            if (b == '\r' && (pos + 1 < end || eof)) {
                if (pos + 1 == end || buf[pos + 1] == '\n') {
                    int n = pos + 1 == end ? 1 : 2;
                    pos += n;
                    consumed += n;
                    line++;
                    continue;
                }
            }
            int after = parseRow(pos, row);
            if (after != NEED_MORE) {
                line++;
                consumed += after - pos;
                pos = after;
                return true;
            }
            if (!fill()) {
                // No more bytes: the row ends at the end of the file (parsed again with eof set).
                int last = parseRow(pos, row);
                line++;
                consumed += last - pos;
                pos = last;
                return true;
            }
        }
    }

    /** Parses the row at {@code p}; returns the offset after its line end, or NEED_MORE. */
    private int parseRow(int start, double[] row) {
        final byte[] b = buf;
        final int lim = end;
        final int width = row.length;
        int p = start;
        int col = 0;
        while (true) {
            if (col == width) {
                throw columnCount(start);
            }
            // ---- fast path: a plain number followed by ',' '\n' '\r' or the end of the file
            int cellStart = p;
            int after = number.scan(b, p, lim);
            if (after == lim && !eof) {
                return NEED_MORE;
            }
            double v;
            if (after != DecimalParser.NO_NUMBER && (after == lim || b[after] == ',' || b[after] == '\n'
                    || b[after] == '\r')) {
                v = number.doubleValue();
                p = after;
            } else {
                // ---- slow path: quotes, spaces, nan/inf, malformed cells, a cell cut by the buffer's end
                int status = slowCell(cellStart, col);
                if (status == NEED_MORE) {
                    return NEED_MORE;
                }
                v = slowValue;
                p = slowEnd;
            }
            row[col++] = v;
            if (p == lim) {
                break; // end of file (eof set: a NEED_MORE was returned otherwise)
            }
            byte t = b[p];
            if (t == ',') {
                p++;
                continue;
            }
            if (t == '\n') {
                p++;
                break;
            }
            if (t == '\r') {
                if (p + 1 < lim) {
                    if (b[p + 1] == '\n') {
                        p += 2;
                        break;
                    }
                } else if (!eof) {
                    return NEED_MORE;
                } else {
                    p++;
                    break;
                }
            }
            throw error(col - 1, "'" + excerpt(cellStart, p + 1) + "' is not a number");
        }
        if (col != width) {
            throw columnCount(start);
        }
        return p;
    }

    private double slowValue;

    /**
     * Finds the cell at {@code s} (quoted or not), parses it into {@link #slowValue} and sets {@link #slowEnd}
     * to the terminator; NEED_MORE when the cell's end is not in the buffer yet.
     */
    private int slowCell(int s, int col) {
        final byte[] b = buf;
        int cs;
        int ce;
        int next;
        if (s < end && b[s] == '"') {
            cs = s + 1;
            ce = indexOf('"', cs);
            if (ce < 0) {
                if (!eof) {
                    return NEED_MORE;
                }
                throw error(col, "unbalanced quote");
            }
            next = ce + 1;
            while (next < end && (b[next] == ' ' || b[next] == '\t')) {
                next++;
            }
            if (next == end && !eof) {
                return NEED_MORE;
            }
            if (next < end && b[next] != ',' && b[next] != '\n' && b[next] != '\r') {
                throw error(col, "unexpected text after a quoted cell");
            }
        } else {
            int q = s;
            while (q < end && b[q] != ',' && b[q] != '\n') {
                q++;
            }
            if (q == end && !eof) {
                return NEED_MORE;
            }
            next = q;
            if (q > s && b[q - 1] == '\r' && (q == end || b[q] == '\n')) {
                next = q - 1;
            }
            cs = s;
            ce = next;
        }
        slowEnd = next;
        while (cs < ce && (b[cs] == ' ' || b[cs] == '\t')) {
            cs++;
        }
        while (ce > cs && (b[ce - 1] == ' ' || b[ce - 1] == '\t')) {
            ce--;
        }
        int status = number.parse(b, cs, ce, false);
        if (status == DecimalParser.INVALID) {
            throw error(col, "'" + excerpt(cs, ce) + "' is not a number");
        }
        if (status == DecimalParser.MISSING) {
            if (!acceptsMissing) {
                String shown = cs == ce ? "empty cell" : "'" + excerpt(cs, ce) + "'";
                throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "missing value (" + shown + ") in "
                                + columnLabel(col))
                        .at(name + ":" + (line + 1))
                        .hint("drop rows with missing values (--missing drop), or impute them first").build();
            }
            slowValue = Double.NaN;
            return 0;
        }
        slowValue = number.doubleValue();
        return 0;
    }

    private int indexOf(char c, int from) {
        for (int i = from; i < end; i++) {
            if (buf[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** Moves the unread bytes to the front and reads more; false at the end of the file. */
    private boolean fill() {
        if (eof) {
            return false;
        }
        buf = ReadBuffers.compact(buf, pos, end, name, line + 1);
        end -= pos;
        pos = 0;
        try {
            int n = channel.read(ByteBuffer.wrap(buf, end, buf.length - end));
            if (n < 0) {
                eof = true;
                return false;
            }
            end += n;
            return true;
        } catch (IOException e) {
            throw Ml2TensorException.of(ErrorCode.IO, "cannot read input: " + e.getMessage()).at(name).cause(e).build();
        }
    }

    private Ml2TensorException columnCount(int start) {
        int cells = 1;
        boolean quoted = false;
        for (int i = start; i < end && buf[i] != '\n'; i++) {
            if (buf[i] == '"') {
                quoted = !quoted;
            } else if (buf[i] == ',' && !quoted) {
                cells++;
            }
        }
        return Ml2TensorException.of(ErrorCode.INVALID_INPUT, "the line has " + cells + " columns but the header has "
                        + header.size())
                .at(name + ":" + (line + 1)).hint("every line needs one value per header column").build();
    }

    private Ml2TensorException error(int col, String what) {
        return Ml2TensorException.of(ErrorCode.INVALID_INPUT, columnLabel(col) + ": " + what)
                .at(name + ":" + (line + 1))
                .hint("cells must be decimal numbers; write missing values as empty or nan").build();
    }

    private String columnLabel(int col) {
        return "column " + (col + 1) + " ('" + header.get(Math.min(col, header.size() - 1)) + "')";
    }

    private String excerpt(int s, int e) {
        int n = Math.max(0, Math.min(Math.min(e, end) - s, 40));
        String t = new String(buf, s, n, StandardCharsets.UTF_8).replace("\n", "").replace("\r", "");
        return e - s > 40 ? t + "…" : t;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing was written; closing an input cannot lose data
        }
    }
}
