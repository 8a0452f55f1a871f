package org.ml2tensor.importers.pickle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;
import org.ml2tensor.importers.CpuLimit;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.importers.PickleBuilder;
import org.ml2tensor.importers.ReadBudget;

/**
 * Small files that make the pickle VM do (or allocate) far more than their size: every one is refused
 * with "exceeds the reader's budget" (LIMIT_EXCEEDED, exit 9) within seconds, and a larger explicit
 * budget lets a trusted file through.
 */
class ReaderBudgetTest {
    private static final PickleReader READER = new PickleReader(GlobalAllowlist.numpyAndBuiltins(),
            PickleLimits.defaults());
    private static final Duration FAST = Duration.ofSeconds(10);

    private static Ml2TensorException overBudget(byte[] pickle) {
        Ml2TensorException e = CpuLimit.refusedWithin(FAST, () -> READER.read(pickle, "hostile.pkl"));
        assertEquals(ErrorCode.LIMIT_EXCEEDED, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("exceeds the reader's budget"), e.getMessage());
        assertTrue(e.getMessage().contains("--read-budget"), e.getMessage());
        return e;
    }

    /** A dict of {@code n} int keys, memoised as entry 1. */
    private static PickleBuilder bigDict(PickleBuilder b, int n) {
        b.emptyDict().mark();
        for (int i = 0; i < n; i++) {
            b.integer(i).none();
        }
        return b.setitems().put(1);
    }

    @Test
    void repeatedBuildOfABigDictIsBoundedByWorkNotLength() {
        // 50k-entry dict, then 200k BUILDs that each copy it into an object: 10^10 dict puts before
        PickleBuilder b = PickleBuilder.proto(2).object("builtins", "object");
        bigDict(b, 50_000).pop();
        b.repeat(new byte[]{'j', 1, 0, 0, 0, 'b'}, 200_000);
        byte[] pickle = b.stop();
        assertTrue(pickle.length < 2_000_000);
        Ml2TensorException e = overBudget(pickle);
        assertTrue(e.getMessage().contains("BUILD"), e.getMessage());
        assertTrue(e.context().contains("byte offset"), e.context());
    }

    @Test
    void floodsOfOneByteOpcodesAreRefused() {
        for (int opcode : new int[]{']', '}'}) {
            byte[] pickle = new byte[12_000_000];
            Arrays.fill(pickle, (byte) opcode);
            pickle[0] = (byte) 0x80;
            pickle[1] = 4;
            overBudget(pickle);
        }
        byte[] dup = new byte[12_000_000];
        Arrays.fill(dup, (byte) '2');
        dup[0] = (byte) 0x80;
        dup[1] = 2;
        dup[2] = ']';
        overBudget(dup);
    }

    @Test
    void codecsEncodeOfOneBigStringManyTimesIsRefused() {
        char[] text = new char[1 << 20];
        Arrays.fill(text, 'a');
        PickleBuilder b = PickleBuilder.proto(2).global("_codecs", "encode").put(1).pop()
                .str(new String(text)).put(2).pop();
        // encode(s, 'latin1') 300 times: 300 MB of bytes from a 1 MB file
        byte[] call = PickleBuilder.proto(0).get(1).get(2).op(0x8c).op(6).raw("latin1".getBytes())
                .tuple2().reduce().pop().stop();
        b.repeat(Arrays.copyOfRange(call, 2, call.length - 1), 300);
        overBudget(b.stop());
    }

    @Test
    void aLargerExplicitBudgetLetsATrustedFileThrough() {
        PickleBuilder b = PickleBuilder.proto(2).object("builtins", "object");
        bigDict(b, 20_000).pop();
        b.repeat(new byte[]{'j', 1, 0, 0, 0, 'b'}, 20);
        byte[] pickle = b.stop();
        try (ReadBudget.Scope s = ReadBudget.open(1L << 30, false)) {
            PyObject o = (PyObject) READER.read(pickle, "trusted.pkl").root();
            assertEquals(20_000, o.attributes().orElseThrow().size());
        }
        try (ReadBudget.Scope s = ReadBudget.open(1 << 20, false)) {
            Ml2TensorException e = assertThrows(Ml2TensorException.class, () -> READER.read(pickle, "t.pkl"));
            assertEquals(ErrorCode.LIMIT_EXCEEDED, e.code());
        }
    }

    @Test
    void frameLengthOfTwoToTheSixtyThreeIsRefused() {
        byte[] pickle = PickleBuilder.proto(4).op(0x95).le(1L << 63, 8).none().stop();
        Ml2TensorException e = assertThrows(Ml2TensorException.class, () -> READER.read(pickle, "f.pkl"));
        assertEquals(ErrorCode.MODEL_FORMAT, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("9223372036854775808"), e.getMessage());
    }

    @Test
    void invalidUtf8IsRefusedNamingTheOffset() {
        byte[] pickle = PickleBuilder.proto(2).utf8(new byte[]{'a', 'b', (byte) 0xff, 'c'}).stop();
        Ml2TensorException e = assertThrows(Ml2TensorException.class, () -> READER.read(pickle, "u.pkl"));
        assertEquals(ErrorCode.MODEL_FORMAT, e.code(), e.getMessage());
        // 'X' at offset 2, length 4 bytes, text from offset 7: the bad byte is at 9
        assertTrue(e.getMessage().contains("invalid UTF-8") && e.getMessage().contains("byte offset 9"),
                e.getMessage());
        byte[] truncated = PickleBuilder.proto(2).utf8(new byte[]{'a', (byte) 0xe2, (byte) 0x82}).stop();
        assertEquals(ErrorCode.MODEL_FORMAT,
                assertThrows(Ml2TensorException.class, () -> READER.read(truncated, "u.pkl")).code());
        byte[] valid = PickleBuilder.proto(2).str("häß€").stop();
        assertEquals(new PyValue.PyStr("häß€"), READER.read(valid, "ok.pkl").root());
    }

    @Test
    void decompressionBombIsRefusedWithLittleHeap() throws IOException {
        // 128 MiB of zeros compresses to ~128 KB; refused at a budget of 64 MiB (the default is 256 MiB, slower to show)
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(zipped, new Deflater(9))) {
            byte[] zeros = new byte[1 << 20];
            zeros[0] = (byte) 0x80;
            zeros[1] = 2;
            z.write(zeros);
            Arrays.fill(zeros, 0, 2, (byte) 0);
            for (int i = 1; i < 128; i++) {
                z.write(zeros);
            }
        }
        byte[] bomb = zipped.toByteArray();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        Ml2TensorException e;
        try (ReadBudget.Scope s = ReadBudget.open(64L << 20, false)) {
            e = assertThrows(Ml2TensorException.class, () -> READER.read(bomb, "bomb.joblib"));
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertEquals(ErrorCode.LIMIT_EXCEEDED, e.code(), e.getMessage());
        assertTrue(allocated < 16L << 20, "refusing the bomb allocated " + allocated + " bytes");
        assertTrue(e.getMessage().contains("exceeds the reader's budget"), e.getMessage());
    }
}
