package org.ml2tensor.train.pickle;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes {@link Py} values as a pickle (protocol 3) that scikit-learn 1.2–1.9 with numpy 1.x or 2.x
 * loads with {@code pickle.load} or {@code joblib.load}: instances as {@code NEWOBJ} + {@code BUILD}
 * (what {@code BaseEstimator.__reduce_ex__} produces), arrays as
 * {@code numpy.core.multiarray._reconstruct} + {@code ndarray.__setstate__} with little-endian data.
 * Deterministic: the same values give the same bytes.
 */
public final class PickleWriter {
    private static final String ARRAY_MODULE = "numpy.core.multiarray";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private PickleWriter() {
    }

    /** The pickle bytes of {@code value}. */
    public static byte[] write(Py value) {
        PickleWriter w = new PickleWriter();
        w.op(0x80);
        w.op(3);
        w.value(value);
        w.op('.');
        return w.out.toByteArray();
    }

    private void op(int b) {
        out.write(b);
    }

    private void value(Py v) {
        if (v instanceof Py.None n) {
            op('N');
        } else if (v instanceof Py.Bool b) {
            op(b.value() ? 0x88 : 0x89);
        } else if (v instanceof Py.Int i) {
            integer(i.value());
        } else if (v instanceof Py.Float f) {
            op('G');
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putDouble(f.value()).array());
        } else if (v instanceof Py.Str s) {
            string(s.value());
        } else if (v instanceof Py.Tuple t) {
            if (t.items().isEmpty()) {
                op(')');
            } else {
                op('(');
                t.items().forEach(this::value);
                op('t');
            }
        } else if (v instanceof Py.PyList l) {
            op(']');
            if (!l.items().isEmpty()) {
                op('(');
                l.items().forEach(this::value);
                op('e');
            }
        } else if (v instanceof Py.Dict d) {
            op('}');
            if (!d.keys().isEmpty()) {
                op('(');
                for (int i = 0; i < d.keys().size(); i++) {
                    string(d.keys().get(i));
                    value(d.values().get(i));
                }
                op('u');
            }
        } else if (v instanceof Py.FloatKeyDict d) {
            op('}');
            if (d.keys().length > 0) {
                op('(');
                for (int i = 0; i < d.keys().length; i++) {
                    double k = d.keys()[i];
                    if (k == Math.rint(k) && Math.abs(k) < 1e15) {
                        integer((long) k);
                    } else {
                        value(new Py.Float(k));
                    }
                    value(new Py.Float(d.values()[i]));
                }
                op('u');
            }
        } else if (v instanceof Py.Array a) {
            array(a);
        } else if (v instanceof Py.Instance inst) {
            global(inst.module(), inst.name());
            op(')');
            op(0x81);
            value(inst.state());
            op('b');
        }
    }

    private void integer(long v) {
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            op('J');
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
        } else {
            op(0x8a);
            op(8);
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        }
    }

    private void string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X');
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        out.writeBytes(b);
    }

    private void bytes(byte[] b) {
        op('B');
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        out.writeBytes(b);
    }

    private void global(String module, String name) {
        op('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private void array(Py.Array a) {
        // _reconstruct(ndarray, (0,), b'b')
        global(ARRAY_MODULE, "_reconstruct");
        op('(');
        global("numpy", "ndarray");
        op('(');
        integer(0);
        op('t');
        bytes(new byte[]{'b'});
        op('t');
        op('R');
        // state: (1, shape, dtype, is_fortran, data)
        op('(');
        integer(1);
        op('(');
        for (long s : a.shape()) {
            integer(s);
        }
        op('t');
        dtype(a.dtype());
        op(0x89);
        int count = a.doubles() != null ? a.doubles().length : a.longs().length;
        ByteBuffer data = ByteBuffer.allocate(count * 8).order(ByteOrder.LITTLE_ENDIAN);
        if (a.doubles() != null) {
            for (double d : a.doubles()) {
                data.putDouble(d);
            }
        } else {
            for (long l : a.longs()) {
                data.putLong(l);
            }
        }
        bytes(data.array());
        op('t');
        op('b');
    }

    private void dtype(String code) {
        // dtype('f8', False, True) with state (3, '<', None, None, None, -1, -1, 0)
        global("numpy", "dtype");
        op('(');
        string(code);
        op(0x89);
        op(0x88);
        op('t');
        op('R');
        op('(');
        integer(3);
        string("<");
        op('N');
        op('N');
        op('N');
        integer(-1);
        integer(-1);
        integer(0);
        op('t');
        op('b');
    }
}
