package org.ml2tensor.runtime.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * Reads a CSV file as text cells, for models with string columns: a header row, then rows; fields may be
 * double-quoted ({@code ""} is a quote inside a quoted field, and a quoted field may span lines). Lines are
 * bounded in length; every error names the line. Numeric cells are parsed later, by the predictor.
 */
public final class CsvCellReader implements AutoCloseable {
    static final int MAX_FIELD_CHARS = 1 << 20;

    private final BufferedReader in;
    private final String name;
    private final long sizeBytes;
    private final List<String> header;
    private long line;
    private long charsRead;

    private CsvCellReader(InputStream stream, String name, long sizeBytes) {
        this.in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8), 1 << 16);
        this.name = name;
        this.sizeBytes = sizeBytes;
        List<String> h = next();
        if (h == null) {
            throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "empty input: no header row").at(name)
                    .hint("the first line must name the columns").build();
        }
        this.header = List.copyOf(h);
    }

    public static CsvCellReader open(Path file) {
        try {
            InputStream in = Files.newInputStream(file);
            try {
                return new CsvCellReader(in, file.toString(), Files.size(file));
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

    public String name() {
        return name;
    }

    public List<String> header() {
        return header;
    }

    /** Line number of the row returned last (1 = the header). */
    public long line() {
        return line;
    }

    /** Approximate fraction of the file read, or NaN when the size is unknown. */
    public double fractionRead() {
        return sizeBytes > 0 ? Math.min(1.0, charsRead / (double) sizeBytes) : Double.NaN;
    }

    /** Up to {@code max} rows into {@code out} (cleared first); returns how many were read. */
    public int read(List<Object[]> out, int max) {
        out.clear();
        while (out.size() < max) {
            List<String> row = next();
            if (row == null) {
                break;
            }
            if (row.size() == 1 && row.get(0).isEmpty()) {
                continue; // blank line
            }
            if (row.size() != header.size()) {
                throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "line " + line + " has " + row.size()
                        + " cells but the header has " + header.size()).at(name)
                        .hint("every row needs one cell per header column").build();
            }
            out.add(row.toArray());
        }
        return out.size();
    }

    /** The next record's fields, or null at the end of the input. */
    private List<String> next() {
        try {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            line++;
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            boolean inQuotes = false;
            while (true) {
                if (c < 0) {
                    if (inQuotes) {
                        throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "unterminated quoted field at the end"
                                + " of the input").at(name + ":" + line).hint("close the quote").build();
                    }
                    fields.add(field.toString());
                    return fields;
                }
                charsRead++;
                char ch = (char) c;
                if (inQuotes) {
                    if (ch == '"') {
                        in.mark(1);
                        int d = in.read();
                        if (d == '"') {
                            field.append('"');
                            charsRead++;
                        } else {
                            inQuotes = false;
                            if (d >= 0) {
                                in.reset();
                            }
                        }
                    } else {
                        field.append(ch);
                    }
                } else if (ch == '"' && field.length() == 0 && !quoted) {
                    inQuotes = true;
                    quoted = true;
                } else if (ch == ',') {
                    fields.add(field.toString());
                    field.setLength(0);
                    quoted = false;
                } else if (ch == '\n') {
                    fields.add(strip(field));
                    return fields;
                } else {
                    field.append(ch);
                }
                if (field.length() > MAX_FIELD_CHARS) {
                    throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "a cell is longer than " + MAX_FIELD_CHARS
                            + " characters").at(name + ":" + line).hint("check the file is CSV").build();
                }
                c = in.read();
            }
        } catch (IOException e) {
            throw Ml2TensorException.of(ErrorCode.IO, "cannot read input: " + e.getMessage()).at(name + ":" + line)
                    .cause(e).build();
        }
    }

    private static String strip(StringBuilder field) {
        int n = field.length();
        return n > 0 && field.charAt(n - 1) == '\r' ? field.substring(0, n - 1) : field.toString();
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // nothing was written; closing a reader cannot lose data
        }
    }
}
