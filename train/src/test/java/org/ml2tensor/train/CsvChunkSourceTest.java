package org.ml2tensor.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.train.data.Chunk;
import org.ml2tensor.train.data.CsvChunkSource;
import org.ml2tensor.train.data.MissingValues;

/**
 * The single-pass CSV parser: every value equals {@link Double#parseDouble} of the cell text (which rounds
 * exactly like Python's {@code float()}), across 1 MiB buffer boundaries, with CRLF, quotes, blank lines,
 * exponents, long significands and missing cells; errors name the line and column.
 */
class CsvChunkSourceTest {
    @TempDir
    Path dir;

    private static String cell(SplittableRandom r) {
        return switch (r.nextInt(10)) {
            case 0 -> String.format(Locale.ROOT, "%.17g", r.nextDouble() * 1e6 - 5e5);
            case 1 -> Double.toString(r.nextDouble() * Math.pow(10, r.nextInt(-30, 30)));
            case 2 -> String.format(Locale.ROOT, "%de%d", r.nextInt(1, 99999), r.nextInt(-320, 300));
            case 3 -> "0.0000000000000000000000" + r.nextInt(1, 1_000_000_000);
            case 4 -> r.nextLong(-9_000_000_000_000_000_000L, 9_000_000_000_000_000_000L) + "." + r.nextInt(0, 1000);
            case 5 -> String.format(Locale.ROOT, "%.6f", r.nextGaussian());
            case 6 -> (r.nextBoolean() ? "-" : "") + "0." + "9".repeat(r.nextInt(1, 25));
            case 7 -> Long.toString(r.nextLong(-(1L << 53), 1L << 53));
            case 8 -> String.format(Locale.ROOT, "%.4f", r.nextDouble() * 4 - 2);
            default -> "1" + "0".repeat(r.nextInt(0, 30)) + "." + r.nextInt(0, 10);
        };
    }

    @Test
    void valuesEqualDoubleParseDoubleAcrossBufferBoundaries() throws IOException {
        SplittableRandom r = new SplittableRandom(7);
        List<double[]> expected = new ArrayList<>();
        StringBuilder text = new StringBuilder("a,b,c,y\r\n");
        int rows = 30_000; // ~1.8 MB: rows straddle the 1 MiB read buffer
        for (int i = 0; i < rows; i++) {
            String[] cells = {cell(r), cell(r), cell(r), Integer.toString(r.nextInt(2))};
            double[] e = new double[4];
            for (int j = 0; j < 4; j++) {
                e[j] = Double.parseDouble(cells[j]);
            }
            expected.add(e);
            if (i % 1000 == 17) {
                text.append('"').append(cells[0]).append("\" ,").append(' ').append(cells[1]).append(",")
                        .append(cells[2]).append(',').append(cells[3]).append("\r\n\r\n");
            } else {
                text.append(String.join(",", cells)).append(i % 2 == 0 ? "\n" : "\r\n");
            }
        }
        Path f = dir.resolve("x.csv");
        Files.writeString(f, text.toString().stripTrailing(), StandardCharsets.US_ASCII); // no final line end
        int seen = 0;
        try (CsvChunkSource s = CsvChunkSource.open(f, new CsvChunkSource.Options("y", null, null, 7_000,
                MissingValues.ERROR))) {
            Chunk c;
            while ((c = s.next()) != null) {
                for (int i = 0; i < c.rows(); i++, seen++) {
                    double[] e = expected.get(seen);
                    for (int j = 0; j < 3; j++) {
                        assertEquals(Double.doubleToRawLongBits(e[j]), Double.doubleToRawLongBits(c.get(i, j)),
                                "row " + seen + " col " + j + ": " + e[j] + " vs " + c.get(i, j));
                    }
                    assertEquals(e[3], c.y()[i]);
                }
            }
            assertEquals(1.0, s.fractionRead());
        }
        assertEquals(rows, seen);
    }

    @Test
    void missingCellsAndErrors() throws IOException {
        Path f = dir.resolve("m.csv");
        Files.writeString(f, "a,b,y\n1,nan,0\n\n2,,1\n3,4,\n5,6,1\n");
        try (CsvChunkSource s = CsvChunkSource.open(f, new CsvChunkSource.Options("y", null, null, 10,
                MissingValues.DROP_ROW))) {
            Chunk c = s.next();
            assertEquals(1, c.rows());
            assertEquals(5.0, c.get(0, 0));
            assertEquals(6.0, c.get(0, 1));
            assertNull(s.next());
        }
        Ml2TensorException e = assertThrows(Ml2TensorException.class, () -> {
            try (CsvChunkSource s = CsvChunkSource.open(f, new CsvChunkSource.Options("y", null, null, 10,
                    MissingValues.ERROR))) {
                s.next();
            }
        });
        assertEquals(f + ":2", e.context());
        assertTrue(e.getMessage().contains("column 2 ('b')"), e.getMessage());

        Path g = dir.resolve("g.csv");
        Files.writeString(g, "a,b,y\n1,2,0\n1,2,3,4\n");
        e = assertThrows(Ml2TensorException.class, () -> {
            try (CsvChunkSource s = CsvChunkSource.open(g, new CsvChunkSource.Options("y", null, null, 10,
                    MissingValues.ERROR))) {
                s.next();
            }
        });
        assertEquals(g + ":3", e.context());
        assertTrue(e.getMessage().contains("4 columns but the header has 3"), e.getMessage());

        Path h = dir.resolve("h.csv");
        Files.writeString(h, "a,b,y\n1,2,0\n1,0x10,1\n");
        e = assertThrows(Ml2TensorException.class, () -> {
            try (CsvChunkSource s = CsvChunkSource.open(h, new CsvChunkSource.Options("y", null, null, 10,
                    MissingValues.ERROR))) {
                s.next();
            }
        });
        assertEquals(h + ":3", e.context());
        assertTrue(e.getMessage().contains("'0x10' is not a number"), e.getMessage());
    }

    /**
     * One number parser for both readers: the training reader and the runtime's {@code CsvRowReader} give the
     * same bits for every cell, including the words and spaces they accept, and refuse the same cells.
     */
    @Test
    void trainingAndRuntimeReadersRoundAlike() throws IOException {
        SplittableRandom r = new SplittableRandom(11);
        List<String> special = List.of("nan", "NaN", "-nan", " nan ", "", "inf", "-inf", "+Infinity", "INF",
                " 2.5 ", "\t-3\t", "\"1.25\"", "\" 7e-3 \"", "1.", ".5", "-.5", "+1.5", "007", "1E5", "1e+5",
                "-0", "0e99999", "1e-400", "1e400", "9007199254740993", "0.30000000000000004");
        StringBuilder text = new StringBuilder("a,b,c,y\n");
        int rows = 25_000; // ~1.3 MB: rows straddle the 1 MiB read buffer
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < 3; j++) {
                text.append(r.nextInt(4) == 0 ? special.get(r.nextInt(special.size())) : cell(r)).append(',');
            }
            text.append(r.nextInt(2)).append('\n');
        }
        Path f = dir.resolve("both.csv");
        Files.writeString(f, text.toString(), StandardCharsets.US_ASCII);
        int seen = 0;
        try (CsvChunkSource s = CsvChunkSource.open(f, new CsvChunkSource.Options("y", null, null, 4_000,
                MissingValues.KEEP));
             org.ml2tensor.runtime.io.CsvRowReader rt = org.ml2tensor.runtime.io.CsvRowReader.open(f, true)) {
            org.ml2tensor.runtime.io.RowBlock block = org.ml2tensor.runtime.io.RowBlock.allocate(
                    org.ml2tensor.runtime.FloatType.FLOAT64, 4_000, 4);
            Chunk c;
            while ((c = s.next()) != null) {
                assertEquals(c.rows(), rt.read(block));
                for (int i = 0; i < c.rows(); i++, seen++) {
                    for (int j = 0; j < 3; j++) {
                        assertEquals(Double.doubleToRawLongBits(block.get(i, j)), Double.doubleToRawLongBits(c.get(i, j)),
                                "row " + seen + " col " + j);
                    }
                    assertEquals(block.get(i, 3), c.y()[i]);
                }
            }
            assertEquals(0, rt.read(block));
        }
        assertEquals(rows, seen);
        for (String bad : List.of("1e", "1e+", "e5", ".", "-", "--1", "1..2", "1 2", "1.5f", "0x10", "infinit", "nana",
                "12abc", "1_000")) {
            Path g = dir.resolve("bad.csv");
            Files.writeString(g, "a,y\n1,0\n" + bad + ",1\n");
            Ml2TensorException train = assertThrows(Ml2TensorException.class, () -> {
                try (CsvChunkSource s = CsvChunkSource.open(g, new CsvChunkSource.Options("y", null, null, 10,
                        MissingValues.KEEP))) {
                    s.next();
                }
            }, bad);
            assertTrue(train.getMessage().contains("is not a number"), bad + ": " + train.getMessage());
            assertEquals(g + ":3", train.context());
            Ml2TensorException runtime = assertThrows(Ml2TensorException.class, () -> {
                try (org.ml2tensor.runtime.io.CsvRowReader rt = org.ml2tensor.runtime.io.CsvRowReader.open(g, true)) {
                    rt.read(org.ml2tensor.runtime.io.RowBlock.allocate(org.ml2tensor.runtime.FloatType.FLOAT64, 10, 2));
                }
            }, bad);
            assertTrue(runtime.getMessage().contains("is not a number"), bad + ": " + runtime.getMessage());
        }
    }

    /** Reading ahead on a second thread hands out the same chunks, positions and errors, in order. */
    @Test
    void readAheadGivesTheSameChunksAndTheErrorAtItsChunk() throws IOException {
        StringBuilder text = new StringBuilder("a,b,y\n");
        for (int i = 0; i < 10_000; i++) {
            text.append(i).append(',').append(i * 0.5).append(',').append(i % 2).append('\n');
        }
        text.append("1,x,0\n");
        Path f = dir.resolve("ahead.csv");
        Files.writeString(f, text.toString());
        CsvChunkSource.Options o = new CsvChunkSource.Options("y", null, null, 3_000, MissingValues.ERROR);
        List<String> plain = new ArrayList<>();
        Ml2TensorException plainError = null;
        try (CsvChunkSource s = CsvChunkSource.open(f, o)) {
            Chunk c;
            while ((c = s.next()) != null) {
                plain.add(c.rows() + " " + c.get(0, 0) + " " + c.get(c.rows() - 1, 1) + " " + c.end());
            }
        } catch (Ml2TensorException e) {
            plainError = e;
        }
        List<String> ahead = new ArrayList<>();
        Ml2TensorException aheadError = null;
        try (org.ml2tensor.train.data.ReadAheadChunkSource s = new org.ml2tensor.train.data.ReadAheadChunkSource(
                CsvChunkSource.open(f, o))) {
            Chunk c;
            while ((c = s.next()) != null) {
                ahead.add(c.rows() + " " + c.get(0, 0) + " " + c.get(c.rows() - 1, 1) + " " + c.end());
            }
        } catch (Ml2TensorException e) {
            aheadError = e;
        }
        assertEquals(3, plain.size());
        assertEquals(plain, ahead);
        assertTrue(plainError != null && aheadError != null);
        assertEquals(plainError.getMessage(), aheadError.getMessage());
        assertEquals(f + ":10002", aheadError.context());
    }
}
