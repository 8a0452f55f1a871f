package org.ml2tensor.importers.pickle;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import org.ml2tensor.importers.ReadBudget;
import org.ml2tensor.importers.pickle.PyValue.PyBool;
import org.ml2tensor.importers.pickle.PyValue.PyFloat;
import org.ml2tensor.importers.pickle.PyValue.PyInt;
import org.ml2tensor.importers.pickle.PyValue.PyStr;

/** Interprets numpy's pickle constructors ({@code _reconstruct}, {@code _frombuffer}, {@code scalar}). */
final class NumpyCalls {
    private static final Set<String> CORE_MODULES = Set.of("numpy.core.multiarray", "numpy._core.multiarray",
            "numpy.core._multiarray_umath", "numpy._core._multiarray_umath", "numpy.core.numeric",
            "numpy._core.numeric");

    private NumpyCalls() {
    }

    static boolean isNumpyCore(String module) {
        return CORE_MODULES.contains(module);
    }

    /** {@code _reconstruct(ndarray, (0,), b'b')}: an empty array that the next BUILD fills. */
    static NdArray reconstruct(PyTuple args) {
        if (args.size() < 1 || !(args.get(0) instanceof PyGlobal cls)
                || !(cls.qualifiedName().equals("numpy.ndarray") || cls.qualifiedName().equals("numpy.memmap"))) {
            throw GlobalCalls.bad("_reconstruct is only supported for numpy.ndarray");
        }
        return NdArray.pending();
    }

    /** BUILD state of an ndarray: {@code (version, shape, dtype, is_fortran, data)} (version optional). */
    static void setArrayState(NdArray a, PyValue state) {
        if (!(state instanceof PyTuple t) || (t.size() != 5 && t.size() != 4)) {
            throw GlobalCalls.bad("ndarray state must be (version, shape, dtype, is_fortran, data)");
        }
        int o = t.size() - 4;
        int[] shape = shape(t.get(o));
        DType dtype = dtype(t.get(o + 1));
        boolean fortran = truthy(t.get(o + 2));
        PyValue data = t.get(o + 3);
        if (dtype.isObject()) {
            if (!(data instanceof PyList l)) {
                throw GlobalCalls.bad("object array data must be a list, found a " + data.typeName());
            }
            a.setObjects(dtype, shape, fortran, l.items());
        } else if (data instanceof PyBytes b) {
            a.setBytes(dtype, shape, fortran, b);
        } else if (data instanceof PyStr s) {
            ReadBudget.charge(s.value().length(), "array data");
            byte[] latin = s.value().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            a.setBytes(dtype, shape, fortran, new PyBytes(latin, 0, latin.length, false));
        } else {
            throw GlobalCalls.bad("array data must be bytes, found a " + data.typeName());
        }
    }

    /** {@code _frombuffer(buffer, dtype, shape, order)} (protocol 5). */
    static NdArray frombuffer(PyTuple args) {
        if (args.size() != 4 || !(args.get(0) instanceof PyBytes buf)) {
            throw GlobalCalls.bad("_frombuffer expects (buffer, dtype, shape, order)");
        }
        DType dtype = dtype(args.get(1));
        int[] shape = shape(args.get(2));
        boolean fortran = args.get(3) instanceof PyStr s && s.value().equals("F");
        return NdArray.of(dtype, shape, fortran, buf);
    }

    /** {@code scalar(dtype, bytes)}: numbers become plain ints, floats and bools. */
    static PyValue scalar(PyTuple args) {
        if (args.size() < 1) {
            throw GlobalCalls.bad("scalar expects (dtype, data)");
        }
        DType dtype = dtype(args.get(0));
        if (dtype.isObject()) {
            if (args.size() < 2) {
                throw GlobalCalls.bad("object scalar without a value");
            }
            return args.get(1);
        }
        if (args.size() != 2 || !(args.get(1) instanceof PyBytes b)) {
            throw GlobalCalls.bad("scalar expects (dtype, bytes)");
        }
        if (b.length() != dtype.itemSize()) {
            throw GlobalCalls.bad("scalar of dtype " + dtype.describe() + " needs " + dtype.itemSize()
                    + " bytes, found " + b.length());
        }
        if (dtype.isNumeric()) {
            ByteBuffer bb = ByteBuffer.wrap(b.backing()).order(dtype.order());
            return switch (dtype.kind()) {
                case 'f' -> new PyFloat(NdArray.readDouble(bb, b.offset(), dtype));
                case 'b' -> PyBool.of(bb.get(b.offset()) != 0);
                default -> {
                    if (dtype.kind() == 'u' && dtype.itemSize() == 8 && bb.getLong(b.offset()) < 0) {
                        yield PyValue.ofInteger(new java.math.BigInteger(Long.toUnsignedString(bb.getLong(b.offset()))));
                    }
                    yield new PyInt(NdArray.readLong(bb, b.offset(), dtype));
                }
            };
        }
        return NdArray.of(dtype, new int[0], false, b);
    }

    static DType dtype(PyValue v) {
        if (v instanceof PyDType d) {
            return d.resolve();
        }
        throw GlobalCalls.bad("expected a numpy dtype, found a " + v.typeName());
    }

    static int[] shape(PyValue v) {
        List<PyValue> dims;
        if (v instanceof PyTuple t) {
            dims = t.items();
        } else if (v instanceof PyList l) {
            dims = l.items();
        } else if (v instanceof PyInt) {
            dims = List.of(v);
        } else {
            throw GlobalCalls.bad("array shape must be a tuple of ints, found a " + v.typeName());
        }
        if (dims.size() > 32) {
            throw GlobalCalls.bad("array has " + dims.size() + " dimensions (numpy allows 32 at most)");
        }
        int[] shape = new int[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(dims.get(i) instanceof PyInt n) || n.value() < 0 || n.value() > Integer.MAX_VALUE) {
                throw GlobalCalls.bad("array dimension " + dims.get(i) + " is not a valid size");
            }
            shape[i] = (int) n.value();
        }
        return shape;
    }

    static boolean truthy(PyValue v) {
        if (v instanceof PyBool b) {
            return b.value();
        }
        if (v instanceof PyInt i) {
            return i.value() != 0;
        }
        return false;
    }
}
