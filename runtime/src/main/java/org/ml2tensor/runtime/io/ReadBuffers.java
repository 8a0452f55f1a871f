package org.ml2tensor.runtime.io;

import java.util.Arrays;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * The read buffer of the line-oriented CSV readers (the runtime's {@link CsvRowReader} and the training
 * module's chunked parser): 1 MiB to start, doubled only when one line does not fit, up to 64 MiB.
 */
public final class ReadBuffers {
    /** The buffer's first size. */
    public static final int INITIAL = 1 << 20;
    /** The longest line a reader accepts. */
    public static final int MAX_LINE = 64 << 20;

    private ReadBuffers() {
    }

    /**
     * Before a refill: moves the unread bytes {@code buf[pos, end)} to the front and, when they fill the whole
     * buffer (one line longer than it), returns a buffer twice as large; the caller then has {@code end - pos}
     * bytes at offset 0 and reads more after them.
     *
     * @param where the file, for the error of a line longer than {@link #MAX_LINE}
     * @param line  the number of the line being read, likewise
     */
    public static byte[] compact(byte[] buf, int pos, int end, String where, long line) {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, end - pos);
        }
        if (end - pos < buf.length) {
            return buf;
        }
        if (buf.length >= MAX_LINE) {
            throw Ml2TensorException.of(ErrorCode.LIMIT_EXCEEDED, "a line is longer than " + (MAX_LINE >> 20) + " MiB")
                    .at(where + ":" + line).hint("is this a CSV file with one row per line?").build();
        }
        return Arrays.copyOf(buf, Math.min(MAX_LINE, buf.length * 2));
    }
}
