package org.ml2tensor.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import com.google.protobuf.InvalidProtocolBufferException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import org.ml2tensor.compiler.CompileReport;
import org.ml2tensor.contract.ModelContract;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.error.Printable;
import org.ml2tensor.importers.ModelFormat;
import org.ml2tensor.importers.ModelImporter;
import org.ml2tensor.onnx.proto.OnnxMl;
import org.ml2tensor.runtime.ExternalData;
import org.ml2tensor.runtime.PredictorOptions;

/** {@code ml2tensor inspect MODEL}. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Shows what a model is: for a source model its estimators, classes, features and trees, "
                + "and the strategy the compiler chooses; for an ONNX file its inputs, outputs, metadata and ops.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "A source model or an .onnx file.")
    Path model;

    @Mixin
    CompileSettings settings;

    @Option(names = "--external-data-dir", paramLabel = "DIR",
            description = "Trust an .onnx model's external data, but only files inside DIR (refused without it).")
    Path externalDataDir;

    @Override
    public Integer call() {
        ModelFormat format = ModelImporter.resolve(model, settings.format());
        if (format == ModelFormat.ONNX) {
            byte[] bytes = LoadedModel.readAll(model);
            ExternalData.embed(bytes, model.toString(), externalDataDir); // refuses untrusted external data
            System.out.print(describeOnnx(model, bytes));
            return 0;
        }
        System.out.println(model + " (" + format.cliName() + ")");
        String description = ModelImporter.describe(model, format, settings.importOptions());
        System.out.println(description.indent(2).stripTrailing());
        LoadedModel loaded;
        try {
            loaded = LoadedModel.open(model, settings, PredictorOptions.defaults());
        } catch (Ml2TensorException e) {
            if (!description.contains(e.bareMessage())) {
                throw e;
            }
            // The tree above already names what failed and where: add only what to do about it.
            System.out.println("not compiled (see 'not convertible' above)");
            if (!e.hint().isEmpty()) {
                System.out.println("  what to do: " + e.hint());
            }
            return e.code().exitStatus();
        }
        CompileReport r = loaded.report();
        System.out.println("compiled (" + settings.options().precision().cliName() + ", opset " + settings.opset + "):");
        System.out.printf("  estimator:  %s%n", Printable.escape(r.estimator()));
        if (r.trees() > 0) {
            System.out.printf("  trees:      %d, max depth %d, %d nodes%n", r.trees(), r.maxDepth(), r.treeNodes());
        }
        System.out.printf("  strategy:   %s%n  why:        %s%n", r.strategy(), Printable.escape(r.strategyReason()));
        System.out.printf("  onnx:       %d nodes, %d bytes%n", r.graphNodes(), r.onnxBytes());
        String routing = metadata(loaded.onnx()).get(ModelContract.CPU_COMPANION_ROUTING);
        System.out.printf("  cpu:        %s%n", routing == null ? "the graph runs every call (no CPU companion: "
                + "only lone tree ensembles the native kernel reproduces exactly get one)" : "CPU companion embedded: " + Printable.escape(routing));
        System.out.printf("  input:      %s%s%n", r.inputType(), r.inexactSteps().isEmpty()
                ? " (every step computes as the library does)" : "");
        for (String step : r.inexactSteps()) {
            System.out.printf("  not exact:  %s%n", step);
        }
        System.out.printf("  features:   %d%s%n", loaded.ir().featureCount(),
                loaded.ir().featureNames().isEmpty() ? " (positional)" : " (matched by name)");
        System.out.println("  input schema:");
        for (org.ml2tensor.ir.Column c : loaded.ir().schema().columns()) {
            System.out.printf("    %-24s %s%n", Printable.escape(c.name()), c.type().jsonName());
        }
        System.out.println("  step graph (IR node: lowering [ONNX nodes]):");
        for (String line : r.stepGraph()) {
            System.out.println("    " + Printable.escape(line));
        }
        return 0;
    }

    /** The metadata entries of ONNX bytes ml2tensor just compiled. */
    private static Map<String, String> metadata(byte[] onnx) {
        Map<String, String> out = new TreeMap<>();
        try {
            OnnxMl.ModelProto.parseFrom(onnx).getMetadataPropsList().forEach(p -> out.put(p.getKey(), p.getValue()));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("the compiler wrote an unreadable model", e);
        }
        return out;
    }

    /** Describes an ONNX file; every name and value taken from the file is escaped ({@link Printable}). */
    static String describeOnnx(Path file, byte[] bytes) {
        OnnxMl.ModelProto m;
        try {
            m = OnnxMl.ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw Ml2TensorException.of(ErrorCode.MODEL_FORMAT, "not an ONNX model: " + e.getMessage())
                    .at(file.toString()).hint("give an .onnx file written by ml2tensor compile or another ONNX exporter")
                    .build();
        }
        StringBuilder sb = new StringBuilder();
        boolean ours = ModelContract.PRODUCER.equals(m.getProducerName());
        sb.append(file).append(": ONNX model, ").append(bytes.length).append(" bytes\n");
        sb.append("  producer:   ").append(Printable.escape(m.getProducerName())).append(' ')
                .append(Printable.escape(m.getProducerVersion()))
                .append(ours ? "" : " (not produced by ml2tensor)").append('\n');
        sb.append("  ir_version: ").append(m.getIrVersion()).append(", opsets:");
        for (OnnxMl.OperatorSetIdProto o : m.getOpsetImportList()) {
            sb.append(' ').append(o.getDomain().isEmpty() ? "ai.onnx" : Printable.escape(o.getDomain())).append('=')
                    .append(o.getVersion());
        }
        sb.append('\n');
        for (OnnxMl.ValueInfoProto v : m.getGraph().getInputList()) {
            sb.append("  input:      ").append(valueInfo(v)).append('\n');
        }
        for (OnnxMl.ValueInfoProto v : m.getGraph().getOutputList()) {
            sb.append("  output:     ").append(valueInfo(v)).append('\n');
        }
        Map<String, Integer> ops = new TreeMap<>();
        for (OnnxMl.NodeProto n : m.getGraph().getNodeList()) {
            ops.merge(Printable.escape((n.getDomain().isEmpty() ? "" : n.getDomain() + ":") + n.getOpType()), 1,
                    Integer::sum);
        }
        sb.append("  nodes:      ").append(m.getGraph().getNodeCount()).append(' ').append(ops).append('\n');
        for (OnnxMl.StringStringEntryProto p : m.getMetadataPropsList()) {
            String value = p.getKey().equals(ModelContract.CPU_COMPANION)
                    ? "(an embedded ONNX model, " + p.getValue().length() + " base64 characters; "
                    + ModelContract.CPU_COMPANION_ROUTING + " says when it runs)"
                    : Printable.escape(p.getValue());
            sb.append("  ").append(Printable.escape(p.getKey())).append(": ").append(value).append('\n');
        }
        return sb.toString();
    }

    private static String valueInfo(OnnxMl.ValueInfoProto v) {
        if (!v.getType().hasTensorType()) {
            return Printable.escape(v.getName()) + " (non-tensor)";
        }
        OnnxMl.TypeProto.Tensor t = v.getType().getTensorType();
        StringBuilder sb = new StringBuilder(Printable.escape(v.getName())).append(' ')
                .append(OnnxMl.TensorProto.DataType.forNumber(t.getElemType())).append('[');
        for (int i = 0; i < t.getShape().getDimCount(); i++) {
            OnnxMl.TensorShapeProto.Dimension d = t.getShape().getDim(i);
            sb.append(i > 0 ? ", " : "").append(d.hasDimValue() ? Long.toString(d.getDimValue())
                    : Printable.escape(d.getDimParam()));
        }
        return sb.append(']').toString();
    }
}
