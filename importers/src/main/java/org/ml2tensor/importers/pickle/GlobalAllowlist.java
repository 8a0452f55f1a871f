package org.ml2tensor.importers.pickle;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The exact set of Python globals ({@code module.name}) a reader accepts. Immutable; each reader has its
 * own. Globals are never called: accepted ones become inert {@link PyGlobal} markers. There is no prefix
 * matching, and names containing a dot are never accepted.
 */
public final class GlobalAllowlist {
    /** numpy array/dtype/scalar reconstruction in both numpy 1.x and 2.x module spellings. */
    public static final List<String> NUMPY = List.of(
            "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct",
            "numpy.core._multiarray_umath._reconstruct", "numpy._core._multiarray_umath._reconstruct",
            "numpy.core.numeric._frombuffer", "numpy._core.numeric._frombuffer",
            "numpy.core.multiarray.scalar", "numpy._core.multiarray.scalar",
            "numpy.core._multiarray_umath.scalar", "numpy._core._multiarray_umath.scalar",
            "numpy.dtype", "numpy.ndarray", "numpy.memmap",
            "numpy.float64", "numpy.float32", "numpy.int64", "numpy.int32", "numpy.uint8", "numpy.bool_",
            "numpy.object_", "numpy.str_",
            "numpy.random._pickle.__randomstate_ctor", "numpy.random._pickle.__bit_generator_ctor",
            "numpy.random._pickle.__generator_ctor", "numpy.random._mt19937.MT19937",
            "numpy.random._pcg64.PCG64", "numpy.random._pcg64.PCG64DXSM", "numpy.random._philox.Philox",
            "numpy.random._sfc64.SFC64", "numpy.random.mtrand.RandomState", "numpy.random._generator.Generator",
            "numpy.random.bit_generator.SeedSequence", "numpy.random.bit_generator.__pyx_unpickle_SeedSequence");

    /** Data-only builtins, joblib's array wrapper, and the protocol-2 helpers. */
    public static final List<String> BUILTINS = List.of(
            "builtins.object", "builtins.set", "builtins.frozenset", "builtins.slice", "builtins.bytearray",
            "builtins.bytes", "builtins.complex", "builtins.list", "builtins.dict", "builtins.tuple",
            "builtins.int", "builtins.float", "builtins.str", "builtins.bool",
            "copyreg._reconstructor", "copyreg.__newobj__", "_codecs.encode", "functools.partial",
            "collections.OrderedDict", "collections.defaultdict",
            "joblib.numpy_pickle.NumpyArrayWrapper", "sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper");

    private static final String DEFAULT_HINT = "this class is not among those ml2tensor converts";

    private final Set<String> names;
    private final String libraryClassHint;
    private final boolean toleratesLibraryClasses;

    private GlobalAllowlist(Set<String> names, String libraryClassHint) {
        this(names, libraryClassHint, false);
    }

    private GlobalAllowlist(Set<String> names, String libraryClassHint, boolean toleratesLibraryClasses) {
        this.names = Set.copyOf(names);
        this.libraryClassHint = libraryClassHint;
        this.toleratesLibraryClasses = toleratesLibraryClasses;
    }

    /**
     * A copy that reads classes of the ML libraries it does not list ({@code sklearn.*.CamelCase}) as inert
     * markers instead of refusing them, so that the converter can report every unsupported estimator of a
     * model at once, each with its object path. Functions and non-library globals are still refused.
     */
    public GlobalAllowlist toleratingLibraryClasses() {
        return new GlobalAllowlist(names, libraryClassHint, true);
    }

    /** Whether {@code module.name} is an unlisted ML-library class read as an inert marker. */
    public boolean tolerates(String module, String name) {
        return toleratesLibraryClasses && name.indexOf('.') < 0 && !name.isEmpty()
                && Character.isUpperCase(name.charAt(0)) && !name.startsWith("_")
                && (module.equals("sklearn") || module.startsWith("sklearn."));
    }

    /** An allowlist of exactly these {@code module.name} entries. */
    public static GlobalAllowlist of(Collection<String> names) {
        return new GlobalAllowlist(new TreeSet<>(names), DEFAULT_HINT);
    }

    /** numpy and builtins only (enough for plain arrays and containers). */
    public static GlobalAllowlist numpyAndBuiltins() {
        TreeSet<String> s = new TreeSet<>(NUMPY);
        s.addAll(BUILTINS);
        return new GlobalAllowlist(s, DEFAULT_HINT);
    }

    /** A new allowlist with these entries added. */
    public GlobalAllowlist plus(Collection<String> more) {
        TreeSet<String> s = new TreeSet<>(names);
        s.addAll(more);
        return new GlobalAllowlist(s, libraryClassHint, toleratesLibraryClasses);
    }

    /**
     * A copy whose refusals of ML-library classes ({@code sklearn.*}, {@code xgboost.*}, ...) carry this
     * hint, e.g. the list of supported estimators.
     */
    public GlobalAllowlist withLibraryClassHint(String hint) {
        return new GlobalAllowlist(names, hint, toleratesLibraryClasses);
    }

    /** Hint given when a class of an ML library is refused. */
    public String libraryClassHint() {
        return libraryClassHint;
    }

    /** Whether {@code module.name} is accepted; {@code name} must not contain a dot. */
    public boolean allows(String module, String name) {
        return name.indexOf('.') < 0 && !module.isEmpty() && names.contains(module + "." + name);
    }

    /** Sorted entries. */
    public List<String> entries() {
        return List.copyOf(new TreeSet<>(names));
    }
}
