package org.ml2tensor.importers.xgboost;

import org.ml2tensor.importers.ReadBudget;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * Reads an XGBoost JSON model ({@code save_model("m.json")}) into a {@link DocValue} tree with jackson-core's
 * streaming parser. Accepts the bare {@code NaN}, {@code Infinity} and {@code -Infinity} tokens XGBoost
 * writes; parses real numbers as correctly rounded float32 ({@link Float#parseFloat}), integers exactly.
 */
final class JsonDocumentReader {
    private static final int MAX_DEPTH = 64;
    private static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build();

    private JsonDocumentReader() {
    }

    /** Budget per value (object, list slot) and per object field (map entry, key string). */
    private static final long VALUE_COST = 40;
    private static final long FIELD_COST = 96;

    static DocValue read(byte[] bytes, String file) {
        try (JsonParser p = FACTORY.createParser(bytes)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw Ml2TensorException.of(ErrorCode.MODEL_FORMAT, "empty JSON document").at(file)
                        .hint("the file is empty or truncated").build();
            }
            DocValue root = value(p, first, file);
            JsonToken extra = p.nextToken();
            if (extra != null) {
                throw formatError(file, p.currentLocation(), "unexpected content after the JSON document", null);
            }
            return root;
        } catch (JsonProcessingException e) {
            throw formatError(file, e.getLocation(), e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw Ml2TensorException.of(ErrorCode.IO, "cannot read JSON: " + e.getMessage()).at(file).cause(e)
                    .build();
        }
    }

    private static DocValue value(JsonParser p, JsonToken t, String file) throws IOException {
        if (t == null) {
            throw formatError(file, p.currentLocation(), "unexpected end of input", null);
        }
        ReadBudget.charge(VALUE_COST, "JSON values");
        switch (t) {
            case START_OBJECT:
                return object(p, file);
            case START_ARRAY:
                return array(p, file);
            case VALUE_STRING:
                ReadBudget.charge(2L * p.getTextLength(), "JSON strings");
                return new DocValue.Str(p.getText());
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return new DocValue.Num(number(p, t, file));
            case VALUE_TRUE:
                return new DocValue.Bool(true);
            case VALUE_FALSE:
                return new DocValue.Bool(false);
            case VALUE_NULL:
                return new DocValue.Null();
            default:
                throw formatError(file, p.currentLocation(), "unexpected token " + t, null);
        }
    }

    private static DocValue object(JsonParser p, String file) throws IOException {
        Map<String, DocValue> fields = new LinkedHashMap<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            ReadBudget.charge(FIELD_COST + 2L * name.length(), "JSON object fields");
            DocValue v = value(p, p.nextToken(), file);
            if (fields.put(name, v) != null) {
                throw formatError(file, p.currentLocation(), "duplicate key '" + name + "'", null);
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw formatError(file, p.currentLocation(), "unexpected end of object", null);
        }
        return new DocValue.Obj(fields);
    }

    /** Arrays of numbers become one double[]; anything else a list. */
    private static DocValue array(JsonParser p, String file) throws IOException {
        double[] nums = new double[16];
        int n = 0;
        JsonToken t = p.nextToken();
        while (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            if (n == nums.length) {
                ReadBudget.charge(8L * n, "a JSON array of numbers");
                nums = Arrays.copyOf(nums, n * 2);
            }
            nums[n++] = number(p, t, file);
            t = p.nextToken();
        }
        if (t == JsonToken.END_ARRAY) {
            return new DocValue.Numbers(Arrays.copyOf(nums, n));
        }
        List<DocValue> items = new ArrayList<>(n + 4);
        for (int i = 0; i < n; i++) {
            items.add(new DocValue.Num(nums[i]));
        }
        while (t != JsonToken.END_ARRAY) {
            if (t == null) {
                throw formatError(file, p.currentLocation(), "unexpected end of input inside an array", null);
            }
            items.add(value(p, t, file));
            t = p.nextToken();
        }
        return new DocValue.Arr(items);
    }

    /** XGBoost reals are float32: parse the token text as float (correctly rounded), integers exactly. */
    private static double number(JsonParser p, JsonToken t, String file) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw formatError(file, p.currentLocation(), "integer out of range: " + p.getText(), null);
            }
            return p.getLongValue();
        }
        String text = p.getText();
        try {
            return Float.parseFloat(text);
        } catch (NumberFormatException e) {
            if (text.endsWith("INF")) {       // Jackson's non-numeric spellings +INF, -INF, INF
                return text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            throw formatError(file, p.currentLocation(), "bad number '" + text + "'", e);
        }
    }

    private static Ml2TensorException formatError(String file, JsonLocation loc, String message, Throwable cause) {
        String where = loc == null || loc.getLineNr() < 0 ? file
                : file + ":" + loc.getLineNr() + ":" + loc.getColumnNr();
        return Ml2TensorException.of(ErrorCode.MODEL_FORMAT, "malformed XGBoost JSON: " + message).at(where)
                .hint("the file is truncated or not an XGBoost JSON model; save it again with "
                        + "Booster.save_model('model.json')")
                .cause(cause).build();
    }
}
