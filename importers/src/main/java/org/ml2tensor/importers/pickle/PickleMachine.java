package org.ml2tensor.importers.pickle;

import static org.ml2tensor.importers.pickle.Opcodes.*;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.importers.ReadBudget;
import org.ml2tensor.importers.pickle.PyValue.PyBigInt;
import org.ml2tensor.importers.pickle.PyValue.PyBool;
import org.ml2tensor.importers.pickle.PyValue.PyFloat;
import org.ml2tensor.importers.pickle.PyValue.PyInt;
import org.ml2tensor.importers.pickle.PyValue.PyNone;
import org.ml2tensor.importers.pickle.PyValue.PyStr;

/**
 * The pickle virtual machine: runs the opcodes of one pickle held in a byte array and builds inert
 * {@link PyValue}s. Every length is checked against the bytes left before anything is allocated, every
 * global against the allowlist; nothing is ever called. Not thread-safe; one instance per pickle.
 */
final class PickleMachine {
    private static final int MAX_DECIMAL_DIGITS = 4300;
    private static final String NUMPY_ARRAY_WRAPPER = "NumpyArrayWrapper";
    /** Budget charged per opcode: the object it may create plus its stack slot. */
    private static final long OP_COST = 24;
    /** Budget charged per container slot filled (list/tuple element, memo entry). */
    private static final long SLOT_COST = 16;
    /** Budget charged per dict or set entry (entry record, hash node, index). */
    private static final long ENTRY_COST = 64;
    /** Extra budget of an opcode that creates a list, an object, or a dict or set (their hash tables). */
    private static final long LIST_COST = 64;
    private static final long OBJECT_COST = 48;
    private static final long TABLE_COST = 160;

    private final byte[] buf;
    private final int end;
    private final GlobalAllowlist allowlist;
    private final PickleLimits limits;
    private final boolean joblibArrays;
    private final ReadBudget budget = ReadBudget.current();
    private int pos;
    private int protocol;
    private int opStart;
    private int opcode;

    private PyValue[] stack = new PyValue[64];
    private int sp;
    private int[] marks = new int[16];
    private int mp;
    private PyValue[] memo = new PyValue[64];
    private Map<Long, PyValue> sparseMemo;
    private int memoCount;

    /**
     * @param joblibArrays whether a BUILD of {@code joblib.numpy_pickle.NumpyArrayWrapper} is followed by
     *                     raw array bytes in the stream (joblib files; off for nested pickles, as in joblib)
     */
    PickleMachine(byte[] buf, int start, int end, GlobalAllowlist allowlist, PickleLimits limits,
                  boolean joblibArrays) {
        this.buf = buf;
        this.pos = start;
        this.end = end;
        this.allowlist = allowlist;
        this.limits = limits;
        this.joblibArrays = joblibArrays;
    }

    /** Position after the STOP opcode once {@link #run()} returned. */
    int position() {
        return pos;
    }

    /** Highest protocol announced by a PROTO opcode (0 when none). */
    int protocol() {
        return protocol;
    }

    /** Runs until STOP and returns the pickled value. */
    PyValue run() {
        while (true) {
            opStart = pos;
            if (pos >= end) {
                throw fail("the pickle is truncated: no STOP opcode before the end of the data");
            }
            opcode = buf[pos++] & 0xff;
            try {
                budget.spend(OP_COST + creationCost(opcode), "pickle opcodes");
                if (opcode == STOP) {
                    return pop();
                }
                step(opcode);
            } catch (Ml2TensorException e) {
                if (e.context().contains("byte offset")) {
                    throw e;
                }
                throw e.within(where());
            }
        }
    }

    private static long creationCost(int op) {
        return switch (op) {
            case EMPTY_LIST, LIST -> LIST_COST;
            case EMPTY_DICT, DICT, EMPTY_SET, FROZENSET -> TABLE_COST;
            case NEWOBJ, NEWOBJ_EX, OBJ, INST, REDUCE, TUPLE1, TUPLE2, TUPLE3, TUPLE -> OBJECT_COST;
            default -> 0;
        };
    }

    private String where() {
        return "byte offset " + opStart + " (" + Opcodes.name(opcode) + ")";
    }

    private void step(int op) {
        switch (op) {
            case PROTO -> {
                int v = u8();
                if (v > 5) {
                    throw fail("unsupported pickle protocol " + v + " (this reader knows protocols 0 to 5)");
                }
                protocol = Math.max(protocol, v);
            }
            case FRAME -> {
                long n = u64();
                if (n < 0 || n > end - pos) {
                    throw fail("frame of " + Long.toUnsignedString(n) + " bytes exceeds the " + (end - pos)
                            + " bytes left");
                }
            }
            case MARK -> {
                if (mp == limits.maxNesting()) {
                    throw limit("MARK nesting deeper than " + limits.maxNesting());
                }
                if (mp == marks.length) {
                    marks = Arrays.copyOf(marks, mp * 2);
                }
                marks[mp++] = sp;
            }
            case POP -> {
                if (sp > 0 && (mp == 0 || marks[mp - 1] < sp)) {
                    sp--;
                    stack[sp] = null;
                } else if (mp > 0 && marks[mp - 1] == sp) {
                    mp--;
                } else {
                    throw fail("POP on an empty stack");
                }
            }
            case POP_MARK -> popMark();
            case DUP -> push(peek());
            case NONE -> push(PyNone.NONE);
            case NEWTRUE -> push(PyBool.TRUE);
            case NEWFALSE -> push(PyBool.FALSE);
            case BININT -> push(new PyInt(i32()));
            case BININT1 -> push(new PyInt(u8()));
            case BININT2 -> push(new PyInt(u16()));
            case LONG1 -> push(longBytes(u8()));
            case LONG4 -> {
                int n = i32();
                if (n < 0) {
                    throw fail("negative LONG4 length " + n);
                }
                push(longBytes(n));
            }
            case BINFLOAT -> {
                need(8);
                long bits = 0;
                for (int i = 0; i < 8; i++) {
                    bits = (bits << 8) | (buf[pos++] & 0xff);
                }
                push(new PyFloat(Double.longBitsToDouble(bits)));
            }
            case INT -> push(textInt(line()));
            case LONG -> {
                String s = line();
                push(bigDecimal(s.endsWith("L") ? s.substring(0, s.length() - 1) : s));
            }
            case FLOAT -> push(new PyFloat(textFloat(line())));
            case BINUNICODE -> push(str(length(u32())));
            case SHORT_BINUNICODE -> push(str(u8()));
            case BINUNICODE8 -> push(str(length(u64())));
            case BINBYTES -> push(bytes(length(u32()), false));
            case SHORT_BINBYTES -> push(bytes(u8(), false));
            case BINBYTES8 -> push(bytes(length(u64()), false));
            case BYTEARRAY8 -> push(bytes(length(u64()), true));
            case BINSTRING -> {
                int n = i32();
                if (n < 0) {
                    throw fail("negative BINSTRING length " + n);
                }
                push(latin1Str(length(n)));
            }
            case SHORT_BINSTRING -> push(latin1Str(u8()));
            case UNICODE -> push(new PyStr(rawUnicodeEscape(line())));
            case STRING -> throw unsupported("protocol-0 STRING opcodes are not supported; re-save the model"
                    + " with pickle protocol 2 or newer");
            case EMPTY_TUPLE -> push(PyTuple.EMPTY);
            case TUPLE1 -> push(new PyTuple(new PyValue[]{pop()}));
            case TUPLE2 -> {
                PyValue b = pop();
                PyValue a = pop();
                push(new PyTuple(new PyValue[]{a, b}));
            }
            case TUPLE3 -> {
                PyValue c = pop();
                PyValue b = pop();
                PyValue a = pop();
                push(new PyTuple(new PyValue[]{a, b, c}));
            }
            case TUPLE -> push(new PyTuple(popMark()));
            case EMPTY_LIST -> push(new PyList());
            case LIST -> {
                PyList l = new PyList();
                l.addAll(Arrays.asList(popMark()));
                push(l);
            }
            case APPEND -> {
                PyValue v = pop();
                list(peek()).add(v);
            }
            case APPENDS -> {
                PyValue[] items = popMark();
                list(peek()).addAll(Arrays.asList(items));
            }
            case EMPTY_DICT -> push(new PyDict());
            case DICT -> {
                PyValue[] items = popMark();
                PyDict d = new PyDict();
                putPairs(d, items);
                push(d);
            }
            case SETITEM -> {
                budget.spend(ENTRY_COST, "dict entries");
                PyValue v = pop();
                PyValue k = pop();
                dict(peek()).put(k, v);
            }
            case SETITEMS -> {
                PyValue[] items = popMark();
                putPairs(dict(peek()), items);
            }
            case EMPTY_SET -> push(new PySet(false));
            case ADDITEMS -> {
                PyValue[] items = popMark();
                budget.spend(items.length * ENTRY_COST, "set entries");
                if (!(peek() instanceof PySet s) || s.isFrozen()) {
                    throw fail("ADDITEMS on a " + peek().typeName() + " instead of a set");
                }
                for (PyValue v : items) {
                    s.add(v);
                }
            }
            case FROZENSET -> {
                PySet s = new PySet(true);
                PyValue[] items = popMark();
                budget.spend(items.length * ENTRY_COST, "set entries");
                for (PyValue v : items) {
                    s.add(v);
                }
                push(s);
            }
            case GLOBAL -> {
                String module = line();
                String name = line();
                push(global(module, name));
            }
            case STACK_GLOBAL -> {
                PyValue name = pop();
                PyValue module = pop();
                if (!(module instanceof PyStr m) || !(name instanceof PyStr n)) {
                    throw fail("STACK_GLOBAL needs two str operands, found " + module.typeName() + " and "
                            + name.typeName());
                }
                push(global(m.value(), n.value()));
            }
            case REDUCE -> {
                PyValue args = pop();
                PyValue callable = pop();
                push(GlobalCalls.call(callable(callable), tuple(args, "REDUCE arguments")));
            }
            case NEWOBJ -> {
                PyValue args = pop();
                PyValue cls = pop();
                push(new PyObject(callable(cls), tuple(args, "NEWOBJ arguments"), null));
            }
            case NEWOBJ_EX -> {
                PyValue kwargs = pop();
                PyValue args = pop();
                PyValue cls = pop();
                push(new PyObject(callable(cls), tuple(args, "NEWOBJ_EX arguments"), dict(kwargs)));
            }
            case OBJ -> {
                PyValue[] items = popMark();
                if (items.length == 0) {
                    throw fail("OBJ without a class");
                }
                push(new PyObject(callable(items[0]), new PyTuple(Arrays.copyOfRange(items, 1, items.length)),
                        null));
            }
            case INST -> {
                String module = line();
                String name = line();
                PyGlobal g = global(module, name);
                push(new PyObject(g, new PyTuple(popMark()), null));
            }
            case BUILD -> build();
            case BINPUT -> memoPut(u8(), peek());
            case LONG_BINPUT -> memoPut(u32(), peek());
            case PUT -> memoPut(decimalIndex(line()), peek());
            case MEMOIZE -> memoPut(memoCount, peek());
            case BINGET -> push(memoGet(u8()));
            case LONG_BINGET -> push(memoGet(u32()));
            case GET -> push(memoGet(decimalIndex(line())));
            case READONLY_BUFFER -> {
                if (!(peek() instanceof PyBytes)) {
                    throw fail("READONLY_BUFFER on a " + peek().typeName());
                }
            }
            case NEXT_BUFFER -> throw fail("out-of-band buffers (NEXT_BUFFER) are not supported in model files");
            case PERSID, BINPERSID -> throw fail("persistent ids (" + Opcodes.name(op)
                    + ") are not supported in model files");
            case EXT1, EXT2, EXT4 -> throw fail("extension registry references (" + Opcodes.name(op)
                    + ") are refused");
            default -> throw fail(String.format("invalid opcode 0x%02x", op));
        }
    }

    // ---- BUILD, numpy arrays and joblib wrappers ----

    private void build() {
        PyValue state = pop();
        PyValue target = peek();
        if (state instanceof PyDict d) {
            budget.spend(d.size() * ENTRY_COST, "BUILD copying a state dict of " + d.size() + " entries");
        }
        if (target instanceof PyObject o) {
            o.setState(state);
            if (joblibArrays && o.type().name().equals(NUMPY_ARRAY_WRAPPER)) {
                stack[sp - 1] = JoblibArrays.readAfterWrapper(this, o);
            }
        } else if (target instanceof PyDType d) {
            d.setState(state);
        } else if (target instanceof NdArray a) {
            NumpyCalls.setArrayState(a, state);
        } else {
            throw fail("BUILD on a " + target.typeName() + " is not supported");
        }
    }

    /** Reads {@code n} raw bytes at the current position (joblib array payloads). */
    PyBytes takeRaw(long n, String what) {
        int len = length(n, what);
        PyBytes b = new PyBytes(buf, pos, len, false);
        pos += len;
        return b;
    }

    /** Reads one unsigned byte (joblib padding length). */
    int takeByte() {
        return u8();
    }

    /** Runs a nested pickle that starts at the current position (joblib object arrays). */
    PyValue runNested() {
        PickleMachine nested = new PickleMachine(buf, pos, end, allowlist, limits, false);
        PyValue v = nested.run();
        pos = nested.position();
        return v;
    }

    // ---- globals ----

    private PyGlobal global(String module, String name) {
        if (protocol < 3) {
            module = switch (module) {
                case "__builtin__" -> "builtins";
                case "copy_reg" -> "copyreg";
                default -> module;
            };
        }
        if (!allowlist.allows(module, name) && !allowlist.tolerates(module, name)) {
            String qn = module + "." + name;
            boolean library = module.startsWith("sklearn.") || module.startsWith("xgboost.")
                    || module.startsWith("lightgbm.") || module.startsWith("imblearn.");
            if (library) {
                // An ML library's class we have no converter for: kept as an inert marker (globals are never
                // called), so the converter can refuse it by object path and say what to do instead.
                return new PyGlobal(module, name);
            }
            throw Ml2TensorException.of(ErrorCode.MODEL_FORMAT,
                            "refused global " + qn + ": it is not on the allowlist of inert model classes")
                    .at(where())
                    .hint("the file references code that a model pickle does not need; it was not executed."
                            + " Only load model files from trusted sources")
                    .build();
        }
        return new PyGlobal(module, name);
    }

    private PyGlobal callable(PyValue v) {
        if (v instanceof PyGlobal g) {
            return g;
        }
        throw fail("cannot call a " + v.typeName() + ": only allowlisted globals are callable");
    }

    // ---- stack, marks, memo ----

    private void push(PyValue v) {
        if (sp == stack.length) {
            stack = Arrays.copyOf(stack, sp * 2);
        }
        stack[sp++] = v;
    }

    private PyValue pop() {
        if (sp == 0 || (mp > 0 && marks[mp - 1] >= sp)) {
            throw fail("stack underflow");
        }
        PyValue v = stack[--sp];
        stack[sp] = null;
        return v;
    }

    private PyValue peek() {
        if (sp == 0 || (mp > 0 && marks[mp - 1] >= sp)) {
            throw fail("stack underflow");
        }
        return stack[sp - 1];
    }

    private PyValue[] popMark() {
        if (mp == 0) {
            throw fail("no MARK on the stack");
        }
        int start = marks[mp - 1];
        budget.spend((sp - start) * SLOT_COST, "a marked group of " + (sp - start) + " items");
        mp--;
        PyValue[] items = Arrays.copyOfRange(stack, start, sp);
        Arrays.fill(stack, start, sp, null);
        sp = start;
        return items;
    }

    private void memoPut(long idx, PyValue v) {
        if (idx < 0 || idx >= limits.maxMemoEntries()) {
            throw limit("memo index " + idx + " exceeds the limit of " + limits.maxMemoEntries() + " entries");
        }
        budget.spend(idx < memo.length ? SLOT_COST : ENTRY_COST, "memo entries");
        int i = (int) idx;
        if (i < memo.length) {
            if (memo[i] == null) {
                memoCount++;
            }
            memo[i] = v;
        } else if (i <= 2L * memo.length + 1024 && sparseMemo == null) {
            memo = Arrays.copyOf(memo, Math.max(i + 1, memo.length * 2));
            memo[i] = v;
            memoCount++;
        } else {
            if (sparseMemo == null) {
                sparseMemo = new HashMap<>();
            }
            if (sparseMemo.put(idx, v) == null) {
                memoCount++;
            }
        }
    }

    private PyValue memoGet(long idx) {
        PyValue v = null;
        if (idx >= 0 && idx < memo.length) {
            v = memo[(int) idx];
        } else if (sparseMemo != null) {
            v = sparseMemo.get(idx);
        }
        if (v == null) {
            throw fail("memo entry " + idx + " is not defined");
        }
        return v;
    }

    private static PyList list(PyValue v) {
        if (v instanceof PyList l) {
            return l;
        }
        throw Ml2TensorException.of(ErrorCode.MODEL_FORMAT, "APPEND(S) on a " + v.typeName()).build();
    }

    private static PyDict dict(PyValue v) {
        if (v instanceof PyDict d) {
            return d;
        }
        if (v instanceof PyObject o) {
            return o.dictItems(); // an instance of a dict subclass (scikit-learn's Bunch): its items
        }
        throw Ml2TensorException.of(ErrorCode.MODEL_FORMAT, "expected a dict, found a " + v.typeName()).build();
    }

    private static PyTuple tuple(PyValue v, String what) {
        if (v instanceof PyTuple t) {
            return t;
        }
        throw Ml2TensorException.of(ErrorCode.MODEL_FORMAT, what + " must be a tuple, found a " + v.typeName())
                .build();
    }

    private void putPairs(PyDict d, PyValue[] items) {
        if (items.length % 2 != 0) {
            throw fail("odd number of items for a dict");
        }
        budget.spend(items.length / 2 * ENTRY_COST, "dict entries");
        for (int i = 0; i < items.length; i += 2) {
            d.put(items[i], items[i + 1]);
        }
    }

    // ---- raw reads ----

    private void need(long n) {
        if (n > end - pos) {
            throw fail("the pickle is truncated: " + Opcodes.name(opcode) + " needs " + n + " bytes but "
                    + (end - pos) + " are left");
        }
    }

    private int u8() {
        need(1);
        return buf[pos++] & 0xff;
    }

    private int u16() {
        need(2);
        int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8;
        pos += 2;
        return v;
    }

    private int i32() {
        need(4);
        int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16
                | (buf[pos + 3] & 0xff) << 24;
        pos += 4;
        return v;
    }

    private long u32() {
        return i32() & 0xffffffffL;
    }

    private long u64() {
        need(8);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (buf[pos + i] & 0xff);
        }
        pos += 8;
        return v;
    }

    /** Checks an announced length against the bytes left, before anything is allocated. */
    private int length(long n) {
        return length(n, Opcodes.name(opcode));
    }

    private int length(long n, String what) {
        if (n < 0 || n > end - pos) {
            throw fail(what + " announces " + Long.toUnsignedString(n) + " bytes but only " + (end - pos)
                    + " are left");
        }
        return (int) n;
    }

    private PyStr str(int n) {
        need(n);
        budget.spend(2L * n, "strings");
        String s = utf8(n);
        pos += n;
        return new PyStr(s);
    }

    /** Strict UTF-8 decoding of {@code n} bytes at {@code pos}: invalid bytes are refused, never replaced. */
    private String utf8(int n) {
        boolean ascii = true;
        for (int i = pos; i < pos + n && ascii; i++) {
            ascii = buf[i] >= 0;
        }
        if (ascii) {
            return new String(buf, pos, n, StandardCharsets.ISO_8859_1);
        }
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(buf, pos, n);
        CharBuffer out = CharBuffer.allocate(n);
        CoderResult r = dec.decode(in, out, true);
        if (!r.isError()) {
            r = dec.flush(out);
        }
        if (r.isError()) {
            throw fail("invalid UTF-8 in a string: byte 0x" + String.format("%02x", buf[in.position()] & 0xff)
                    + " at byte offset " + in.position() + " cannot start or continue a character");
        }
        return out.flip().toString();
    }

    private PyStr latin1Str(int n) {
        need(n);
        budget.spend(n, "strings");
        String s = new String(buf, pos, n, StandardCharsets.ISO_8859_1);
        pos += n;
        return new PyStr(s);
    }

    private PyBytes bytes(int n, boolean mutable) {
        need(n);
        PyBytes b = new PyBytes(buf, pos, n, mutable);
        pos += n;
        return b;
    }

    private PyValue longBytes(int n) {
        length(n);
        if (n == 0) {
            return new PyInt(0);
        }
        budget.spend(2L * n, "long integers");
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) {
            be[i] = buf[pos + n - 1 - i];
        }
        pos += n;
        return PyValue.ofInteger(new BigInteger(be));
    }

    private String line() {
        int i = pos;
        while (i < end && buf[i] != '\n') {
            i++;
        }
        if (i >= end) {
            throw fail("the pickle is truncated: " + Opcodes.name(opcode) + " has no end of line");
        }
        budget.spend(i - pos, "text lines");
        String s = new String(buf, pos, i - pos, StandardCharsets.ISO_8859_1);
        pos = i + 1;
        return s;
    }

    private PyValue textInt(String s) {
        if (s.equals("01")) {
            return PyBool.TRUE;
        }
        if (s.equals("00")) {
            return PyBool.FALSE;
        }
        return bigDecimal(s);
    }

    private PyValue bigDecimal(String s) {
        if (s.length() > MAX_DECIMAL_DIGITS) {
            throw fail("integer literal of " + s.length() + " digits is too long");
        }
        try {
            return PyValue.ofInteger(new BigInteger(s.trim()));
        } catch (NumberFormatException e) {
            throw fail("malformed integer literal '" + abbreviate(s) + "'");
        }
    }

    private long decimalIndex(String s) {
        if (s.length() > 19) {
            throw fail("memo index '" + abbreviate(s) + "' is too long");
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw fail("malformed memo index '" + abbreviate(s) + "'");
        }
    }

    private double textFloat(String s) {
        String t = s.trim().toLowerCase();
        switch (t) {
            case "nan", "-nan" -> {
                return Double.NaN;
            }
            case "inf" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
            }
        }
        if (t.length() > 400 || t.contains("infinity") || t.contains("x") || t.endsWith("d") || t.endsWith("f")) {
            throw fail("malformed float literal '" + abbreviate(s) + "'");
        }
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw fail("malformed float literal '" + abbreviate(s) + "'");
        }
    }

    private String rawUnicodeEscape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == 'u' || s.charAt(i + 1) == 'U')) {
                int digits = s.charAt(i + 1) == 'u' ? 4 : 8;
                if (i + 2 + digits > s.length()) {
                    throw fail("truncated \\u escape in UNICODE");
                }
                try {
                    int cp = Integer.parseUnsignedInt(s.substring(i + 2, i + 2 + digits), 16);
                    sb.appendCodePoint(cp);
                } catch (IllegalArgumentException e) {
                    throw fail("malformed \\u escape in UNICODE");
                }
                i += 1 + digits;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }

    // ---- errors ----

    Ml2TensorException fail(String msg) {
        return Ml2TensorException.of(ErrorCode.MODEL_FORMAT, msg).at(where())
                .hint("the file is truncated, corrupt or not a pickle written by Python").build();
    }

    private Ml2TensorException unsupported(String msg) {
        return Ml2TensorException.of(ErrorCode.UNSUPPORTED, msg).at(where()).build();
    }

    private Ml2TensorException limit(String msg) {
        return Ml2TensorException.of(ErrorCode.LIMIT_EXCEEDED, msg).at(where())
                .hint("raise the reader's PickleLimits if the file is trusted").build();
    }
}
