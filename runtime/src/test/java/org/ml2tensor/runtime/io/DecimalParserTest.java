package org.ml2tensor.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link DecimalParser} gives bit-for-bit the results of Float.parseFloat / Double.parseDouble. */
class DecimalParserTest {
    private final DecimalParser parser = new DecimalParser();

    private int parse(String s, boolean toFloat) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return parser.parse(b, 0, b.length, toFloat);
    }

    private void assertExact(String s) {
        assertEquals(DecimalParser.OK, parse(s, true), s);
        assertEquals(Float.floatToRawIntBits(Float.parseFloat(s)), Float.floatToRawIntBits(parser.floatValue()),
                () -> "float of " + s + ": " + parser.floatValue() + " vs " + Float.parseFloat(s));
        assertEquals(DecimalParser.OK, parse(s, false), s);
        assertEquals(Double.doubleToRawLongBits(Double.parseDouble(s)), Double.doubleToRawLongBits(parser.doubleValue()),
                () -> "double of " + s + ": " + parser.doubleValue() + " vs " + Double.parseDouble(s));
    }

    @Test
    void edgeCasesMatchTheJdk() {
        for (String s : List.of("0", "-0", "+0", "0.0", "-0.0", "1", "-1", "1.", ".5", "-.5", "+1.5", "007", "0.001",
                "1e5", "1E5", "1e+5", "1e-5", "1.5e-45", "1.4e-45", "7e-46", "3.4028235e38", "3.4028236e38", "3.5e38",
                "1e39", "-1e39", "1e-50", "1.17549435e-38", "1.1754942e-38", "4.9e-324", "1.7976931348623157e308",
                "1e309", "0.1", "0.2", "0.3", "123456789", "16777216", "16777217", "16777218", "16777219",
                "33554433", "9007199254740993", "9007199254740992", "9007199254740991", "1e22", "1e23", "8.589973e9",
                "0.30000000000000004", "2.2250738585072011e-308", "2.2250738585072012e-308",
                "123456789012345678901234567890", "0.000000000000000000000000000001", "1e-22", "1e-23",
                "99999999999999999999", "3.14159265358979323846264338327950288", "  2.5 ", "\t-3\t",
                "1.0000000596046448", "1.00000005960464477539062500001", "1.000000059604644775390625",
                "1e0000000000000000000000000000001", "1e-99999999999", "0e99999", "17.5e-1"))  {
            assertExact(s);
        }
    }

    @Test
    void floatMidpointsWithShortDecimalsMatchTheJdk() {
        // Exact decimal forms of float midpoints that fit the fast path (m ≤ 2^53, |e| ≤ 22): the
        // double equals the midpoint, so the parser must defer to Float.parseFloat.
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            int bits = r.nextInt(0x3F80_0000, 0x4B80_0000); // floats in [1, 2^24]
            float f = Float.intBitsToFloat(bits);
            double mid = ((double) f + (double) Math.nextUp(f)) / 2; // exact in double
            String s = new BigDecimal(mid).toPlainString();
            assertExact(s);
            assertExact(new BigDecimal(Math.nextUp(mid)).toPlainString());
            assertExact(new BigDecimal(Math.nextDown(mid)).toPlainString());
        }
    }

    @Test
    void shortDecimalsThatRoundToAFloatMidpointAsDoublesMatchTheJdk() {
        // The hard case of the float fast path: a decimal with ≤ 16 digits that is not a float midpoint
        // but whose correctly rounded double is one. Rounding that double to float again would break a
        // tie the decimal does not have; the parser must detect it and defer to Float.parseFloat.
        SplittableRandom r = new SplittableRandom(11);
        java.math.MathContext sixteen = new java.math.MathContext(16, java.math.RoundingMode.HALF_EVEN);
        int found = 0;
        for (int i = 0; i < 200_000 && found < 2_000; i++) {
            float f = Float.intBitsToFloat(r.nextInt(0x3F80_0000, 0x5A00_0000)); // [1, 9e15)
            double mid = ((double) f + (double) Math.nextUp(f)) / 2;
            BigDecimal exactMid = new BigDecimal(mid);
            BigDecimal near = exactMid.round(sixteen);
            if (near.compareTo(exactMid) != 0 && Double.parseDouble(near.toString()) == mid) {
                String s = near.toString();
                assertExact(s);
                found++;
            }
        }
        assertEquals(true, found > 100, "constructed cases: " + found);
    }

    @Test
    void randomDecimalsMatchTheJdk() {
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < 300_000; i++) {
            assertExact(randomDecimal(r));
        }
    }

    @Test
    void shortestReprsOfRandomValuesRoundTrip() {
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 100_000; i++) {
            float f = Float.intBitsToFloat(r.nextInt());
            if (!Float.isNaN(f) && !Float.isInfinite(f)) {
                assertExact(Float.toString(f));
                parse(Float.toString(f), true);
                assertEquals(Float.floatToRawIntBits(f), Float.floatToRawIntBits(parser.floatValue()));
            }
            double d = Double.longBitsToDouble(r.nextLong());
            if (!Double.isNaN(d) && !Double.isInfinite(d)) {
                assertExact(Double.toString(d));
            }
            assertExact(Double.toString(r.nextDouble() * 1000));
            assertExact(Float.toString((float) r.nextGaussian()));
        }
    }

    private static String randomDecimal(SplittableRandom r) {
        StringBuilder sb = new StringBuilder();
        int sign = r.nextInt(4);
        if (sign == 0) {
            sb.append('-');
        } else if (sign == 1) {
            sb.append('+');
        }
        int intDigits = r.nextInt(0, 12);
        int fracDigits = r.nextInt(0, 20);
        if (intDigits == 0 && fracDigits == 0) {
            intDigits = 1;
        }
        for (int i = 0; i < intDigits; i++) {
            sb.append((char) ('0' + r.nextInt(10)));
        }
        if (fracDigits > 0 || r.nextBoolean()) {
            sb.append('.');
            for (int i = 0; i < fracDigits; i++) {
                sb.append((char) ('0' + r.nextInt(10)));
            }
        }
        if (r.nextInt(3) == 0) {
            sb.append(r.nextBoolean() ? 'e' : 'E');
            int e = r.nextInt(-60, 60);
            if (e >= 0 && r.nextBoolean()) {
                sb.append('+');
            }
            sb.append(e);
        }
        return sb.toString();
    }

    @Test
    void missingAndSpecialValues() {
        for (String s : List.of("", "   ", "nan", "NaN", "NAN", "-nan", " nan ")) {
            assertEquals(DecimalParser.MISSING, parse(s, true), "'" + s + "'");
        }
        assertEquals(DecimalParser.OK, parse("inf", true));
        assertEquals(Float.POSITIVE_INFINITY, parser.floatValue());
        assertEquals(DecimalParser.OK, parse("-Infinity", false));
        assertEquals(Double.NEGATIVE_INFINITY, parser.doubleValue());
        assertEquals(DecimalParser.OK, parse("+INF", false));
        assertEquals(Double.POSITIVE_INFINITY, parser.doubleValue());
    }

    @Test
    void invalidTextIsRejectedIncludingJavaOnlyForms() {
        for (String s : List.of("abc", "1.5f", "1.5d", "0x1p3", "1e", "1e+", "e5", ".", "-", "+", "1..2", "1.2.3",
                "--1", "1 2", "1,5", "infinit", "nana", "١", "1_000", "12abc", "0b101")) {
            assertEquals(DecimalParser.INVALID, parse(s, true), "'" + s + "'");
            assertEquals(DecimalParser.INVALID, parse(s, false), "'" + s + "'");
        }
    }

    /** Numbers inside a longer buffer (the eight-bytes-at-a-time path) read as the JDK reads them, ending where they end. */
    @Test
    void shortNumbersInsideALongerBufferMatchTheJdk() {
        SplittableRandom r = new SplittableRandom(11);
        String[] after = {",", "\n", "\r\n", ",x", " ", "e", "E5", ".", "-", "\"", "a"};
        for (int i = 0; i < 200_000; i++) {
            StringBuilder t = new StringBuilder();
            int sign = r.nextInt(4);
            t.append(sign == 0 ? "-" : sign == 1 ? "+" : "");
            int intDigits = r.nextInt(0, 10);
            for (int k = 0; k < intDigits; k++) {
                t.append((char) ('0' + r.nextInt(10)));
            }
            if (r.nextInt(4) != 0) {
                t.append('.');
                int frac = r.nextInt(0, 10);
                for (int k = 0; k < frac; k++) {
                    t.append((char) ('0' + r.nextInt(10)));
                }
            }
            String number = t.toString();
            String tail = after[r.nextInt(after.length)];
            String text = "12," + number + tail + "9.25,1.5,7,33.125,0.5";
            byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
            int start = 3;
            int limit = r.nextInt(4) == 0 ? start + r.nextInt(0, number.length() + 2) : b.length;
            int end = parser.scan(b, start, limit);
            int expectedEnd = referenceEnd(b, start, limit);
            assertEquals(expectedEnd, end, () -> "end of '" + text + "' limit " + limit);
            if (end != DecimalParser.NO_NUMBER) {
                String read = new String(b, start, end - start, StandardCharsets.ISO_8859_1);
                assertEquals(Double.doubleToRawLongBits(Double.parseDouble(read)),
                        Double.doubleToRawLongBits(parser.doubleValue()), () -> "value of '" + read + "' in '" + text + "'");
            }
        }
    }

    /** Where {@code [+-]digits[.digits][(e|E)[+-]digits]} starting at {@code start} ends (before {@code limit}). */
    private static int referenceEnd(byte[] b, int start, int limit) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")
                .matcher(new String(b, start, limit - start, StandardCharsets.ISO_8859_1));
        if (!m.lookingAt()) {
            return DecimalParser.NO_NUMBER;
        }
        // a dangling exponent marker ("1e", "1e+") makes the whole number invalid, as the byte loop says
        String rest = new String(b, start + m.end(), limit - start - m.end(), StandardCharsets.ISO_8859_1);
        if (m.group(2) == null && rest.matches("(?s)[eE][+-]?(\\D.*)?")) {
            return DecimalParser.NO_NUMBER;
        }
        return start + m.end();
    }
}
