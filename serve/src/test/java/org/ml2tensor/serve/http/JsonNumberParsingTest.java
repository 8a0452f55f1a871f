package org.ml2tensor.serve.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import org.ml2tensor.serve.TensorData;

/**
 * The JSON codec reads numbers with Jackson's fast parser; its values must be exactly those of the JDK's
 * {@code Double.parseDouble} (FP64, and FP32 as the double narrowed to float, as before), whatever the number
 * of digits, exponent or sign — random doubles and floats in their shortest and in long forms, subnormals and
 * the extremes.
 */
class JsonNumberParsingTest {
    private static String[] numbers() {
        SplittableRandom r = new SplittableRandom(42);
        String[] out = new String[4000];
        for (int i = 0; i < out.length; i++) {
            double d = switch (i % 5) {
                case 0 -> r.nextGaussian() * 10;
                case 1 -> Double.longBitsToDouble(r.nextLong());
                case 2 -> (float) (r.nextDouble() * 1e6 - 5e5);
                case 3 -> r.nextDouble() * Math.pow(10, r.nextInt(-40, 40));
                default -> Math.scalb(r.nextDouble(), r.nextInt(-1074, 1000));
            };
            if (!Double.isFinite(d)) {
                d = r.nextDouble();
            }
            out[i] = switch (i % 3) {
                case 0 -> Double.toString(d);
                case 1 -> Float.toString((float) d);
                default -> String.format(Locale.ROOT, "%.17g", d);
            };
        }
        out[0] = "4.9e-324";
        out[1] = "1.7976931348623157e308";
        out[2] = "1.4e-45";
        out[3] = "3.4028235e38";
        out[4] = "-0.0";
        out[5] = "0.6368964314460754";
        out[6] = "2.5790841579437256";
        out[7] = "123456789012345678901234567890";
        return out;
    }

    private static TensorData decode(String datatype, String[] numbers) {
        String body = "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"" + datatype + "\",\"shape\":[1," + numbers.length
                + "],\"data\":[" + String.join(",", numbers) + "]}]}";
        JsonCodec.Decoded d = JsonCodec.decodeInfer("m", "", body.getBytes(StandardCharsets.UTF_8), -1);
        assertNull(d.error());
        return d.request().inputs().get(0).data();
    }

    @Test
    void fp64ValuesAreExactlyThoseOfDoubleParseDouble() {
        String[] numbers = numbers();
        double[] expected = new double[numbers.length];
        for (int i = 0; i < numbers.length; i++) {
            expected[i] = Double.parseDouble(numbers[i]);
        }
        assertArrayEquals(expected, ((TensorData.Doubles) decode("FP64", numbers)).values());
    }

    @Test
    void fp32ValuesAreTheParsedDoublesNarrowedToFloat() {
        String[] numbers = numbers();
        float[] expected = new float[numbers.length];
        for (int i = 0; i < numbers.length; i++) {
            expected[i] = (float) Double.parseDouble(numbers[i]);
        }
        assertArrayEquals(expected, ((TensorData.Floats) decode("FP32", numbers)).values());
    }
}
