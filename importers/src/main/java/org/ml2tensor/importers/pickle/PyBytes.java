package org.ml2tensor.importers.pickle;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Python {@code bytes} or {@code bytearray}: a read-only view of a slice of the decoded pickle stream
 * (no copy is made, so large array payloads stay where they were read).
 */
public final class PyBytes implements PyValue {
    private final byte[] data;
    private final int offset;
    private final int length;
    private final boolean mutable;

    PyBytes(byte[] data, int offset, int length, boolean mutable) {
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IllegalArgumentException("slice out of range");
        }
        this.data = data;
        this.offset = offset;
        this.length = length;
        this.mutable = mutable;
    }

    static PyBytes copyOf(byte[] bytes) {
        return new PyBytes(bytes.clone(), 0, bytes.length, false);
    }

    /** Number of bytes. */
    public int length() {
        return length;
    }

    /** Whether this was a {@code bytearray}. */
    public boolean isByteArray() {
        return mutable;
    }

    /** A copy of the bytes. */
    public byte[] toByteArray() {
        return Arrays.copyOfRange(data, offset, offset + length);
    }

    /** The bytes decoded as Latin-1 (for protocol-2 {@code _codecs.encode} round trips and messages). */
    public String latin1() {
        return new String(data, offset, length, StandardCharsets.ISO_8859_1);
    }

    byte[] backing() {
        return data;
    }

    int offset() {
        return offset;
    }

    @Override
    public String typeName() {
        return mutable ? "bytearray" : "bytes";
    }

    @Override
    public String toString() {
        return PyValue.preview(data, offset, length);
    }
}
