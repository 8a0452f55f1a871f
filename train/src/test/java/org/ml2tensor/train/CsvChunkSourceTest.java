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
}
