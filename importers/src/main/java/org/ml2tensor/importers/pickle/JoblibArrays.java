package org.ml2tensor.importers.pickle;

import org.ml2tensor.importers.pickle.PyValue.PyInt;
import org.ml2tensor.importers.pickle.PyValue.PyStr;

/**
 * joblib's {@code NumpyArrayWrapper}: after its BUILD the array follows in the stream, either as raw
 * bytes (after an alignment padding) or, for object arrays, as a nested pickle read with the same
 * allowlist.
 */
final class JoblibArrays {
    private JoblibArrays() {
    }

    static NdArray readAfterWrapper(PickleMachine m, PyObject wrapper) {
        PyDict state = wrapper.attributes().orElseThrow(
                () -> GlobalCalls.bad("NumpyArrayWrapper state must be a dict"));
        PyValue subclass = state.get("subclass").orElse(PyValue.PyNone.NONE);
        if (!(subclass instanceof PyGlobal g) || !(g.qualifiedName().equals("numpy.ndarray")
                || g.qualifiedName().equals("numpy.memmap"))) {
            throw GlobalCalls.bad("NumpyArrayWrapper of " + subclass + " is not supported (numpy.ndarray only)");
        }
        DType dtype = NumpyCalls.dtype(state.get("dtype").orElseThrow(
                () -> GlobalCalls.bad("NumpyArrayWrapper has no dtype")));
        int[] shape = NumpyCalls.shape(state.get("shape").orElseThrow(
                () -> GlobalCalls.bad("NumpyArrayWrapper has no shape")));
        boolean fortran = state.get("order").orElse(PyValue.PyNone.NONE) instanceof PyStr o && o.value().equals("F");
        if (dtype.isObject()) {
            PyValue nested = m.runNested();
            if (!(nested instanceof NdArray a)) {
                throw GlobalCalls.bad("the nested pickle of an object array holds a " + nested.typeName());
            }
            return a;
        }
        PyValue alignment = state.get("numpy_array_alignment_bytes").orElse(PyValue.PyNone.NONE);
        if (alignment instanceof PyInt) {
            int padding = m.takeByte();
            m.takeRaw(padding, "joblib array padding");
        }
        long count = 1;
        for (int d : shape) {
            count *= d;
            if (count > Integer.MAX_VALUE) {
                throw GlobalCalls.bad("joblib array is too large");
            }
        }
        long bytes = count * dtype.itemSize();
        PyBytes data = m.takeRaw(bytes, "joblib array of " + count + " " + dtype.describe() + " elements");
        return NdArray.of(dtype, shape, fortran, data);
    }
}
