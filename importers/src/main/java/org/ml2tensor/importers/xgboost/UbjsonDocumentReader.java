package org.ml2tensor.importers.xgboost;

import org.ml2tensor.importers.ReadBudget;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * Reads XGBoost's UBJSON ({@code .ubj}, big-endian) into the same {@link DocValue} tree as the JSON reader.
 * Supports objects (keys are length-prefixed strings without an {@code S} marker), counted and
 * {@code ]}-terminated arrays, typed arrays ({@code [$T#n}), and the scalar markers
 * {@code Z T F i U I l L d D S C N}. Every length and count is checked against the remaining bytes.
 */
final class UbjsonDocumentReader {
    private static final int MAX_DEPTH = 64;

    private final byte[] in;
    private final String file;
    private int pos;

    private UbjsonDocumentReader(byte[] in, String file) {
        this.in = in;
        this.file = file;
    }

    static DocValue read(byte[] bytes, String file) {
        UbjsonDocumentReader r = new UbjsonDocumentReader(bytes, file);
        DocValue v = r.value(r.marker(), 0);
        if (r.pos != bytes.length) {
            throw r.error("unexpected content after the UBJSON document");
        }
        return v;
    }

    /** Budget per value (object, list slot) and per object field (map entry, key string). */
    private static final long VALUE_COST = 40;
    private static final long FIELD_COST = 96;

    private DocValue value(byte marker, int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH);
        }
        ReadBudget.charge(VALUE_COST, "UBJSON values");
        switch (marker) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case 'S':
                return new DocValue.Str(string(length()));
            case 'C':
                return new DocValue.Str(String.valueOf((char) (u8() & 0x7f)));
            case 'Z':
                return new DocValue.Null();
            case 'T':
                return new DocValue.Bool(true);
            case 'F':
                return new DocValue.Bool(false);
            case 'H':
                throw error("high-precision numbers ('H') are not used by XGBoost");
            default:
                if (isNumber(marker)) {
                    return new DocValue.Num(number(marker));
                }
                throw error("unknown UBJSON marker 0x" + Integer.toHexString(marker & 0xff));
        }
    }

    private DocValue object(int depth) {
        Map<String, DocValue> fields = new LinkedHashMap<>();
        while (true) {
            byte m = marker();
            if (m == '}') {
                return new DocValue.Obj(fields);
            }
            int keyStart = pos - 1;
            ReadBudget.charge(FIELD_COST, "UBJSON object fields");
            String key = string(lengthWith(m));
            DocValue v = value(marker(), depth + 1);
            if (fields.put(key, v) != null) {
                pos = keyStart;
                throw error("duplicate key '" + key + "'");
            }
        }
    }

    private DocValue array(int depth) {
        byte type = 0;
        long count = -1;
        if (peek() == '$') {
            pos++;
            type = u8();
            if (marker() != '#') {
                throw error("a typed array needs a count ('#')");
            }
            count = length();
        } else if (peek() == '#') {
            pos++;
            count = length();
        }
        if (type != 0 && isNumber(type)) {
            long bytes = count * width(type);
            if (bytes > in.length - pos) {
                throw error("typed array of " + count + " elements runs past the end of the file");
            }
            ReadBudget.charge(8 * count + 16, "a typed array of " + count + " numbers");
            double[] out = new double[(int) count];
            for (int i = 0; i < out.length; i++) {
                out[i] = number(type);
            }
            return new DocValue.Numbers(out);
        }
        if (count > in.length - pos) {
            throw error("array of " + count + " elements runs past the end of the file");
        }
        List<DocValue> items = new ArrayList<>();
        if (count >= 0) {
            for (long i = 0; i < count; i++) {
                items.add(value(type != 0 ? type : marker(), depth + 1));
            }
        } else {
            byte m;
            while ((m = marker()) != ']') {
                items.add(value(m, depth + 1));
            }
        }
        return numbersIfAllNumeric(items);
    }

    private static DocValue numbersIfAllNumeric(List<DocValue> items) {
        double[] out = new double[items.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(items.get(i) instanceof DocValue.Num n)) {
                return new DocValue.Arr(items);
            }
            out[i] = n.value();
        }
        return new DocValue.Numbers(out);
    }

    private static boolean isNumber(byte m) {
        return m == 'i' || m == 'U' || m == 'I' || m == 'l' || m == 'L' || m == 'd' || m == 'D';
    }

    private static int width(byte m) {
        switch (m) {
            case 'i':
            case 'U':
                return 1;
            case 'I':
                return 2;
            case 'l':
            case 'd':
                return 4;
            default:
                return 8;
        }
    }

    /** Numbers as XGBoost means them: 'd' is float32 widened exactly, integers exact. */
    private double number(byte m) {
        need(width(m));
        switch (m) {
            case 'i':
                return in[pos++];
            case 'U':
                return u8() & 0xff;
            case 'I':
                return (short) bigEndian(2);
            case 'l':
                return (int) bigEndian(4);
            case 'L':
                return bigEndian(8);
            case 'd':
                return Float.intBitsToFloat((int) bigEndian(4));
            default:
                return Double.longBitsToDouble(bigEndian(8));
        }
    }

    private long bigEndian(int n) {
        need(n);
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (in[pos++] & 0xff);
        }
        return v;
    }

    /** A length: an integer marker and its value, which must be non-negative. */
    private long length() {
        return lengthWith(marker());
    }

    private long lengthWith(byte m) {
        if (m == 'd' || m == 'D' || !isNumber(m)) {
            pos--;
            throw error("expected an integer length, found marker 0x" + Integer.toHexString(m & 0xff));
        }
        double v = number(m);
        if (v < 0) {
            throw error("negative length " + (long) v);
        }
        return (long) v;
    }

    private String string(long length) {
        if (length > in.length - pos) {
            throw error("string of " + length + " bytes runs past the end of the file");
        }
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(in, pos, (int) length)).toString();
            pos += (int) length;
            return s;
        } catch (CharacterCodingException e) {
            throw error("string is not valid UTF-8");
        }
    }

    private byte marker() {
        byte m;
        do {
            m = u8();
        } while (m == 'N');
        return m;
    }

    private byte peek() {
        need(1);
        return in[pos];
    }

    private byte u8() {
        need(1);
        return in[pos++];
    }

    private void need(int n) {
        if (pos + n > in.length) {
            throw error("unexpected end of file (truncated UBJSON)");
        }
    }

    private Ml2TensorException error(String message) {
        return Ml2TensorException.of(ErrorCode.MODEL_FORMAT, "malformed XGBoost UBJSON: " + message)
                .at(file + " @ byte " + pos)
                .hint("the file is truncated or not an XGBoost UBJSON model; save it again with "
                        + "Booster.save_model('model.ubj')")
                .build();
    }
}
