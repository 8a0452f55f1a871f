package org.ml2tensor.runtime.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.runtime.ModelInfo;
import org.ml2tensor.runtime.Output;
import org.ml2tensor.runtime.Predictions;

/**
 * Writes predictions as CSV with the {@link PredictionLayout} columns. Floats use Java's shortest
 * decimal that reads back to the same value ({@link Float#toString}/{@link Double#toString}; NaN and
 * infinities as {@code NaN}, {@code Infinity}); string cells are made spreadsheet-safe ({@link #formulaSafe})
 * and quoted when needed (RFC 4180).
 */
public final class CsvPredictionWriter implements PredictionSink {
    private final ModelInfo info;
    private final Writer writer;
    private final AtomicOutput file;
    private final String name;
    private PredictionLayout layout;
    private boolean committed;
    private boolean closed;

    private CsvPredictionWriter(ModelInfo info, OutputStream stream, AtomicOutput file, String name) {
        this.info = info;
        this.writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
        this.file = file;
        this.name = name;
    }

    /** Writes {@code target} atomically (temporary file, fsync, rename on commit). */
    public static CsvPredictionWriter toFile(Path target, ModelInfo info) {
        AtomicOutput out = AtomicOutput.create(target);
        return new CsvPredictionWriter(info, out.stream(), out, target.toString());
    }

    /** Writes to a stream the caller owns (e.g. standard output); commit flushes it. */
    public static CsvPredictionWriter toStream(OutputStream stream, ModelInfo info) {
        return new CsvPredictionWriter(info, stream, null, "<stream>");
    }

    @Override
    public void write(Predictions chunk) {
        try {
            if (layout == null) {
                layout = PredictionLayout.of(info, chunk);
                writeLine(layout.headers());
            }
            List<PredictionLayout.Column> cols = layout.columns();
            Output[] outs = new Output[cols.size()];
            for (int i = 0; i < outs.length; i++) {
                String n = cols.get(i).output();
                outs[i] = chunk.output(n).orElseThrow(() -> new IllegalStateException("chunk lacks output " + n));
            }
            StringBuilder sb = new StringBuilder(16 * outs.length);
            for (int r = 0; r < chunk.rows(); r++) {
                sb.setLength(0);
                for (int i = 0; i < outs.length; i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    String text = outs[i].text(r, cols.get(i).index());
                    if (outs[i] instanceof Output.Strings) {
                        appendEscaped(sb, text);
                    } else {
                        sb.append(text);
                    }
                }
                sb.append('\n');
                writer.append(sb);
            }
        } catch (IOException e) {
            throw ioError(e);
        }
    }

    private void writeLine(List<String> cells) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            appendEscaped(sb, cells.get(i));
        }
        writer.append(sb).append('\n');
    }

    /**
     * Appends a text cell: spreadsheet-safe (see {@link #formulaSafe}), then quoted when needed (RFC 4180).
     */
    static void appendEscaped(StringBuilder sb, String raw) {
        String s = formulaSafe(raw);
        boolean quote = !s.isEmpty() && (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0
                || s.indexOf('\r') >= 0 || Character.isWhitespace(s.charAt(0))
                || Character.isWhitespace(s.charAt(s.length() - 1)));
        if (!quote) {
            sb.append(s);
            return;
        }
        sb.append('"').append(s.replace("\"", "\"\"")).append('"');
    }

    /**
     * CSV injection defence, as OWASP recommends and spreadsheet-safe writers do: a text cell (a class label)
     * that starts with {@code =}, {@code +}, {@code -}, {@code @}, tab or carriage return would be run as a
     * formula by a spreadsheet, so it gets a leading apostrophe ({@code -1+cmd|...} becomes
     * {@code '-1+cmd|...}). Cells that are plain decimal numbers ({@code -1}, {@code +2.5e3}) are not
     * formulas and stay as they are, so numeric labels read back unchanged.
     */
    static String formulaSafe(String s) {
        if (s.isEmpty()) {
            return s;
        }
        char c = s.charAt(0);
        if (c != '=' && c != '+' && c != '-' && c != '@' && c != '\t' && c != '\r') {
            return s;
        }
        return PLAIN_NUMBER.matcher(s).matches() ? s : "'" + s;
    }

    private static final java.util.regex.Pattern PLAIN_NUMBER =
            java.util.regex.Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    @Override
    public void commit() {
        try {
            writer.flush();
        } catch (IOException e) {
            throw ioError(e);
        }
        if (file != null) {
            file.commit();
        }
        committed = true;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (file != null) {
            file.close();
        } else if (!committed) {
            try {
                writer.flush();
            } catch (IOException e) {
                // The stream belongs to the caller; nothing more to do.
            }
        }
    }

    private Ml2TensorException ioError(IOException e) {
        return Ml2TensorException.of(ErrorCode.IO, "cannot write predictions: " + e.getMessage()).at(name).cause(e).build();
    }
}
