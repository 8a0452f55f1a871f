package org.ml2tensor.importers;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes pickle opcodes by hand, for tests that craft hostile files (protocol 2/4 opcodes). */
public final class PickleBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** A builder that starts with {@code PROTO protocol}. */
    public static PickleBuilder proto(int protocol) {
        return new PickleBuilder().op(0x80).op(protocol);
    }

    public PickleBuilder op(int opcode) {
        out.write(opcode);
        return this;
    }

    public PickleBuilder raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    /** {@code n} copies of {@code bytes}. */
    public PickleBuilder repeat(byte[] bytes, int n) {
        for (int i = 0; i < n; i++) {
            out.writeBytes(bytes);
        }
        return this;
    }

    /** {@code BINUNICODE} of UTF-8 text. */
    public PickleBuilder str(String s) {
        return utf8(s.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code BINUNICODE} of arbitrary (possibly invalid) bytes. */
    public PickleBuilder utf8(byte[] b) {
        op('X').le(b.length, 4);
        out.writeBytes(b);
        return this;
    }

    /** {@code GLOBAL module name} (protocol 0–2 form). */
    public PickleBuilder global(String module, String name) {
        return op('c').raw((module + "\n" + name + "\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    /** {@code BININT}. */
    public PickleBuilder integer(int v) {
        return op('J').le(v, 4);
    }

    public PickleBuilder none() {
        return op('N');
    }

    public PickleBuilder mark() {
        return op('(');
    }

    public PickleBuilder emptyDict() {
        return op('}');
    }

    public PickleBuilder emptyList() {
        return op(']');
    }

    public PickleBuilder emptyTuple() {
        return op(')');
    }

    /** {@code NEWOBJ} of the class and args on the stack. */
    public PickleBuilder newobj() {
        return op(0x81);
    }

    /** An instance of {@code module.name} with no args: {@code GLOBAL EMPTY_TUPLE NEWOBJ}. */
    public PickleBuilder object(String module, String name) {
        return global(module, name).emptyTuple().newobj();
    }

    public PickleBuilder build() {
        return op('b');
    }

    public PickleBuilder setitem() {
        return op('s');
    }

    public PickleBuilder setitems() {
        return op('u');
    }

    public PickleBuilder append() {
        return op('a');
    }

    public PickleBuilder appends() {
        return op('e');
    }

    public PickleBuilder tuple2() {
        return op(0x86);
    }

    public PickleBuilder reduce() {
        return op('R');
    }

    public PickleBuilder pop() {
        return op('0');
    }

    /** {@code LONG_BINPUT idx}. */
    public PickleBuilder put(int idx) {
        return op('r').le(idx, 4);
    }

    /** {@code LONG_BINGET idx}. */
    public PickleBuilder get(int idx) {
        return op('j').le(idx, 4);
    }

    public PickleBuilder le(long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
        return this;
    }

    /** Appends {@code STOP} and returns the bytes. */
    public byte[] stop() {
        out.write('.');
        return out.toByteArray();
    }

    public int size() {
        return out.size();
    }
}
