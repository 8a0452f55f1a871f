package org.ml2tensor.importers.pickle;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * A pickled {@code numpy.dtype(spec, align, copy)} plus the state its {@code BUILD} gave; resolved on
 * demand into a {@link DType}. Byte order lives in the state, not in the spec string.
 */
public final class PyDType implements PyValue {
    private static final int MAX_FIELD_NESTING = 8;

    private final String spec;
    private PyValue state;
    private DType resolved;
    private boolean resolving;

    PyDType(String spec) {
        this.spec = spec;
    }

    void setState(PyValue s) {
        state = s;
        resolved = null;
    }

    /** The constructor argument, e.g. {@code f8}, {@code V64}. */
    public String spec() {
        return spec;
    }

    /** The dtype this value describes; fails with {@link ErrorCode#MODEL_FORMAT} if it is malformed. */
    public DType resolve() {
        return resolve(0);
    }

    private DType resolve(int nesting) {
        if (resolved != null) {
            return resolved;
        }
        if (resolving || nesting > MAX_FIELD_NESTING) {
            throw bad("dtype fields nest too deeply or refer to themselves");
        }
        resolving = true;
        try {
            resolved = parse(nesting);
            return resolved;
        } finally {
            resolving = false;
        }
    }

    private DType parse(int nesting) {
        if (spec.isEmpty()) {
            throw bad("empty dtype spec");
        }
        char kind = spec.charAt(0);
        int size;
        try {
            size = spec.length() == 1 ? defaultSize(kind) : Integer.parseInt(spec.substring(1));
        } catch (NumberFormatException e) {
            throw bad("unsupported dtype '" + spec + "'");
        }
        if ("biufcOVSUMm".indexOf(kind) < 0 || size < 0) {
            throw bad("unsupported dtype '" + spec + "'");
        }
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        List<DType.Field> fields = new ArrayList<>();
        if (state instanceof PyTuple t && t.size() >= 8) {
            if (t.get(1) instanceof PyValue.PyStr endian && endian.value().equals(">")) {
                order = ByteOrder.BIG_ENDIAN;
            }
            if (!(t.get(2) instanceof PyValue.PyNone)) {
                throw bad("numpy sub-array dtypes are not supported");
            }
            if (t.get(5) instanceof PyValue.PyInt elsize && elsize.value() >= 0 && "VSU".indexOf(kind) >= 0) {
                if (elsize.value() > Integer.MAX_VALUE) {
                    throw bad("dtype item size " + elsize.value() + " is too large");
                }
                size = (int) elsize.value();
            }
            if (t.get(3) instanceof PyTuple names && t.get(4) instanceof PyDict fieldDict) {
                for (PyValue nameValue : names.items()) {
                    if (!(nameValue instanceof PyValue.PyStr name)) {
                        throw bad("dtype field name is not a str");
                    }
                    PyValue spec = fieldDict.get(name.value()).orElseThrow(
                            () -> bad("dtype field '" + name.value() + "' has no (dtype, offset) entry"));
                    if (!(spec instanceof PyTuple ft) || ft.size() < 2 || !(ft.get(0) instanceof PyDType fd)
                            || !(ft.get(1) instanceof PyValue.PyInt offset)) {
                        throw bad("dtype field '" + name.value() + "' is not (dtype, offset)");
                    }
                    DType type = fd.resolve(nesting + 1);
                    if (offset.value() < 0 || offset.value() + type.itemSize() > size) {
                        throw bad("dtype field '" + name.value() + "' at offset " + offset.value()
                                + " does not fit a record of " + size + " bytes");
                    }
                    fields.add(new DType.Field(name.value(), type, (int) offset.value()));
                }
            }
        }
        if (kind == 'O') {
            size = 8;
        }
        return new DType(kind, size, order, fields);
    }

    private static int defaultSize(char kind) {
        return switch (kind) {
            case 'b' -> 1;
            case 'O' -> 8;
            default -> throw new NumberFormatException();
        };
    }

    private static Ml2TensorException bad(String msg) {
        return Ml2TensorException.of(ErrorCode.MODEL_FORMAT, msg).build();
    }

    @Override
    public String typeName() {
        return "dtype";
    }

    @Override
    public String toString() {
        return "dtype('" + spec + "')";
    }
}
