package org.ml2tensor.runtime.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Parses a decimal number from ASCII bytes with the exact result of {@link Float#parseFloat} or
 * {@link Double#parseDouble} (correctly rounded, once, to the target type), but without allocating a
 * String in the common case. The one number parser of ml2tensor's CSV readers (the runtime's
 * {@link CsvRowReader} and the training module's chunked reader), so both round every cell alike.
 *
 * <p>{@link #parse} takes a whole cell. Accepted: optional sign, digits with an optional fraction, optional
 * exponent; {@code inf}, {@code infinity} (any case, signed); surrounding spaces/tabs. Missing: empty and
 * {@code nan} (any case, signed). Anything else (including Java-only forms such as {@code 1.5f} or hex
 * floats) is invalid. {@link #scan} reads the plain number (no spaces, no words) at the start of a longer
 * text and says where it ends, so a reader can parse a cell while it looks for the cell's end.
 *
 * <p>Fast path (Clinger): when the significand has at most 18 digits, is at most 2<sup>53</sup> and the
 * decimal exponent is within ±22, one IEEE multiplication or division by an exact power of ten gives the
 * correctly rounded double. For float, that double is rounded again, which is exact unless the double
 * lies exactly on a float rounding midpoint (then the value is handed to {@code Float.parseFloat}),
 * because every float midpoint is itself a double and rounding to double is monotonic. Everything else
 * falls back to the JDK parsers on the same text. Not thread-safe (holds the last value).
 *
 * <p>The common short form {@code [+-]d{1,7}[.d{0,7}]} not followed by an exponent is read eight bytes at a
 * time (SWAR: one 64-bit load finds where the digits end, three multiplications turn them into their value);
 * it yields the same significand and exponent as the byte loop, so the value is the same bit for bit.
 * Anything else, or a number too near the end of the array or of {@code limit}, takes the byte loop.
 */
public final class DecimalParser {
    /** {@link #parse}: a number, in {@link #doubleValue()} / {@link #floatValue()}. */
    public static final int OK = 0;
    /** {@link #parse}: an empty cell or {@code nan}. */
    public static final int MISSING = 1;
    /** {@link #parse}: not a number. */
    public static final int INVALID = 2;
    /** {@link #scan}: no number starts here (a word, a quote, a space, an empty cell, a lone sign or dot). */
    public static final int NO_NUMBER = -1;

    private static final double[] POW10 = new double[23];
    private static final long MAX_EXACT = 1L << 53;
    private static final long[] POW10_LONG = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000};
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** {@link #swar}: the number is not of the short form; the byte loop reads it. */
    private static final int NOT_SHORT = -2;

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private double doubleValue;
    private float floatValue;

    /** The value of the last successful {@link #parse} or {@link #scan}. */
    public double doubleValue() {
        return doubleValue;
    }

    /** The float value of the last successful {@link #parse} with {@code toFloat}. */
    public float floatValue() {
        return floatValue;
    }

    /**
     * Parses the cell {@code b[start, end)}; the value is in {@link #floatValue()} or {@link #doubleValue()}.
     *
     * @return {@link #OK}, {@link #MISSING} or {@link #INVALID}
     */
    public int parse(byte[] b, int start, int end, boolean toFloat) {
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
            return word(b, p, e, negative);
        }
        if (scan(b, s, e, toFloat) != e) {
            return INVALID;
        }
        return OK;
    }

    /**
     * Parses the number {@code [+-]digits[.digits][(e|E)[+-]digits]} (at least one digit before the exponent)
     * that starts at {@code b[start]}, reading no further than {@code limit}; the value is in
     * {@link #doubleValue()}.
     *
     * @return the offset just after the number (the caller checks what follows), or {@link #NO_NUMBER}; the
     *         number may go on beyond {@code limit} when it returns {@code limit}
     */
    public int scan(byte[] b, int start, int limit) {
        return scan(b, start, limit, false);
    }

    private int scan(byte[] b, int start, int limit, boolean toFloat) {
        int p = start;
        boolean negative = false;
        if (p < limit) {
            byte c = b[p];
            if (c == '-') {
                negative = true;
                p++;
            } else if (c == '+') {
                p++;
            }
        }
        if (p + 16 <= b.length) {
            int r = swar(b, p, limit, negative, toFloat);
            if (r != NOT_SHORT) {
                return r;
            }
        }
        // Every digit counts towards the 18 (leading zeros too): a longer significand takes the JDK's path.
        long m = 0;
        int d;
        int intStart = p;
        while (p < limit && (d = b[p] - '0') >= 0 && d <= 9) {
            m = m * 10 + d;
            p++;
        }
        int digits = p - intStart;
        int exp10 = 0;
        if (p < limit && b[p] == '.') {
            p++;
            int fracStart = p;
            while (p < limit && (d = b[p] - '0') >= 0 && d <= 9) {
                m = m * 10 + d;
                p++;
            }
            digits += p - fracStart;
            exp10 = fracStart - p;
        }
        if (digits == 0) {
            return NO_NUMBER;
        }
        if (p < limit && (b[p] | 0x20) == 'e') {
            int q = p + 1;
            boolean expNegative = false;
            if (q < limit && (b[q] == '+' || b[q] == '-')) {
                expNegative = b[q] == '-';
                q++;
            }
            if (q == limit || b[q] < '0' || b[q] > '9') {
                return NO_NUMBER;
            }
            int x = 0;
            while (q < limit && b[q] >= '0' && b[q] <= '9') {
                if (x < 100_000) {
                    x = x * 10 + (b[q] - '0');
                }
                q++;
            }
            exp10 += expNegative ? -x : x;
            p = q;
        }
        if (digits <= 18 && m <= MAX_EXACT && exp10 >= -22 && exp10 <= 22 && exact(m, exp10, negative, toFloat)) {
            return p;
        }
        return slow(b, start, p, toFloat);
    }

    /**
     * Clinger's fast path for {@code m·10^exp10} ({@code m ≤ 2^53}, {@code |exp10| ≤ 22}): sets the value and
     * returns true, or false when a float lies on a rounding midpoint (the JDK decides it).
     */
    private boolean exact(long m, int exp10, boolean negative, boolean toFloat) {
        double v = exp10 == 0 ? (double) m : exp10 > 0 ? m * POW10[exp10] : m / POW10[-exp10];
        if (negative) {
            v = -v;
        }
        doubleValue = v;
        if (!toFloat) {
            return true;
        }
        double a = Math.abs(v);
        if (a == 0 || (a >= Float.MIN_NORMAL && a <= Float.MAX_VALUE
                && (Double.doubleToRawLongBits(v) & 0x1FFF_FFFFL) != 0x1000_0000L)) {
            floatValue = (float) v;
            return true;
        }
        return false;
    }

    /**
     * The short form {@code d{1,7}[.d{0,7}]} (after the sign) followed by something other than a digit, a dot
     * or an exponent, all before {@code limit}, read eight bytes at a time ({@code b} has 16 bytes from
     * {@code digits}): the significand (all its digits) and exponent the byte loop would find, then the same
     * arithmetic.
     *
     * @return the offset after the number, or {@link #NOT_SHORT}
     */
    private int swar(byte[] b, int digits, int limit, boolean negative, boolean toFloat) {
        int p = digits;
        long w = (long) LONG_LE.get(b, p);
        int n = digitCount(w);
        if (n == 0 || n == 8) {
            return NOT_SHORT;
        }
        long m = digitValue(w, n);
        p += n;
        if (p >= limit) {
            return NOT_SHORT;
        }
        int exp10 = 0;
        if (b[p] == '.') {
            p++;
            long f = (long) LONG_LE.get(b, p);
            int k = digitCount(f);
            if (k == 8) {
                return NOT_SHORT;
            }
            if (k > 0) {
                m = m * POW10_LONG[k] + digitValue(f, k);
                p += k;
            }
            exp10 = -k;
            if (p >= limit) {
                return NOT_SHORT;
            }
        }
        if ((b[p] | 0x20) == 'e' || b[p] == '.' || !exact(m, exp10, negative, toFloat)) {
            return NOT_SHORT;
        }
        return p;
    }

    /**
     * How many of the eight bytes of {@code w} (the first in the low byte) are ASCII digits before the first
     * byte that is not (8: all are). A byte is flagged if {@code c + 0x46} or {@code c - 0x30} has its top bit
     * set; the carries and borrows of non-digits only reach later bytes, so the first flag is exact.
     */
    private static int digitCount(long w) {
        long flags = ((w + 0x4646_4646_4646_4646L) | (w - 0x3030_3030_3030_3030L)) & 0x8080_8080_8080_8080L;
        return Long.numberOfTrailingZeros(flags) >>> 3;
    }

    /** The value of the first {@code n} (1..7) bytes of {@code w}, all ASCII digits, as a decimal integer. */
    private static long digitValue(long w, int n) {
        long v = (w - 0x3030_3030_3030_3030L) << ((8 - n) << 3); // the digits in the top bytes, zeros before them
        v = v * 10 + (v >>> 8);
        return (((v & 0x0000_00FF_0000_00FFL) * (100 + (1_000_000L << 32)))
                + (((v >>> 16) & 0x0000_00FF_0000_00FFL) * (1 + (10_000L << 32)))) >>> 32;
    }

    private int slow(byte[] b, int start, int p, boolean toFloat) {
        String text = new String(b, start, p - start, StandardCharsets.ISO_8859_1);
        if (toFloat) {
            floatValue = Float.parseFloat(text);
        } else {
            doubleValue = Double.parseDouble(text);
        }
        return p;
    }

    private int word(byte[] b, int p, int e, boolean negative) {
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
}
