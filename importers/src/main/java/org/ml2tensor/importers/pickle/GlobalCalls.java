package org.ml2tensor.importers.pickle;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.importers.ReadBudget;
import org.ml2tensor.importers.pickle.PyValue.PyInt;
import org.ml2tensor.importers.pickle.PyValue.PyStr;

/**
 * What a REDUCE of an allowlisted global yields. Data constructors (numpy arrays, dtypes and scalars,
 * bytes, sets) are interpreted into values; every other global yields an inert {@link PyObject} that
 * records the call. Nothing is executed.
 */
final class GlobalCalls {
    private GlobalCalls() {
    }

    static PyValue call(PyGlobal g, PyTuple args) {
        String module = g.module();
        String name = g.name();
        if (NumpyCalls.isNumpyCore(module)) {
            switch (name) {
                case "_reconstruct" -> {
                    return NumpyCalls.reconstruct(args);
                }
                case "_frombuffer" -> {
                    return NumpyCalls.frombuffer(args);
                }
                case "scalar" -> {
                    return NumpyCalls.scalar(args);
                }
                default -> {
                }
            }
        }
        switch (g.qualifiedName()) {
            case "numpy.dtype" -> {
                if (args.size() < 1 || !(args.get(0) instanceof PyStr spec)) {
                    throw bad("numpy.dtype expects a type string");
                }
                return new PyDType(spec.value());
            }
            case "_codecs.encode" -> {
                return encode(args);
            }
            case "builtins.bytes", "builtins.bytearray" -> {
                boolean mutable = g.name().equals("bytearray");
                if (args.size() == 0) {
                    return new PyBytes(new byte[0], 0, 0, mutable);
                }
                PyValue a = args.get(0);
                if (a instanceof PyBytes b) {
                    return new PyBytes(b.backing(), b.offset(), b.length(), mutable);
                }
                if (a instanceof PyStr) {
                    PyBytes b = encode(args);
                    return new PyBytes(b.backing(), 0, b.length(), mutable);
                }
                if (a instanceof PyList l) {
                    return fromInts(l.items(), mutable);
                }
                throw bad(g.name() + "() of a " + a.typeName() + " is not supported");
            }
            case "builtins.set", "builtins.frozenset" -> {
                PySet s = new PySet(g.name().equals("frozenset"));
                if (args.size() > 0) {
                    ReadBudget.charge(64L * items(args.get(0)).size(), "set()");
                    for (PyValue v : items(args.get(0))) {
                        s.add(v);
                    }
                }
                return s;
            }
            case "copyreg._reconstructor" -> {
                if (args.size() != 3 || !(args.get(0) instanceof PyGlobal cls)) {
                    throw bad("copyreg._reconstructor expects (class, base, state)");
                }
                return new PyObject(cls, PyTuple.EMPTY, null);
            }
            case "copyreg.__newobj__" -> {
                if (args.size() < 1 || !(args.get(0) instanceof PyGlobal cls)) {
                    throw bad("copyreg.__newobj__ expects a class first");
                }
                ReadBudget.charge(16L * args.size(), "copyreg.__newobj__");
                return new PyObject(cls, new PyTuple(args.items().subList(1, args.size()).toArray(new PyValue[0])),
                        null);
            }
            default -> {
                return new PyObject(g, args, null);
            }
        }
    }

    private static List<PyValue> items(PyValue v) {
        if (v instanceof PyList l) {
            return l.items();
        }
        if (v instanceof PyTuple t) {
            return t.items();
        }
        if (v instanceof PySet s) {
            return s.items();
        }
        throw bad("expected a list, tuple or set, found a " + v.typeName());
    }

    private static PyBytes fromInts(List<PyValue> ints, boolean mutable) {
        ReadBudget.charge(ints.size() + 32L, "bytes()");
        byte[] out = new byte[ints.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(ints.get(i) instanceof PyInt n) || n.value() < 0 || n.value() > 255) {
                throw bad("bytes() from a list needs ints in 0..255");
            }
            out[i] = (byte) n.value();
        }
        return new PyBytes(out, 0, out.length, mutable);
    }

    /** {@code _codecs.encode(str, 'latin1')}: how protocol 2 carries bytes. */
    private static PyBytes encode(PyTuple args) {
        if (args.size() < 1 || !(args.get(0) instanceof PyStr s)) {
            throw bad("_codecs.encode expects a str");
        }
        String enc = args.size() > 1 && args.get(1) instanceof PyStr e ? e.value().toLowerCase() : "utf-8";
        ReadBudget.charge(3L * s.value().length() + 32, "_codecs.encode");
        switch (enc) {
            case "latin1", "latin-1", "iso-8859-1", "iso8859-1", "l1" -> {
                String text = s.value();
                for (int i = 0; i < text.length(); i++) {
                    if (text.charAt(i) > 0xff) {
                        throw bad("_codecs.encode: character beyond Latin-1 in a latin1 payload");
                    }
                }
                byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
                return new PyBytes(b, 0, b.length, false);
            }
            case "utf-8", "utf8" -> {
                byte[] b = s.value().getBytes(StandardCharsets.UTF_8);
                return new PyBytes(b, 0, b.length, false);
            }
            default -> throw bad("_codecs.encode with encoding '" + enc + "' is not supported");
        }
    }

    static Ml2TensorException bad(String msg) {
        return Ml2TensorException.of(ErrorCode.MODEL_FORMAT, msg).build();
    }
}
