package org.ml2tensor.importers.pickle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** Malicious, truncated and oversized inputs: each must fail fast with a typed error and run nothing. */
class HostilePickleTest {
    private static final PickleReader READER = new PickleReader(GlobalAllowlist.numpyAndBuiltins(),
            PickleLimits.defaults());

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            } else if (p instanceof Integer i) {
                out.write(i);
            } else if (p instanceof Character c) {
                out.write(c);
            } else if (p instanceof byte[] b) {
                out.writeBytes(b);
            }
        }
        return out.toByteArray();
    }

    private static byte[] u64(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    private static Ml2TensorException refused(byte[] pickle, ErrorCode code) {
        Ml2TensorException e = assertThrows(Ml2TensorException.class, () -> READER.read(pickle, "hostile.pkl"));
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    @Test
    void osSystemIsRefusedAndNeverRuns() throws IOException {
        Path marker = Files.createTempDirectory("ml2tensor").resolve("pwned");
        String cmd = "touch " + marker;
        byte[] p2 = bytes(0x80, 2, "cos\nsystem\n", 'X', new byte[]{(byte) cmd.length(), 0, 0, 0}, cmd,
                0x85, 'R', '.');
        Ml2TensorException e = refused(p2, ErrorCode.MODEL_FORMAT);
        assertTrue(e.getMessage().contains("refused global os.system"), e.getMessage());
        assertTrue(e.context().contains("hostile.pkl › byte offset 2 (GLOBAL)"), e.context());
        byte[] p4 = bytes(0x80, 4, 0x8c, 8, "builtins", 0x8c, 4, "eval", 0x93, 0x8c, 1, "1", 0x85, 'R', '.');
        Ml2TensorException e4 = refused(p4, ErrorCode.MODEL_FORMAT);
        assertTrue(e4.getMessage().contains("builtins.eval"), e4.getMessage());
        assertFalse(Files.exists(marker));
    }

    @Test
    void dottedNamesAndNonStringGlobalsAreRefused() {
        byte[] dotted = bytes(0x80, 4, 0x8c, 5, "numpy", 0x8c, 28, "core.multiarray._reconstruct", 0x93, '.');
        assertTrue(refused(dotted, ErrorCode.MODEL_FORMAT).getMessage().contains("refused global"));
        byte[] nonString = bytes(0x80, 4, 'K', 1, 'K', 2, 0x93, '.');
        assertTrue(refused(nonString, ErrorCode.MODEL_FORMAT).getMessage().contains("two str operands"));
    }

    @Test
    void anUnknownLibraryClassStaysAnInertObjectForTheConverterToRefuseByPath() {
        // The reader never calls a global; an ML library class without a converter becomes inert data so
        // the scikit-learn importer can refuse it with the object path (see SklearnImporterTest).
        byte[] svc = bytes(0x80, 2, "csklearn.svm._classes\nSVC\n", ')', 0x81, '.');
        PyValue root = READER.read(svc, "hostile.pkl").root();
        assertTrue(root instanceof PyObject o && o.className().equals("sklearn.svm._classes.SVC"), root.toString());
    }

    @Test
    void hugeLengthsFailWithoutAllocating() {
        long huge = 1L << 40;
        for (int op : new int[]{0x8e, 0x8d, 0x96}) {
            Ml2TensorException e = refused(bytes(0x80, 5, op, u64(huge), "abc", '.'), ErrorCode.MODEL_FORMAT);
            assertTrue(e.getMessage().contains("announces 1099511627776 bytes but only 4 are left"), e.getMessage());
            assertTrue(e.context().contains("byte offset 2"), e.context());
        }
        Ml2TensorException frame = refused(bytes(0x80, 4, 0x95, u64(huge), 'N', '.'), ErrorCode.MODEL_FORMAT);
        assertTrue(frame.getMessage().contains("frame of 1099511627776 bytes"), frame.getMessage());
        refused(bytes(0x80, 2, 'X', new byte[]{-1, -1, -1, -1}, "ab"), ErrorCode.MODEL_FORMAT);
        refused(bytes(0x80, 2, 0x8b, new byte[]{-1, -1, -1, 0x7f}, "ab"), ErrorCode.MODEL_FORMAT);
        Ml2TensorException memo = refused(bytes(0x80, 2, 'N', 'r', new byte[]{-1, -1, -1, -1}, '.'),
                ErrorCode.LIMIT_EXCEEDED);
        assertTrue(memo.getMessage().contains("memo index 4294967295"), memo.getMessage());
        refused(bytes(0x80, 2, 'I', "9".repeat(100_000), "\n."), ErrorCode.MODEL_FORMAT);
    }

    @Test
    void truncatedFixtureFailsAtEveryCut() throws Exception {
        byte[] full = Files.readAllBytes(Path.of(getClass().getResource("/sklearn/skl1.9.1/arrays.p5.pkl").toURI()));
        for (int cut = 0; cut < full.length - 1; cut += 7) {
            byte[] part = java.util.Arrays.copyOf(full, cut);
            Ml2TensorException e = assertThrows(Ml2TensorException.class, () -> READER.read(part, "cut.pkl"));
            assertEquals(ErrorCode.MODEL_FORMAT, e.code(), "cut at " + cut + ": " + e.getMessage());
            assertTrue(e.context().contains("byte offset") || e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void deepMarkNestingIsBounded() {
        byte[] marks = new byte[100_000];
        java.util.Arrays.fill(marks, (byte) '(');
        Ml2TensorException e = refused(bytes(0x80, 2, marks, '.'), ErrorCode.LIMIT_EXCEEDED);
        assertTrue(e.getMessage().contains("MARK nesting deeper than 2000"), e.getMessage());
    }

    @Test
    void deepListNestingReadsWithoutRecursion() {
        int depth = 200_000;
        byte[] open = new byte[depth];
        java.util.Arrays.fill(open, (byte) ']');
        byte[] append = new byte[depth - 1];
        java.util.Arrays.fill(append, (byte) 'a');
        PyValue v = READER.read(bytes(0x80, 2, open, append, '.'), "deep.pkl").root();
        PyList outer = assertInstanceOf(PyList.class, v);
        assertEquals("[<list[1]>]", outer.toString());
        int levels = 0;
        PyValue cur = outer;
        while (cur instanceof PyList l && l.size() > 0) {
            cur = l.get(0);
            levels++;
        }
        assertEquals(depth - 1, levels);
    }

    @Test
    void memoCyclesAreHarmless() {
        PyList self = assertInstanceOf(PyList.class, READER.read(bytes(0x80, 2, ']', 'q', 0, 'h', 0, 'a', '.'), "c")
                .root());
        assertSame(self, self.get(0));
        assertEquals("[<list[1]>]", self.toString());
        PyDict d = assertInstanceOf(PyDict.class, READER.read(bytes(0x80, 2, '}', 'q', 0, 'X', new byte[]{1, 0, 0, 0},
                "k", 'h', 0, 's', '.'), "d").root());
        assertSame(d, d.get("k").orElseThrow());
        assertEquals("{'k': <dict[1]>}", d.toString());
        refused(bytes(0x80, 2, 'h', 5, '.'), ErrorCode.MODEL_FORMAT);
    }

    @Test
    void refusedOpcodes() {
        assertTrue(refused(bytes(0x80, 2, 0x82, 1, '.'), ErrorCode.MODEL_FORMAT).getMessage().contains("EXT1"));
        assertTrue(refused(bytes(0x80, 2, 'N', 'Q', '.'), ErrorCode.MODEL_FORMAT).getMessage().contains("BINPERSID"));
        assertTrue(refused(bytes(0x80, 0, "P1\n."), ErrorCode.MODEL_FORMAT).getMessage().contains("PERSID"));
        assertTrue(refused(bytes(0x80, 5, 0x97, '.'), ErrorCode.MODEL_FORMAT).getMessage().contains("NEXT_BUFFER"));
        assertTrue(refused(bytes(0x80, 6, 'N', '.'), ErrorCode.MODEL_FORMAT).getMessage().contains("protocol 6"));
        assertTrue(refused(bytes(0x80, 2, 0xff), ErrorCode.MODEL_FORMAT).getMessage().contains("invalid opcode 0xff"));
        assertTrue(refused(bytes(0x80, 2, 'a'), ErrorCode.MODEL_FORMAT).getMessage().contains("stack underflow"));
        refused(bytes("BZ", 0x05, "x"), ErrorCode.MODEL_FORMAT);
    }

    private static byte[] compress(String method, byte[] data) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream o = switch (method) {
            case "zlib" -> new DeflaterOutputStream(bos);
            case "gzip" -> new GZIPOutputStream(bos);
            case "bz2" -> new BZip2CompressorOutputStream(bos);
            case "xz" -> new XZOutputStream(bos, new LZMA2Options(1));
            default -> new net.jpountz.lz4.LZ4FrameOutputStream(bos);
        }) {
            o.write(data);
        }
        return bos.toByteArray();
    }

    @Test
    void compressionBombsStopAtTheLimit() throws IOException {
        byte[] zeros = new byte[32 << 20];
        PickleReader small = new PickleReader(GlobalAllowlist.numpyAndBuiltins(),
                PickleLimits.defaults().withMaxDecodedBytes(1 << 20));
        for (String method : new String[]{"zlib", "gzip", "bz2", "xz", "lz4"}) {
            byte[] bomb = compress(method, zeros);
            assertTrue(bomb.length < zeros.length / 100, method + " compresses zeros");
            Ml2TensorException e = assertThrows(Ml2TensorException.class, () -> small.read(bomb, "bomb." + method));
            assertEquals(ErrorCode.LIMIT_EXCEEDED, e.code(), method + ": " + e.getMessage());
        }
    }

    @Test
    void corruptCompressedStreamsAreFormatErrors() throws IOException {
        for (String method : new String[]{"zlib", "gzip", "bz2", "xz", "lz4"}) {
            byte[] ok = compress(method, bytes(0x80, 2, 'N', '.'));
            byte[] cut = java.util.Arrays.copyOf(ok, ok.length / 2 + 1);
            Ml2TensorException e = assertThrows(Ml2TensorException.class, () -> READER.read(cut, "cut." + method));
            assertEquals(ErrorCode.MODEL_FORMAT, e.code(), method + ": " + e.getMessage());
        }
    }

    @Test
    void independentBlockLz4FramesFromJavaDecodeToo() throws Exception {
        byte[] plain = Files.readAllBytes(Path.of(getClass().getResource("/sklearn/skl1.2.1/arrays.joblib").toURI()));
        byte[] framed = compress("lz4", plain);
        assertEquals(Compression.LZ4, Compression.detect(framed));
        assertEquals(READER.read(plain, "a").root().toString(), READER.read(framed, "b").root().toString());
        assertEquals(plain.length, READER.read(framed, "b").decodedBytes());
    }
}
