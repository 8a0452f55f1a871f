package org.ml2tensor.importers.pickle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * numpy arrays of every numeric dtype, both byte orders, C/Fortran order, float16, strings, object arrays,
 * aligned and packed records and numpy scalars, pickled by numpy 1.24, 1.26 and 2.x with protocols 2/4/5
 * and by joblib; decoded values must equal numpy's exactly.
 */
class NumpyArraysTest {
    private static final PickleReader READER = new PickleReader(GlobalAllowlist.numpyAndBuiltins(),
            PickleLimits.defaults());

    @TestFactory
    Stream<DynamicTest> arraysMatchNumpy() throws Exception {
        Path root = Path.of(NumpyArraysTest.class.getResource("/sklearn").toURI());
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.sorted().toList()) {
                Map<String, Object> expected = readJson(dir.resolve("arrays.expected.json"));
                for (String f : List.of("arrays.p2.pkl", "arrays.p4.pkl", "arrays.p5.pkl", "arrays.joblib")) {
                    Path file = dir.resolve(f);
                    tests.add(DynamicTest.dynamicTest(dir.getFileName() + "/" + f, () -> check(file, expected)));
                }
            }
        }
        return tests.stream();
    }

    @SuppressWarnings("unchecked")
    private static void check(Path file, Map<String, Object> expected) {
        PyDict d = assertInstanceOf(PyDict.class, READER.read(file).root());
        assertEquals(expected.keySet().stream().toList(), d.stringKeys());
        for (Map.Entry<String, Object> e : expected.entrySet()) {
            String key = e.getKey();
            Map<String, Object> want = (Map<String, Object>) e.getValue();
            PyValue got = d.get(key).orElseThrow();
            if (want.containsKey("fields")) {
                NdArray a = assertInstanceOf(NdArray.class, got, key);
                assertEquals(((Double) want.get("itemsize")).intValue(), a.dtype().itemSize(), key + " itemsize");
                for (Map.Entry<String, Object> f : ((Map<String, Object>) want.get("fields")).entrySet()) {
                    assertArrayEquals(doubles((List<Object>) f.getValue()), a.fieldDoubles(f.getKey()), key + "." + f.getKey());
                }
            } else if (want.containsKey("shape")) {
                NdArray a = assertInstanceOf(NdArray.class, got, key);
                int[] shape = ((List<Object>) want.get("shape")).stream().mapToInt(o -> ((Double) o).intValue()).toArray();
                assertArrayEquals(shape, a.shape(), key + " shape");
                List<Object> values = (List<Object>) want.get("values");
                if (!values.isEmpty() && values.get(0) instanceof String) {
                    assertEquals(values, a.toStrings(), key);
                } else {
                    assertArrayEquals(doubles(values), a.toDoubles(), key);
                    if (a.dtype().isInteger()) {
                        double[] asLong = java.util.Arrays.stream(a.toLongs()).asDoubleStream().toArray();
                        assertArrayEquals(doubles(values), asLong, key + " as longs");
                    }
                }
            } else {
                Object exact = want.get("exact");
                if (exact != null) {
                    String text = got instanceof PyValue.PyInt i ? Long.toString(i.value())
                            : ((PyValue.PyBigInt) got).value().toString();
                    assertEquals(exact, text, key);
                } else if (want.get("scalar") instanceof Boolean b) {
                    assertEquals(PyValue.PyBool.of(b), got, key);
                } else {
                    assertEquals((Double) want.get("scalar"), assertInstanceOf(PyValue.PyFloat.class, got).value(), 0.0, key);
                }
            }
        }
        NdArray fortran = (NdArray) d.get("f8_f").orElseThrow();
        assertTrue(fortran.isFortranOrder(), "a Fortran-ordered array is read as stored, in Fortran order");
    }

    private static double[] doubles(List<Object> l) {
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            Object o = l.get(i);
            out[i] = o instanceof Boolean b ? (b ? 1 : 0) : (Double) o;
        }
        return out;
    }

    private static Map<String, Object> readJson(Path p) throws IOException {
        JsonFactory f = JsonFactory.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
        try (JsonParser parser = f.createParser(Files.readAllBytes(p))) {
            parser.nextToken();
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) value(parser);
            return m;
        }
    }

    private static Object value(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            Map<String, Object> m = new LinkedHashMap<>();
            while (p.nextToken() != JsonToken.END_OBJECT) {
                String k = p.currentName();
                p.nextToken();
                m.put(k, value(p));
            }
            return m;
        }
        if (t == JsonToken.START_ARRAY) {
            List<Object> l = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                l.add(value(p));
            }
            return l;
        }
        return switch (t) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_STRING -> p.getText();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            default -> null;
        };
    }
}
