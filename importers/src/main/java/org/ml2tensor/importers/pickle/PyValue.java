package org.ml2tensor.importers.pickle;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An inert value produced by the pickle reader. Nothing in this family ever runs Python code: globals
 * become {@link PyGlobal} markers and calls become {@link PyObject} records of what would have been
 * called. Containers compare by identity and print shallowly, because pickles may hold shared and cyclic
 * references.
 */
public sealed interface PyValue
        permits PyValue.PyNone, PyValue.PyBool, PyValue.PyInt, PyValue.PyBigInt, PyValue.PyFloat,
        PyValue.PyStr, PyBytes, PyTuple, PyList, PyDict, PySet, PyGlobal, PyObject, PyDType, NdArray {

    /** Short Python-like type description for error messages, e.g. {@code str}, {@code float64[3, 5]}. */
    String typeName();

    /** Python's {@code None}. */
    enum PyNone implements PyValue {
        NONE;

        @Override
        public String typeName() {
            return "None";
        }

        @Override
        public String toString() {
            return "None";
        }
    }

    /** A Python {@code bool} (also numpy {@code bool_} scalars). */
    record PyBool(boolean value) implements PyValue {
        public static final PyBool TRUE = new PyBool(true);
        public static final PyBool FALSE = new PyBool(false);

        public static PyBool of(boolean b) {
            return b ? TRUE : FALSE;
        }

        @Override
        public String typeName() {
            return "bool";
        }

        @Override
        public String toString() {
            return value ? "True" : "False";
        }
    }

    /** A Python {@code int} that fits 64 bits (also numpy integer scalars). */
    record PyInt(long value) implements PyValue {
        @Override
        public String typeName() {
            return "int";
        }

        @Override
        public String toString() {
            return Long.toString(value);
        }
    }

    /** A Python {@code int} beyond 64 bits. */
    record PyBigInt(BigInteger value) implements PyValue {
        @Override
        public String typeName() {
            return "int";
        }

        @Override
        public String toString() {
            return value.bitLength() > 256 ? "<int of " + value.bitLength() + " bits>" : value.toString();
        }
    }

    /** A Python {@code float} (also numpy floating scalars). */
    record PyFloat(double value) implements PyValue {
        @Override
        public String typeName() {
            return "float";
        }

        @Override
        public String toString() {
            return Double.toString(value);
        }
    }

    /** A Python {@code str}. */
    record PyStr(String value) implements PyValue {
        @Override
        public String typeName() {
            return "str";
        }

        @Override
        public String toString() {
            return value.length() > 80 ? "'" + value.substring(0, 77) + "...'" : "'" + value + "'";
        }
    }

    /** Creates the value for a decoded number: {@link PyInt} when it fits 64 bits. */
    static PyValue ofInteger(BigInteger v) {
        return v.bitLength() < 64 ? new PyInt(v.longValue()) : new PyBigInt(v);
    }

    /** Renders raw bytes shortly for messages. */
    static String preview(byte[] data, int offset, int length) {
        int n = Math.min(length, 16);
        String head = new String(Arrays.copyOfRange(data, offset, offset + n), StandardCharsets.ISO_8859_1);
        return "b'" + head.replaceAll("[^\\x20-\\x7e]", ".") + (length > n ? "...' (" + length + " bytes)" : "'");
    }
}
