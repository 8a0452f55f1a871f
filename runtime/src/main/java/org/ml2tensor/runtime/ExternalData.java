package org.ml2tensor.runtime;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.error.Printable;
import org.ml2tensor.onnx.proto.OnnxMl;

/**
 * Guards ONNX external data: tensors whose bytes a model stores in other files, named by a location
 * the model's author chose. ONNX Runtime resolves a relative location against the model's folder, or the
 * working directory for a model given as bytes, so a hostile model could read any file into its
 * predictions. Hence every model is checked before ONNX Runtime sees it:
 *
 * <ul>
 *   <li>without a base folder, a model with any external tensor (initializer, sparse initializer, node
 *       attribute, subgraph, function or training graph) is refused (UNSUPPORTED, exit 5);</li>
 *   <li>with one, each location must resolve, after normalisation and symlink resolution, to a regular
 *       file inside the base folder (else MODEL_FORMAT, exit 4); ml2tensor reads the byte range
 *       ({@code offset}, {@code length}) itself and embeds it, so ONNX Runtime never opens a file.</li>
 * </ul>
 */
public final class ExternalData {
    /** Protobuf cannot serialise a model beyond 2 GiB; embedded data must fit. */
    private static final long MAX_MODEL_BYTES = Integer.MAX_VALUE - 1024;

    private final String source;
    private final Path base;
    private final Path realBase;
    private long embedded;

    private ExternalData(String source, Path base, long modelBytes) {
        this.source = source;
        this.base = base;
        this.embedded = modelBytes;
        if (base == null) {
            this.realBase = null;
        } else {
            try {
                this.realBase = base.toRealPath();
            } catch (IOException e) {
                throw Ml2TensorException.of(ErrorCode.IO, "the external data folder does not exist: " + e.getMessage())
                        .at(base.toString()).hint("pass an existing folder to --external-data-dir").cause(e).build();
            }
            if (!Files.isDirectory(realBase)) {
                throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "the external data folder is not a folder")
                        .at(base.toString()).hint("pass the folder that holds the model's data files").build();
            }
        }
    }

    /**
     * Returns {@code model} unchanged when it has no external data, else with its external tensors
     * embedded from files inside {@code baseDir}.
     *
     * @param baseDir the folder external data may come from; {@code null} refuses external data
     * @throws Ml2TensorException UNSUPPORTED without a base folder, MODEL_FORMAT for a location outside
     *         it or a bad range, IO for a missing data file
     */
    public static byte[] embed(byte[] model, String source, Path baseDir) {
        OnnxMl.ModelProto m;
        try {
            m = OnnxMl.ModelProto.parseFrom(model);
        } catch (InvalidProtocolBufferException e) {
            return model; // ONNX Runtime reports the malformed file with its own message.
        }
        if (!hasExternal(m)) {
            return model;
        }
        ExternalData x = new ExternalData(source, baseDir, model.length);
        return x.model(m).toByteArray();
    }

    // ----- detection (no allocation) -----

    private static boolean hasExternal(OnnxMl.ModelProto m) {
        if (hasExternal(m.getGraph())) {
            return true;
        }
        for (OnnxMl.FunctionProto f : m.getFunctionsList()) {
            for (OnnxMl.NodeProto n : f.getNodeList()) {
                if (hasExternal(n)) {
                    return true;
                }
            }
            for (OnnxMl.AttributeProto a : f.getAttributeProtoList()) {
                if (hasExternal(a)) {
                    return true;
                }
            }
        }
        for (OnnxMl.TrainingInfoProto t : m.getTrainingInfoList()) {
            if (hasExternal(t.getInitialization()) || hasExternal(t.getAlgorithm())) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasExternal(OnnxMl.GraphProto g) {
        for (OnnxMl.TensorProto t : g.getInitializerList()) {
            if (external(t)) {
                return true;
            }
        }
        for (OnnxMl.SparseTensorProto s : g.getSparseInitializerList()) {
            if (external(s)) {
                return true;
            }
        }
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            if (hasExternal(n)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasExternal(OnnxMl.NodeProto n) {
        for (OnnxMl.AttributeProto a : n.getAttributeList()) {
            if (hasExternal(a)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasExternal(OnnxMl.AttributeProto a) {
        if (a.hasT() && external(a.getT()) || a.hasSparseTensor() && external(a.getSparseTensor())
                || a.hasG() && hasExternal(a.getG())) {
            return true;
        }
        for (OnnxMl.TensorProto t : a.getTensorsList()) {
            if (external(t)) {
                return true;
            }
        }
        for (OnnxMl.SparseTensorProto s : a.getSparseTensorsList()) {
            if (external(s)) {
                return true;
            }
        }
        for (OnnxMl.GraphProto g : a.getGraphsList()) {
            if (hasExternal(g)) {
                return true;
            }
        }
        return false;
    }

    private static boolean external(OnnxMl.SparseTensorProto s) {
        return external(s.getValues()) || external(s.getIndices());
    }

    private static boolean external(OnnxMl.TensorProto t) {
        return t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0;
    }

    // ----- embedding -----

    private OnnxMl.ModelProto model(OnnxMl.ModelProto m) {
        OnnxMl.ModelProto.Builder b = m.toBuilder().setGraph(graph(m.getGraph(), "graph"));
        for (int i = 0; i < b.getFunctionsCount(); i++) {
            OnnxMl.FunctionProto f = b.getFunctions(i);
            OnnxMl.FunctionProto.Builder fb = f.toBuilder();
            String at = "function '" + f.getName() + "'";
            for (int j = 0; j < fb.getNodeCount(); j++) {
                fb.setNode(j, node(fb.getNode(j), at));
            }
            for (int j = 0; j < fb.getAttributeProtoCount(); j++) {
                fb.setAttributeProto(j, attribute(fb.getAttributeProto(j), at));
            }
            b.setFunctions(i, fb);
        }
        for (int i = 0; i < b.getTrainingInfoCount(); i++) {
            OnnxMl.TrainingInfoProto t = b.getTrainingInfo(i);
            b.setTrainingInfo(i, t.toBuilder().setInitialization(graph(t.getInitialization(), "training_info[" + i + "]"))
                    .setAlgorithm(graph(t.getAlgorithm(), "training_info[" + i + "]")));
        }
        return b.build();
    }

    private OnnxMl.GraphProto graph(OnnxMl.GraphProto g, String at) {
        if (!hasExternal(g)) {
            return g;
        }
        OnnxMl.GraphProto.Builder b = g.toBuilder();
        for (int i = 0; i < b.getInitializerCount(); i++) {
            b.setInitializer(i, tensor(b.getInitializer(i), at + ".initializer[" + i + "]"));
        }
        for (int i = 0; i < b.getSparseInitializerCount(); i++) {
            b.setSparseInitializer(i, sparse(b.getSparseInitializer(i), at + ".sparse_initializer[" + i + "]"));
        }
        for (int i = 0; i < b.getNodeCount(); i++) {
            b.setNode(i, node(b.getNode(i), at + ".node[" + i + "]"));
        }
        return b.build();
    }

    private OnnxMl.NodeProto node(OnnxMl.NodeProto n, String at) {
        if (!hasExternal(n)) {
            return n;
        }
        OnnxMl.NodeProto.Builder b = n.toBuilder();
        for (int i = 0; i < b.getAttributeCount(); i++) {
            b.setAttribute(i, attribute(b.getAttribute(i), at + " (" + n.getOpType() + ")"));
        }
        return b.build();
    }

    private OnnxMl.AttributeProto attribute(OnnxMl.AttributeProto a, String at) {
        if (!hasExternal(a)) {
            return a;
        }
        String here = at + ".attribute '" + a.getName() + "'";
        OnnxMl.AttributeProto.Builder b = a.toBuilder();
        if (a.hasT()) {
            b.setT(tensor(a.getT(), here));
        }
        if (a.hasSparseTensor()) {
            b.setSparseTensor(sparse(a.getSparseTensor(), here));
        }
        if (a.hasG()) {
            b.setG(graph(a.getG(), here));
        }
        for (int i = 0; i < b.getTensorsCount(); i++) {
            b.setTensors(i, tensor(b.getTensors(i), here + "[" + i + "]"));
        }
        for (int i = 0; i < b.getSparseTensorsCount(); i++) {
            b.setSparseTensors(i, sparse(b.getSparseTensors(i), here + "[" + i + "]"));
        }
        for (int i = 0; i < b.getGraphsCount(); i++) {
            b.setGraphs(i, graph(b.getGraphs(i), here + "[" + i + "]"));
        }
        return b.build();
    }

    private OnnxMl.SparseTensorProto sparse(OnnxMl.SparseTensorProto s, String at) {
        if (!external(s)) {
            return s;
        }
        return s.toBuilder().setValues(tensor(s.getValues(), at + ".values"))
                .setIndices(tensor(s.getIndices(), at + ".indices")).build();
    }

    private OnnxMl.TensorProto tensor(OnnxMl.TensorProto t, String at) {
        if (!external(t)) {
            return t;
        }
        String where = source + " › " + at + " '" + t.getName() + "'";
        String location = null;
        long offset = 0;
        long length = -1;
        for (OnnxMl.StringStringEntryProto e : t.getExternalDataList()) {
            switch (e.getKey()) {
                case "location" -> location = e.getValue();
                case "offset" -> offset = number(e.getValue(), "offset", where);
                case "length" -> length = number(e.getValue(), "length", where);
                default -> {
                    // "checksum" and unknown keys do not change what is read.
                }
            }
        }
        if (base == null) {
            throw Ml2TensorException.of(ErrorCode.UNSUPPORTED, "the model stores tensor data outside the file"
                            + (location == null ? "" : " (location '" + Printable.escape(location) + "')")
                            + "; external data is refused unless you name the folder it may come from")
                    .at(where).hint("if you trust this model, pass --external-data-dir DIR "
                            + "(PredictorOptions.externalDataDir) with the folder that holds its data files").build();
        }
        Path file = locate(location, where);
        ByteString data = read(file, offset, length, where);
        return t.toBuilder().clearExternalData().clearDataLocation().setRawData(data).build();
    }

    private Path locate(String location, String where) {
        if (location == null || location.isEmpty() || location.indexOf('\0') >= 0) {
            throw hostile("external data without a valid location", where);
        }
        Path rel;
        try {
            rel = Path.of(location);
        } catch (InvalidPathException e) {
            throw hostile("external data location '" + Printable.escape(location) + "' is not a valid path", where);
        }
        if (rel.isAbsolute()) {
            throw hostile("external data location '" + Printable.escape(location) + "' is absolute", where);
        }
        Path normal = realBase.resolve(rel).normalize();
        if (!normal.startsWith(realBase)) {
            throw hostile("external data location '" + Printable.escape(location) + "' leaves the folder " + base, where);
        }
        Path real;
        try {
            real = normal.toRealPath();
        } catch (NoSuchFileException e) {
            throw Ml2TensorException.of(ErrorCode.IO, "external data file '" + Printable.escape(location)
                    + "' not found in " + base).at(where).hint("put the model's data files in " + base).build();
        } catch (IOException e) {
            throw Ml2TensorException.of(ErrorCode.IO, "cannot read external data file '" + Printable.escape(location)
                    + "': " + e.getMessage()).at(where).cause(e).build();
        }
        if (!real.startsWith(realBase)) {
            throw hostile("external data location '" + Printable.escape(location) + "' is a link that leaves the folder "
                    + base, where);
        }
        if (!Files.isRegularFile(real)) {
            throw hostile("external data location '" + Printable.escape(location) + "' is not a regular file", where);
        }
        return real;
    }

    private ByteString read(Path file, long offset, long length, String where) {
        try {
            long size = Files.size(file);
            long n = length < 0 ? size - offset : length;
            if (offset > size || n < 0 || n > size - offset) {
                throw hostile("external data range offset " + offset + ", length " + n + " lies outside the "
                        + size + "-byte file " + file.getFileName(), where);
            }
            if (n > MAX_MODEL_BYTES - embedded) {
                throw Ml2TensorException.of(ErrorCode.LIMIT_EXCEEDED, "embedding the external data would make the "
                        + "model larger than 2 GiB, which ONNX (protobuf) cannot hold").at(where).build();
            }
            embedded += n;
            try (InputStream in = Files.newInputStream(file)) {
                in.skipNBytes(offset);
                byte[] bytes = in.readNBytes((int) n);
                if (bytes.length != n) {
                    throw hostile("external data file " + file.getFileName() + " changed while it was read", where);
                }
                return UnsafeByteOperations.unsafeWrap(bytes);
            }
        } catch (IOException e) {
            throw Ml2TensorException.of(ErrorCode.IO, "cannot read external data: " + e.getMessage()).at(where)
                    .cause(e).build();
        }
    }

    private static long number(String text, String key, String where) {
        try {
            long v = Long.parseLong(text.trim());
            if (v < 0) {
                throw new NumberFormatException("negative");
            }
            return v;
        } catch (NumberFormatException e) {
            throw hostile("external data " + key + " '" + Printable.escape(text) + "' is not a byte count", where);
        }
    }

    private static Ml2TensorException hostile(String message, String where) {
        return Ml2TensorException.of(ErrorCode.MODEL_FORMAT, message).at(where)
                .hint("external data must be files inside the folder given to --external-data-dir").build();
    }
}
