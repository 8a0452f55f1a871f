package org.ml2tensor.serve.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;

import org.ml2tensor.serve.Datatype;
import org.ml2tensor.serve.InferRequest;
import org.ml2tensor.serve.InferResult;
import org.ml2tensor.serve.ModelPlatform;
import org.ml2tensor.serve.OutputTensor;
import org.ml2tensor.serve.ServedModel;
import org.ml2tensor.serve.TensorData;
import org.ml2tensor.serve.TensorMetadata;

/**
 * JSON bodies of the Open Inference Protocol's REST API, including the binary-data extension (a JSON
 * header of {@code Inference-Header-Content-Length} bytes followed by raw tensors whose sizes the
 * inputs' {@code binary_data_size} parameters give). Decoding is streaming and allocates at most a small
 * multiple of the body's size.
 */
public final class JsonCodec {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            // Exactly rounded like Double.parseDouble/Float.toString, several times faster: the JDK's
            // parser was the largest single cost of a one-row JSON request (28 numbers per row).
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();
    private static final int MAX_RANK = 16;

    private JsonCodec() {
    }

    /** A malformed request body; the message is the protocol error text. */
    public record Malformed(String message) {
    }

    /** The decoded request, or why it could not be decoded. */
    public record Decoded(InferRequest request, Malformed error) {
    }

    /**
     * Decodes an infer request body.
     *
     * @param body         the whole body
     * @param headerLength the JSON part's length ({@code Inference-Header-Content-Length}), or -1 when the
     *                     whole body is JSON
     */
    public static Decoded decodeInfer(String model, String version, byte[] body, int headerLength) {
        int jsonLength = headerLength < 0 ? body.length : headerLength;
        if (jsonLength > body.length) {
            return bad("Inference-Header-Content-Length " + headerLength + " exceeds the body's " + body.length + " bytes");
        }
        List<RawInput> raw = new ArrayList<>();
        String id = "";
        boolean binaryOutputs = false;
        List<InferRequest.RequestedOutput> outputs = new ArrayList<>();
        try (JsonParser p = JSON.createParser(body, 0, jsonLength)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return bad("the request body must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "id" -> id = t == JsonToken.VALUE_NULL ? "" : p.getValueAsString("");
                    case "parameters" -> {
                        Params params = params(p, t);
                        binaryOutputs = params.binaryDataOutput;
                    }
                    case "inputs" -> {
                        expect(p, t, JsonToken.START_ARRAY, "inputs");
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            raw.add(input(p, body.length));
                        }
                    }
                    case "outputs" -> {
                        expect(p, t, JsonToken.START_ARRAY, "outputs");
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            outputs.add(output(p));
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (BadBody e) {
            return bad(e.getMessage());
        } catch (IOException e) {
            String m = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage()
                    : e.getMessage();
            return bad("malformed JSON: " + firstLine(m));
        }
        if (raw.isEmpty()) {
            return bad("the request has no 'inputs'");
        }
        List<InferRequest.InputTensor> inputs = new ArrayList<>();
        int offset = jsonLength;
        for (RawInput r : raw) {
            if (r.name == null || r.datatype == null || r.shape == null) {
                return bad("every input needs 'name', 'shape' and 'datatype'");
            }
            long elements = 1;
            for (long d : r.shape) {
                if (d < 0) {
                    return bad("input '" + r.name + "' has a negative dimension in shape " + Arrays.toString(r.shape));
                }
                elements = d == 0 ? 0 : (elements > Long.MAX_VALUE / d ? Long.MAX_VALUE : elements * d);
            }
            TensorData data;
            if (r.binarySize >= 0) {
                if (r.values != null) {
                    return bad("input '" + r.name + "' has both 'data' and 'binary_data_size'");
                }
                if (r.binarySize > body.length - offset) {
                    return bad("input '" + r.name + "' declares binary_data_size " + r.binarySize + " but only "
                            + (body.length - offset) + " binary bytes remain in the body");
                }
                String problem = binarySizeProblem(r, elements);
                if (problem != null) {
                    return bad(problem);
                }
                data = binary(r.datatype, body, offset, (int) r.binarySize, (int) elements);
                offset += (int) r.binarySize;
            } else if (r.values == null) {
                return bad("input '" + r.name + "' has neither 'data' nor a 'binary_data_size' parameter");
            } else {
                data = r.values.toTensorData(r.datatype);
                if (data == null) {
                    return bad("input '" + r.name + "': the 'data' values do not match datatype " + r.datatype);
                }
            }
            inputs.add(new InferRequest.InputTensor(r.name, r.datatype, r.shape, data));
        }
        if (offset != body.length && headerLength >= 0) {
            return bad("the body has " + (body.length - offset) + " binary bytes that no input's binary_data_size covers");
        }
        return new Decoded(new InferRequest(model, version, id, inputs, outputs, binaryOutputs), null);
    }

    private static String binarySizeProblem(RawInput r, long elements) {
        if (r.datatype == Datatype.BYTES) {
            return null;
        }
        long expected = elements * r.datatype.size();
        if (expected != r.binarySize) {
            return "input '" + r.name + "' has shape " + Arrays.toString(r.shape) + " of " + r.datatype + " = "
                    + expected + " bytes but binary_data_size " + r.binarySize;
        }
        return null;
    }

    private static TensorData binary(Datatype type, byte[] body, int offset, int size, int elements) {
        ByteBuffer b = ByteBuffer.wrap(body, offset, size).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case FP32: {
                float[] v = new float[elements];
                b.asFloatBuffer().get(v);
                return new TensorData.Floats(v);
            }
            case BYTES: {
                List<String> v = new ArrayList<>();
                while (b.remaining() >= 4) {
                    int n = b.getInt();
                    if (n < 0 || n > b.remaining()) {
                        break;
                    }
                    byte[] s = new byte[n];
                    b.get(s);
                    v.add(new String(s, StandardCharsets.UTF_8));
                }
                return new TensorData.Texts(v.toArray(String[]::new));
            }
            default: {
                double[] v = new double[elements];
                for (int i = 0; i < elements; i++) {
                    v[i] = switch (type) {
                        case FP64 -> b.getDouble();
                        case INT64, UINT64 -> b.getLong();
                        case INT32 -> b.getInt();
                        case UINT32 -> Integer.toUnsignedLong(b.getInt());
                        case INT16 -> b.getShort();
                        case UINT16 -> Short.toUnsignedInt(b.getShort());
                        case INT8 -> b.get();
                        case UINT8, BOOL -> Byte.toUnsignedInt(b.get());
                        default -> Double.NaN; // FP16/BF16: refused by the model's datatype check
                    };
                }
                return new TensorData.Doubles(v);
            }
        }
    }

    private static Decoded bad(String message) {
        return new Decoded(null, new Malformed(message));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void expect(JsonParser p, JsonToken actual, JsonToken expected, String what) {
        if (actual != expected) {
            throw new BadBody("'" + what + "' must be " + (expected == JsonToken.START_ARRAY ? "an array" : "an object"));
        }
    }

    /** Recognised parameters of a request, input or output. */
    private static final class Params {
        boolean binaryDataOutput;
        boolean binaryData;
        long binaryDataSize = -1;
    }

    private static Params params(JsonParser p, JsonToken t) throws IOException {
        Params params = new Params();
        if (t == JsonToken.VALUE_NULL) {
            return params;
        }
        expect(p, t, JsonToken.START_OBJECT, "parameters");
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "binary_data_output" -> params.binaryDataOutput = v == JsonToken.VALUE_TRUE;
                case "binary_data" -> params.binaryData = v == JsonToken.VALUE_TRUE;
                case "binary_data_size" -> {
                    if (v != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 0 || p.getLongValue() > Integer.MAX_VALUE) {
                        throw new BadBody("'binary_data_size' must be a non-negative integer");
                    }
                    params.binaryDataSize = p.getLongValue();
                }
                default -> p.skipChildren();
            }
        }
        return params;
    }

    private static final class RawInput {
        String name;
        Datatype datatype;
        long[] shape;
        long binarySize = -1;
        Values values;
    }

    private static RawInput input(JsonParser p, int bodyLength) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_OBJECT, "inputs[]");
        RawInput r = new RawInput();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "name" -> r.name = text(p, t, "input name");
                case "datatype" -> {
                    String d = text(p, t, "datatype");
                    r.datatype = Datatype.parse(d).orElseThrow(() -> new BadBody("unknown datatype '" + d
                            + "'; the protocol's are " + Arrays.toString(Datatype.values())));
                }
                case "shape" -> r.shape = shape(p, t);
                case "parameters" -> r.binarySize = params(p, t).binaryDataSize;
                case "data" -> r.values = values(p, t, bodyLength);
                default -> p.skipChildren();
            }
        }
        return r;
    }

    private static InferRequest.RequestedOutput output(JsonParser p) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_OBJECT, "outputs[]");
        String name = null;
        boolean binary = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "name" -> name = text(p, t, "output name");
                case "parameters" -> binary = params(p, t).binaryData;
                default -> p.skipChildren();
            }
        }
        if (name == null) {
            throw new BadBody("every requested output needs a 'name'");
        }
        return new InferRequest.RequestedOutput(name, binary);
    }

    private static String text(JsonParser p, JsonToken t, String what) throws IOException {
        if (t != JsonToken.VALUE_STRING) {
            throw new BadBody(what + " must be a string");
        }
        return p.getText();
    }

    private static long[] shape(JsonParser p, JsonToken t) throws IOException {
        expect(p, t, JsonToken.START_ARRAY, "shape");
        long[] dims = new long[MAX_RANK];
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                throw new BadBody("'shape' must hold integers");
            }
            if (n == MAX_RANK) {
                throw new BadBody("'shape' has more than " + MAX_RANK + " dimensions");
            }
            dims[n++] = p.getLongValue();
        }
        return Arrays.copyOf(dims, n);
    }

    /** Tensor elements as read from JSON, before the datatype is known. */
    private static final class Values {
        double[] numbers = new double[16];
        List<String> strings;
        int size;
        boolean nonInteger;

        void add(double v) {
            if (size == numbers.length) {
                numbers = Arrays.copyOf(numbers, size * 2);
            }
            numbers[size++] = v;
        }

        TensorData toTensorData(Datatype type) {
            if (type == Datatype.BYTES) {
                return strings != null && size == 0 ? new TensorData.Texts(strings.toArray(String[]::new)) : null;
            }
            if (strings != null) {
                return null;
            }
            if (type == Datatype.FP32) {
                float[] f = new float[size];
                for (int i = 0; i < size; i++) {
                    f[i] = (float) numbers[i];
                }
                return new TensorData.Floats(f);
            }
            if (type != Datatype.FP64 && type != Datatype.FP16 && type != Datatype.BF16 && nonInteger) {
                return null;
            }
            return new TensorData.Doubles(Arrays.copyOf(numbers, size));
        }
    }

    private static Values values(JsonParser p, JsonToken t, int bodyLength) throws IOException {
        Values v = new Values();
        if (t != JsonToken.START_ARRAY) {
            scalar(p, t, v);
            return v;
        }
        int depth = 1;
        while (depth > 0) {
            JsonToken x = p.nextToken();
            if (x == null) {
                throw new BadBody("'data' ends early");
            }
            switch (x) {
                case START_ARRAY -> depth++;
                case END_ARRAY -> depth--;
                default -> scalar(p, x, v);
            }
            if (v.size > bodyLength) {
                throw new BadBody("'data' has more elements than the body has bytes");
            }
        }
        return v;
    }

    private static void scalar(JsonParser p, JsonToken x, Values v) throws IOException {
        switch (x) {
            case VALUE_NUMBER_INT -> v.add(p.getDoubleValue());
            case VALUE_NUMBER_FLOAT -> {
                v.nonInteger = true;
                v.add(p.getDoubleValue());
            }
            case VALUE_TRUE -> v.add(1);
            case VALUE_FALSE -> v.add(0);
            case VALUE_NULL -> {
                v.nonInteger = true;
                v.add(Double.NaN);
            }
            case VALUE_STRING -> {
                if (v.strings == null) {
                    v.strings = new ArrayList<>();
                }
                v.strings.add(p.getText());
            }
            default -> throw new BadBody("'data' must hold numbers, booleans or strings (found " + x + ")");
        }
    }

    /** Thrown inside this class only, to unwind the streaming parser on a malformed body. */
    private static final class BadBody extends IllegalArgumentException {
        BadBody(String message) {
            super(message);
        }
    }

    // ---- encoding ----

    /** An encoded response: the bytes and, for the binary extension, the JSON header's length (else -1). */
    public record Encoded(byte[] bytes, int headerLength) {
    }

    /** Encodes an infer result; outputs marked binary go after the JSON header. */
    public static Encoded encodeInfer(InferResult r) {
        ByteArrayOutputStream json = new ByteArrayOutputStream(256);
        List<byte[]> binaries = new ArrayList<>();
        try (JsonGenerator g = JSON.createGenerator(json)) {
            g.writeStartObject();
            g.writeStringField("model_name", r.modelName());
            g.writeStringField("model_version", r.modelVersion());
            if (!r.id().isEmpty()) {
                g.writeStringField("id", r.id());
            }
            g.writeArrayFieldStart("outputs");
            for (OutputTensor o : r.outputs()) {
                g.writeStartObject();
                g.writeStringField("name", o.name());
                g.writeStringField("datatype", o.datatype().name());
                g.writeArrayFieldStart("shape");
                for (long d : o.shape()) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                if (o.binary()) {
                    byte[] b = o.toBytes();
                    binaries.add(b);
                    g.writeObjectFieldStart("parameters");
                    g.writeNumberField("binary_data_size", b.length);
                    g.writeEndObject();
                } else {
                    g.writeArrayFieldStart("data");
                    writeData(g, o);
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (binaries.isEmpty()) {
            return new Encoded(json.toByteArray(), -1);
        }
        int headerLength = json.size();
        for (byte[] b : binaries) {
            json.writeBytes(b);
        }
        return new Encoded(json.toByteArray(), headerLength);
    }

    private static void writeData(JsonGenerator g, OutputTensor o) throws IOException {
        int n = o.size();
        switch (o.datatype()) {
            case FP32, FP16, BF16 -> {
                for (int i = 0; i < n; i++) {
                    float f = (float) o.getDouble(i);
                    if (Float.isFinite(f)) {
                        g.writeNumber(f);
                    } else {
                        g.writeNull();
                    }
                }
            }
            case FP64 -> {
                for (int i = 0; i < n; i++) {
                    double d = o.getDouble(i);
                    if (Double.isFinite(d)) {
                        g.writeNumber(d);
                    } else {
                        g.writeNull();
                    }
                }
            }
            case BYTES -> {
                for (int i = 0; i < n; i++) {
                    g.writeString(o.getText(i));
                }
            }
            case BOOL -> {
                for (int i = 0; i < n; i++) {
                    g.writeBoolean(o.getLong(i) != 0);
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    g.writeNumber(o.getLong(i));
                }
            }
        }
    }

    /** {@code {"error": message}}. */
    public static byte[] error(String message) {
        return object(g -> g.writeStringField("error", message));
    }

    /** Server metadata. */
    public static byte[] serverMetadata(String name, String version, List<String> extensions) {
        return object(g -> {
            g.writeStringField("name", name);
            g.writeStringField("version", version);
            g.writeArrayFieldStart("extensions");
            for (String e : extensions) {
                g.writeString(e);
            }
            g.writeEndArray();
        });
    }

    /** Model metadata: name, versions, platform, inputs and outputs. */
    public static byte[] modelMetadata(ServedModel m) {
        return object(g -> {
            g.writeStringField("name", m.name());
            g.writeArrayFieldStart("versions");
            g.writeString(m.version());
            g.writeEndArray();
            g.writeStringField("platform", ModelPlatform.NAME);
            tensors(g, "inputs", m.signature().inputs());
            tensors(g, "outputs", m.signature().outputs());
            g.writeObjectFieldStart("parameters");
            g.writeStringField("sha256", m.sha256());
            g.writeStringField("source", m.file().getFileName().toString());
            g.writeStringField("task", m.predictor().info().task().name().toLowerCase(java.util.Locale.ROOT));
            g.writeEndObject();
        });
    }

    private static void tensors(JsonGenerator g, String field, List<TensorMetadata> ts) throws IOException {
        g.writeArrayFieldStart(field);
        for (TensorMetadata t : ts) {
            g.writeStartObject();
            g.writeStringField("name", t.name());
            g.writeStringField("datatype", t.datatype().name());
            g.writeArrayFieldStart("shape");
            for (long d : t.shape()) {
                g.writeNumber(d);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] object(Fields fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
