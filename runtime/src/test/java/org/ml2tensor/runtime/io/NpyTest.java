package org.ml2tensor.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.runtime.FloatType;

/** NPY reading against files written by numpy ({@code src/test/resources/npy/make_npy.py}) and round trips. */
class NpyTest {
    @TempDir
    Path dir;

    private Path fixture(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = NpyTest.class.getResourceAsStream("/npy/" + name)) {
            Files.copy(in, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return p;
    }

    /** The fixture values, computed the way make_npy.py does (float64 arithmetic). */
    private static double base(int r, int c) {
        return (r * 3 + c) * 0.1 - 0.7;
    }

    @Test
    void readsNumpyFilesInEveryByteOrderMemoryOrderAndVersion() throws IOException {
        for (String name : new String[] {"c_f4_le.npy", "c_f8_be.npy", "f_f4_be.npy", "f_f8_le.npy", "v2_f4.npy"}) {
            Path file = fixture(name);
            for (FloatType target : FloatType.values()) {
                try (NpyReader r = NpyReader.open(file, false)) {
                    assertEquals(5, r.totalRows().getAsLong(), name);
                    assertEquals(3, r.width(), name);
                    boolean stored32 = r.header().type() == FloatType.FLOAT32;
                    RowBlock block = RowBlock.allocate(target, 2, 3); // blocks smaller than the file
                    int row = 0;
                    int n;
                    while ((n = r.read(block)) > 0) {
                        for (int k = 0; k < n; k++, row++) {
                            for (int c = 0; c < 3; c++) {
                                double stored = stored32 ? (float) base(row, c) : base(row, c);
                                double expected = target == FloatType.FLOAT32 ? (float) stored : stored;
                                assertEquals(expected, block.get(k, c), 0.0, name + " → " + target + " at " + row + "," + c);
                            }
                        }
                    }
                    assertEquals(5, row, name);
                    assertEquals(1.0, r.fractionRead());
                }
            }
        }
        try (NpyReader r = NpyReader.open(fixture("f_f4_be.npy"), true)) {
            assertTrue(r.header().fortranOrder());
            assertEquals(ByteOrder.BIG_ENDIAN, r.header().order());
        }
    }

    @Test
    void nanIsRejectedNamingRowAndColumnWhenMissingIsNotAccepted() throws IOException {
        Path file = fixture("nan_f4.npy");
        Ml2TensorException e = assertThrows(Ml2TensorException.class, () -> {
            try (NpyReader r = NpyReader.open(file, false)) {
                RowBlock block = RowBlock.allocate(FloatType.FLOAT32, 2, 3);
                while (r.read(block) > 0) {
                    // keep reading
                }
            }
        });
        assertEquals(ErrorCode.INVALID_INPUT, e.code());
        assertTrue(e.bareMessage().startsWith("missing value (NaN) at row 2, column 1"), e.bareMessage());
        try (NpyReader r = NpyReader.open(file, true)) {
            RowBlock block = RowBlock.allocate(FloatType.FLOAT32, 8, 3);
            assertEquals(5, r.read(block));
            assertTrue(Double.isNaN(block.get(2, 1)));
        }
    }

    @Test
    void unsupportedAndMalformedFilesAreRejected() throws IOException {
        Ml2TensorException ints = assertThrows(Ml2TensorException.class, () -> NpyReader.open(fixture("int64.npy"), true));
        assertEquals(ErrorCode.UNSUPPORTED, ints.code());
        assertTrue(ints.bareMessage().contains("'<i8'"), ints.bareMessage());
        Ml2TensorException oneD = assertThrows(Ml2TensorException.class, () -> NpyReader.open(fixture("one_d.npy"), true));
        assertEquals(ErrorCode.INVALID_INPUT, oneD.code());
        assertTrue(oneD.bareMessage().contains("2-D"), oneD.bareMessage());

        Path truncated = dir.resolve("truncated.npy");
        byte[] full = Files.readAllBytes(fixture("c_f8_be.npy"));
        Files.write(truncated, Arrays.copyOf(full, full.length - 8));
        Ml2TensorException t = assertThrows(Ml2TensorException.class, () -> NpyReader.open(truncated, true));
        assertEquals(ErrorCode.INVALID_INPUT, t.code());
        assertTrue(t.bareMessage().startsWith("truncated"), t.bareMessage());
        assertEquals(truncated.toString(), t.context());

        Path csv = Files.writeString(dir.resolve("not.npy"), "a,b,c\n1,2,3\n4,5,6\n");
        assertTrue(assertThrows(Ml2TensorException.class, () -> NpyReader.open(csv, true)).bareMessage().contains("magic"));

        Path hugeHeader = dir.resolve("huge.npy");
        byte[] h = Arrays.copyOf(full, 12);
        h[6] = 2; // version 2.0: 4-byte header length
        h[8] = 0;
        h[9] = 0;
        h[10] = 0;
        h[11] = 0x7F;
        Files.write(hugeHeader, h);
        assertEquals(ErrorCode.LIMIT_EXCEEDED, assertThrows(Ml2TensorException.class, () -> NpyReader.open(hugeHeader, true)).code());
    }

    @Test
    void writerRoundTripsThroughTheReaderWithAlignedHeader() throws IOException {
        double[][] d = {{1.0 / 3, -0.0, Double.MIN_VALUE}, {1e300, Double.NaN, Double.NEGATIVE_INFINITY}};
        Path f8 = dir.resolve("d.npy");
        NpyWriter.write(f8, d);
        float[][] f = {{0.1f, 2f}, {3f, Float.MAX_VALUE}, {-1e-40f, 7f}};
        Path f4 = dir.resolve("f.npy");
        NpyWriter.write(f4, f);
        for (Path p : new Path[] {f8, f4}) {
            byte[] bytes = Files.readAllBytes(p);
            int headerLen = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
            assertEquals(0, (10 + headerLen) % 64, "numpy aligns data to 64 bytes");
            assertEquals('\n', bytes[10 + headerLen - 1]);
        }
        try (NpyReader r = NpyReader.open(f8, true)) {
            assertEquals(FloatType.FLOAT64, r.header().type());
            RowBlock block = RowBlock.allocate(FloatType.FLOAT64, 10, 3);
            assertEquals(2, r.read(block));
            for (int i = 0; i < 2; i++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(Double.doubleToLongBits(d[i][c]), Double.doubleToLongBits(block.get(i, c)));
                }
            }
        }
        try (NpyReader r = NpyReader.open(f4, true)) {
            assertEquals(FloatType.FLOAT32, r.header().type());
            RowBlock block = RowBlock.allocate(FloatType.FLOAT32, 10, 2);
            assertEquals(3, r.read(block));
            for (int i = 0; i < 3; i++) {
                for (int c = 0; c < 2; c++) {
                    assertEquals(Float.floatToIntBits(f[i][c]), Float.floatToIntBits(block.floats().get(i * 2 + c)));
                }
            }
        }
    }

    @Test
    void writerHeaderMatchesNumpyForTheSameArray() throws IOException {
        // numpy wrote c_f4_le.npy; writing the same values must give the same bytes except header padding.
        Path mine = dir.resolve("mine.npy");
        float[][] values = new float[5][3];
        for (int r = 0; r < 5; r++) {
            for (int c = 0; c < 3; c++) {
                values[r][c] = (float) base(r, c);
            }
        }
        NpyWriter.write(mine, values);
        byte[] a = Files.readAllBytes(fixture("c_f4_le.npy"));
        byte[] b = Files.readAllBytes(mine);
        String numpyDict = new String(a, 10, 60, java.nio.charset.StandardCharsets.ISO_8859_1).trim();
        String myDict = new String(b, 10, 60, java.nio.charset.StandardCharsets.ISO_8859_1).trim();
        assertEquals(numpyDict.substring(0, numpyDict.indexOf('}') + 1), myDict.substring(0, myDict.indexOf('}') + 1));
        int aHeader = (a[8] & 0xFF) | (a[9] & 0xFF) << 8;
        int bHeader = (b[8] & 0xFF) | (b[9] & 0xFF) << 8;
        assertEquals(Arrays.toString(Arrays.copyOfRange(a, 10 + aHeader, a.length)),
                Arrays.toString(Arrays.copyOfRange(b, 10 + bHeader, b.length)));
    }

    @Test
    void uncommittedWriterLeavesNoFile() throws IOException {
        Path target = dir.resolve("partial.npy");
        try (NpyWriter w = NpyWriter.create(target, FloatType.FLOAT32, 2)) {
            w.writeRow(new float[] {1, 2});
            assertThrows(IllegalArgumentException.class, () -> w.writeRow(new float[] {1, 2, 3}));
        }
        assertTrue(Files.notExists(target));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "no temporary file left");
        }
    }
}
