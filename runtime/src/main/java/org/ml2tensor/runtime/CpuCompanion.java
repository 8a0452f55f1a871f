package org.ml2tensor.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.ml2tensor.contract.ModelContract;
import org.ml2tensor.error.Ml2TensorException;

/**
 * The second ONNX Runtime session a {@link Predictor} on the CPU provider opens from a model's embedded CPU
 * companion ({@link ModelContract#CPU_COMPANION}: the same model lowered to one native {@code TreeEnsemble}
 * kernel, written by the compiler only where that kernel computes as the library does). Calls of at most
 * {@link #maxRows()} rows run it; larger calls run the main graph.
 *
 * <p>The embedded bytes are untrusted like the model around them: a companion whose digest does not match
 * {@link ModelContract#CPU_COMPANION_SHA256}, that is not valid base64 or ONNX, that has external data (never
 * read, whatever {@link PredictorOptions#externalDataDir()} says), that ONNX Runtime refuses, or whose inputs
 * and outputs differ from the main graph's is ignored with one notice; the main graph then runs every call.
 * The session runs on one intra-op thread, so the kernel sums the trees in their order.
 */
final class CpuCompanion implements AutoCloseable {
    /** Calls larger than this never go to a companion, whatever the metadata says. */
    static final int MAX_ROWS = 64;

    private final SessionFactory.Opened opened;
    private final int maxRows;

    private CpuCompanion(OrtSession session, OrtSession.SessionOptions sessionOptions, int maxRows) {
        this.opened = new SessionFactory.Opened(session, sessionOptions, null, Provider.CPU);
        this.maxRows = maxRows;
    }

    /**
     * Opens the companion of {@code main}, or returns null when it has none, the options turn it off, the
     * provider is not the CPU, or the companion is unusable (then after one notice naming why).
     */
    static CpuCompanion open(OrtEnvironment env, ModelInfo main, Provider provider, PredictorOptions options) {
        String encoded = main.metadata().get(ModelContract.CPU_COMPANION);
        if (encoded == null || !options.cpuCompanion() || provider != Provider.CPU) {
            return null;
        }
        try {
            return load(env, main, encoded, options);
        } catch (Unusable e) {
            options.noticeSink().notice("the CPU companion of " + main.source() + " is ignored (" + e.getMessage()
                    + "); every call runs the main graph");
            return null;
        }
    }

    private static CpuCompanion load(OrtEnvironment env, ModelInfo main, String encoded, PredictorOptions options)
            throws Unusable {
        int maxRows = maxRows(main.metadata().get(ModelContract.CPU_COMPANION_MAX_ROWS));
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new Unusable(ModelContract.CPU_COMPANION + " is not base64: " + e.getMessage());
        }
        String digest = main.metadata().get(ModelContract.CPU_COMPANION_SHA256);
        if (digest == null || !digest.equalsIgnoreCase(sha256(bytes))) {
            throw new Unusable("its SHA-256 does not match " + ModelContract.CPU_COMPANION_SHA256);
        }
        String name = main.source() + " (CPU companion)";
        try {
            bytes = ExternalData.embed(bytes, name, null); // external data in a companion is never read
        } catch (Ml2TensorException e) {
            throw new Unusable("it has external data, which is never read for a companion: " + e.bareMessage());
        }
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        OrtSession session = null;
        try {
            so.setIntraOpNumThreads(1);
            so.setInterOpNumThreads(1);
            so.setOptimizationLevel(options.optimization().ortLevel());
            session = env.createSession(bytes, so);
            ModelInfo info = ModelInfoReader.read(session, name);
            String mismatch = mismatch(main, info);
            if (mismatch != null) {
                throw new Unusable(mismatch);
            }
            CpuCompanion c = new CpuCompanion(session, so, maxRows);
            session = null;
            so = null;
            return c;
        } catch (OrtException e) {
            throw new Unusable("ONNX Runtime refused it: " + OrtErrors.firstLine(e.getMessage()));
        } catch (Ml2TensorException e) {
            throw new Unusable(e.bareMessage());
        } finally {
            if (session != null) {
                try {
                    session.close();
                } catch (OrtException ignored) {
                    // releasing native memory only
                }
            }
            if (so != null) {
                so.close();
            }
        }
    }

    /** Why the companion cannot stand in for the main graph, or null when its signature is the same. */
    private static String mismatch(ModelInfo main, ModelInfo companion) {
        if (!signature(main.inputs()).equals(signature(companion.inputs()))) {
            return "its inputs " + companion.inputs() + " differ from the model's " + main.inputs();
        }
        List<TensorSpec> returned = main.outputs().stream().filter(OutputCollector::supported).toList();
        for (TensorSpec o : returned) {
            TensorSpec c = companion.output(o.name()).orElse(null);
            if (c == null || c.elementType() != o.elementType() || c.rank() != o.rank()) {
                return "its output " + (c == null ? "'" + o.name() + "' is missing" : c + " differs from " + o);
            }
        }
        return null;
    }

    private static List<String> signature(List<TensorSpec> specs) {
        return specs.stream().map(s -> s.name() + ":" + s.elementType() + s.shape()).sorted().toList();
    }

    private static int maxRows(String text) throws Unusable {
        if (text == null) {
            throw new Unusable(ModelContract.CPU_COMPANION_MAX_ROWS + " is missing");
        }
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= 1) {
                return Math.min(MAX_ROWS, n);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new Unusable(ModelContract.CPU_COMPANION_MAX_ROWS + " is not a positive row count");
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    OrtSession session() {
        return opened.session();
    }

    /** Calls of at most this many rows run the companion. */
    int maxRows() {
        return maxRows;
    }

    @Override
    public void close() {
        opened.close();
    }

    /** Why a companion cannot be used. */
    private static final class Unusable extends Exception {
        Unusable(String message) {
            super(message, null, false, false);
        }
    }
}
