package org.ml2tensor.runtime.io;

import java.nio.charset.StandardCharsets;

/**
 * Parses a decimal number from ASCII bytes with the exact result of {@link Float#parseFloat} or
 * {@link Double#parseDouble} (correctly rounded, once, to the target type), but without allocating a
 * String in the common case.
 *
 * <p>Accepted: optional sign, digits with an optional fraction, optional exponent; {@code inf},
 * {@code infinity} (any case, signed); surrounding spaces/tabs. Missing: empty and {@code nan} (any
 * case). Anything else (including Java-only forms such as {@code 1.5f} or hex floats) is invalid.
 *
 * <p>Fast path (Clinger): when the significand has at most 18 digits, is at most 2<sup>53</sup> and the
 * decimal exponent is within ±22, one IEEE multiplication or division by an exact power of ten gives the
 * correctly rounded double. For float, that double is rounded again, which is exact unless the double
 * lies exactly on a float rounding midpoint (then the value is handed to {@code Float.parseFloat}),
 * because every float midpoint is itself a double and rounding to double is monotonic. Everything else
 * falls back to the JDK parsers on the same text. Not thread-safe (holds the last value).
 */
final class DecimalParser {
    static final int OK = 0;
    static final int MISSING = 1;
    static final int INVALID = 2;

    private static final double[] POW10 = new double[23];
    private static final long MAX_EXACT = 1L << 53;

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private double doubleValue;
    private float floatValue;

    double doubleValue() {
        return doubleValue;
    }

    float floatValue() {
        return floatValue;
    }

    /** Parses {@code b[start, end)}; the value is in {@link #floatValue()} or {@link #doubleValue()}. */
    int parse(byte[] b, int start, int end, boolean toFloat) {
        int s = start;
        int e = end;
        while (s < e && (b[s] == ' ' || b[s] == '\t')) {
            s++;
        }
        while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t')) {
            e--;
        }
        if (s == e) {
            return MISSING;
        }
        int p = s;
        boolean negative = false;
        if (b[p] == '+' || b[p] == '-') {
            negative = b[p] == '-';
            p++;
            if (p == e) {
                return INVALID;
            }
        }
        int first = b[p] | 0x20;
        if (first == 'n' || first == 'i') {
            return word(b, p, e, negative, toFloat);
        }
        long m = 0;
        int digits = 0;
        int exp10 = 0;
        boolean anyDigit = false;
        boolean truncated = false;
        while (p < e && isDigit(b[p])) {
            int d = b[p] - '0';
            anyDigit = true;
            if (digits < 18) {
                if (m != 0 || d != 0) {
                    m = m * 10 + d;
                    digits++;
                }
            } else {
                exp10++;
                truncated |= d != 0;
            }
            p++;
        }
        if (p < e && b[p] == '.') {
            p++;
            while (p < e && isDigit(b[p])) {
                int d = b[p] - '0';
                anyDigit = true;
                if (digits < 18) {
                    if (m != 0 || d != 0) {
                        m = m * 10 + d;
                        digits++;
                    }
                    exp10--;
                } else {
                    truncated |= d != 0;
                }
                p++;
            }
        }
        if (!anyDigit) {
            return INVALID;
        }
        if (p < e && (b[p] | 0x20) == 'e') {
            p++;
            boolean expNegative = false;
            if (p < e && (b[p] == '+' || b[p] == '-')) {
                expNegative = b[p] == '-';
                p++;
            }
            if (p == e || !isDigit(b[p])) {
                return INVALID;
            }
            int x = 0;
            while (p < e && isDigit(b[p])) {
                if (x < 100_000) {
                    x = x * 10 + (b[p] - '0');
                }
                p++;
            }
            exp10 += expNegative ? -x : x;
        }
        if (p != e) {
            return INVALID;
        }
        if (m == 0) {
            doubleValue = negative ? -0.0 : 0.0;
            floatValue = negative ? -0.0f : 0.0f;
            return OK;
        }
        if (!truncated && m <= MAX_EXACT && exp10 >= -22 && exp10 <= 22) {
            double d = exp10 >= 0 ? m * POW10[exp10] : m / POW10[-exp10];
            if (negative) {
                d = -d;
            }
            if (!toFloat) {
                doubleValue = d;
                return OK;
            }
            double a = Math.abs(d);
            if (a >= Float.MIN_NORMAL && a <= Float.MAX_VALUE
                    && (Double.doubleToRawLongBits(d) & 0x1FFF_FFFFL) != 0x1000_0000L) {
                floatValue = (float) d;
                return OK;
            }
        }
        String text = new String(b, s, e - s, StandardCharsets.ISO_8859_1);
        if (toFloat) {
            floatValue = Float.parseFloat(text);
        } else {
            doubleValue = Double.parseDouble(text);
        }
        return OK;
    }

    private int word(byte[] b, int p, int e, boolean negative, boolean toFloat) {
        if (matches(b, p, e, "nan")) {
            return MISSING;
        }
        if (matches(b, p, e, "inf") || matches(b, p, e, "infinity")) {
            doubleValue = negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            floatValue = negative ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
            return OK;
        }
        return INVALID;
    }

    private static boolean matches(byte[] b, int p, int e, String lower) {
        if (e - p != lower.length()) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            if ((b[p + i] | 0x20) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }
}
