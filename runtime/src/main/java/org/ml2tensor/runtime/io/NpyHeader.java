package org.ml2tensor.runtime.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.runtime.FloatType;

/**
 * The header of a 2-D float32/float64 {@code .npy} file (format versions 1.0, 2.0 and 3.0): magic
 * {@code \x93NUMPY}, version, header length, then a Python dict literal with {@code descr},
 * {@code fortran_order} and {@code shape}. Parsing is bounded (header at most {@value #MAX_HEADER}
 * bytes) and checks that the file holds all the data the shape promises.
 *
 * @param type       element type
 * @param order      byte order of the data
 * @param fortranOrder whether the data is column-major
 * @param rows       first dimension
 * @param columns    second dimension
 * @param dataOffset byte offset of the first element
 */
public record NpyHeader(FloatType type, ByteOrder order, boolean fortranOrder, long rows, int columns, long dataOffset) {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    static final int MAX_HEADER = 1 << 20;

    /** Reads and validates the header at the start of {@code ch}. */
    public static NpyHeader read(FileChannel ch, String name) {
        try {
            long size = ch.size();
            ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, pre, 0);
            pre.flip();
            if (pre.remaining() < 10) {
                throw bad(name, "too short for an NPY file (" + size + " bytes)");
            }
            for (byte m : MAGIC) {
                if (pre.get() != m) {
                    throw bad(name, "not an NPY file (missing the \\x93NUMPY magic)");
                }
            }
            int major = pre.get() & 0xFF;
            int minor = pre.get() & 0xFF;
            long headerLen;
            int prefix;
            if (major == 1) {
                headerLen = pre.getShort() & 0xFFFF;
                prefix = 10;
            } else if (major == 2 || major == 3) {
                if (pre.remaining() < 4) {
                    throw bad(name, "truncated NPY header");
                }
                headerLen = pre.getInt() & 0xFFFF_FFFFL;
                prefix = 12;
            } else {
                throw Ml2TensorException.of(ErrorCode.UNSUPPORTED, "NPY format version " + major + "." + minor
                        + " is not supported (1.0, 2.0, 3.0 are)").at(name).build();
            }
            if (headerLen > MAX_HEADER) {
                throw Ml2TensorException.of(ErrorCode.LIMIT_EXCEEDED, "NPY header of " + headerLen + " bytes exceeds "
                        + MAX_HEADER).at(name).build();
            }
            if (prefix + headerLen > size) {
                throw bad(name, "truncated NPY header");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, prefix);
            String text = new String(hb.array(), 0, hb.position(),
                    major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            NpyHeader h = parseDict(text, name, prefix + headerLen);
            long need;
            try {
                need = Math.multiplyExact(Math.multiplyExact(h.rows(), (long) h.columns()), h.type().bytes());
            } catch (ArithmeticException e) {
                throw bad(name, "shape (" + h.rows() + ", " + h.columns() + ") is too large");
            }
            if (h.dataOffset() + need > size) {
                throw bad(name, "truncated: shape (" + h.rows() + ", " + h.columns() + ") needs " + need
                        + " bytes of data, the file has " + (size - h.dataOffset()));
            }
            return h;
        } catch (IOException e) {
            throw Ml2TensorException.of(ErrorCode.IO, "cannot read NPY file: " + e.getMessage()).at(name).cause(e).build();
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, long position) throws IOException {
        long p = position;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, p);
            if (n < 0) {
                return;
            }
            p += n;
        }
    }

    static NpyHeader parseDict(String text, String name, long dataOffset) {
        DictParser p = new DictParser(text, name);
        String descr = null;
        Boolean fortran = null;
        List<Long> shape = null;
        p.expect('{');
        while (true) {
            p.skipSpace();
            if (p.peek() == '}') {
                break;
            }
            String key = p.string();
            p.expect(':');
            switch (key) {
                case "descr" -> {
                    p.skipSpace();
                    if (p.peek() == '[') {
                        throw Ml2TensorException.of(ErrorCode.UNSUPPORTED, "structured NPY arrays are not supported")
                                .at(name).hint("save a plain 2-D float array").build();
                    }
                    descr = p.string();
                }
                case "fortran_order" -> fortran = p.bool();
                case "shape" -> shape = p.tuple();
                default -> throw bad(name, "unexpected header key '" + key + "'");
            }
            p.skipSpace();
            if (p.peek() == ',') {
                p.pos++;
            }
        }
        if (descr == null || fortran == null || shape == null) {
            throw bad(name, "the header lacks descr, fortran_order or shape: " + text.trim());
        }
        if (shape.size() != 2) {
            throw Ml2TensorException.of(ErrorCode.INVALID_INPUT, "the array has shape " + shape
                            + "; a 2-D (rows, features) array is needed").at(name)
                    .hint(shape.size() == 1 ? "reshape to (n, 1) for one feature or (1, n) for one row" : "save X as a 2-D array")
                    .build();
        }
        if (shape.get(1) > Integer.MAX_VALUE) {
            throw bad(name, "too many columns: " + shape.get(1));
        }
        return new NpyHeader(type(descr, name), order(descr), fortran, shape.get(0), (int) (long) shape.get(1), dataOffset);
    }

    private static FloatType type(String descr, String name) {
        String t = descr.length() > 1 && "<>=|".indexOf(descr.charAt(0)) >= 0 ? descr.substring(1) : descr;
        return switch (t) {
            case "f4" -> FloatType.FLOAT32;
            case "f8" -> FloatType.FLOAT64;
            default -> throw Ml2TensorException.of(ErrorCode.UNSUPPORTED, "NPY dtype '" + descr
                            + "' is not supported; float32 ('<f4') and float64 ('<f8') are")
                    .at(name).hint("convert first, e.g. np.save(path, X.astype(np.float32))").build();
        };
    }

    private static ByteOrder order(String descr) {
        return switch (descr.charAt(0)) {
            case '>' -> ByteOrder.BIG_ENDIAN;
            case '<' -> ByteOrder.LITTLE_ENDIAN;
            default -> ByteOrder.nativeOrder();
        };
    }

    private static Ml2TensorException bad(String name, String message) {
        return Ml2TensorException.of(ErrorCode.INVALID_INPUT, message).at(name)
                .hint("write the file with numpy.save").build();
    }

    /** Minimal parser for the Python literal of an NPY header. */
    private static final class DictParser {
        final String text;
        final String name;
        int pos;

        DictParser(String text, String name) {
            this.text = text;
            this.name = name;
        }

        void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        char peek() {
            if (pos >= text.length()) {
                throw bad(name, "truncated NPY header dict");
            }
            return text.charAt(pos);
        }

        void expect(char c) {
            skipSpace();
            if (peek() != c) {
                throw bad(name, "malformed NPY header: expected '" + c + "' at offset " + pos);
            }
            pos++;
        }

        String string() {
            skipSpace();
            char q = peek();
            if (q != '\'' && q != '"') {
                throw bad(name, "malformed NPY header: expected a string at offset " + pos);
            }
            int end = text.indexOf(q, pos + 1);
            if (end < 0) {
                throw bad(name, "malformed NPY header: unterminated string");
            }
            String s = text.substring(pos + 1, end);
            pos = end + 1;
            return s;
        }

        boolean bool() {
            skipSpace();
            if (text.startsWith("True", pos)) {
                pos += 4;
                return true;
            }
            if (text.startsWith("False", pos)) {
                pos += 5;
                return false;
            }
            throw bad(name, "malformed NPY header: expected True or False at offset " + pos);
        }

        List<Long> tuple() {
            expect('(');
            List<Long> dims = new ArrayList<>();
            while (true) {
                skipSpace();
                if (peek() == ')') {
                    pos++;
                    return dims;
                }
                int start = pos;
                while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                    pos++;
                }
                if (start == pos || pos - start > 18) {
                    throw bad(name, "malformed NPY shape at offset " + start);
                }
                dims.add(Long.parseLong(text.substring(start, pos)));
                if (dims.size() > 32) {
                    throw bad(name, "NPY shape has too many dimensions");
                }
                skipSpace();
                if (peek() == ',') {
                    pos++;
                }
            }
        }
    }
}
