package org.ml2tensor.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.runtime.FloatType;

class CsvRowReaderTest {
    @TempDir
    Path dir;

    private static CsvRowReader csv(String text, boolean acceptsMissing) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return CsvRowReader.of(new ByteArrayInputStream(b), "data.csv", b.length, acceptsMissing);
    }

    private static Ml2TensorException readAllExpectingError(String text, boolean acceptsMissing) {
        return assertThrows(Ml2TensorException.class, () -> {
            try (CsvRowReader r = csv(text, acceptsMissing)) {
                RowBlock block = RowBlock.allocate(FloatType.FLOAT32, 4, r.width());
                while (r.read(block) > 0) {
                    // keep reading
                }
            }
        });
    }

    @Test
    void readsHeaderAndRowsWithQuotesCrlfBomBlankLinesAndMissingValues() {
        String text = "\uFEFFa,\"b, with comma\",\"c \"\"quoted\"\"\"\r\n"
                + "1,2.5,-3e2\r\n"
                + "\r\n"
                + "\"4\", 5 ,nan\r\n"
                + ",NaN,0.1\n"
                + "7,8,9";
        try (CsvRowReader r = csv(text, true)) {
            assertEquals(List.of("a", "b, with comma", "c \"quoted\""), r.columnNames().orElseThrow());
            RowBlock block = RowBlock.allocate(FloatType.FLOAT32, 2, 3);
            assertEquals(2, r.read(block));
            assertEquals(1f, block.floats().get(0));
            assertEquals(2.5f, block.floats().get(1));
            assertEquals(-300f, block.floats().get(2));
            assertEquals(4f, block.floats().get(3));
            assertEquals(5f, block.floats().get(4));
            assertTrue(Float.isNaN(block.floats().get(5)));
            assertEquals(2, r.read(block));
            assertTrue(Float.isNaN(block.floats().get(0)));
            assertTrue(Float.isNaN(block.floats().get(1)));
            assertEquals(0.1f, block.floats().get(2), 0f);
            assertEquals(9f, block.floats().get(5));
            assertEquals(0, r.read(block));
            assertEquals(1.0, r.fractionRead());
        }
    }

    @Test
    void floatModelsGetTheParsedDoubleRoundedToFloatAsNumpyDoes() {
        // As a double this decimal rounds to a float midpoint, which rounds to even (up) as a float:
        // numpy's float64 → astype(float32), what scikit-learn and XGBoost see for this CSV cell, gives
        // 4.086383; Float.parseFloat of the text (rounding once) would give 4.0863833.
        String text = "x\n4.086383104324341\n0.1\n";
        try (CsvRowReader r = csv(text, false)) {
            RowBlock f = RowBlock.allocate(FloatType.FLOAT32, 8, 1);
            assertEquals(2, r.read(f));
            assertEquals((float) Double.parseDouble("4.086383104324341"), f.floats().get(0), 0f);
            assertTrue(Float.parseFloat("4.086383104324341") != f.floats().get(0));
            assertEquals(0.1f, f.floats().get(1), 0f);
        }
        try (CsvRowReader r = csv(text, false)) {
            RowBlock d = RowBlock.allocate(FloatType.FLOAT64, 8, 1);
            assertEquals(2, r.read(d));
            assertEquals(4.086383104324341, d.doubles().get(0), 0.0);
            assertEquals(0.1, d.doubles().get(1), 0.0);
        }
    }

    @Test
    void streamsAFileLargerThanTheReadBufferInBlocks() throws Exception {
        Path file = dir.resolve("big.csv");
        StringBuilder sb = new StringBuilder("f0,f1,f2\n");
        int rows = 60_000;
        for (int i = 0; i < rows; i++) {
            sb.append(i).append(',').append(i * 0.5).append(',').append(-i / 7.0).append('\n');
        }
        Files.writeString(file, sb);
        assertTrue(Files.size(file) > CsvRowReader.INITIAL_BUFFER);
        try (CsvRowReader r = CsvRowReader.open(file, false)) {
            RowBlock block = RowBlock.allocate(FloatType.FLOAT64, 7_000, 3);
            long seen = 0;
            int n;
            while ((n = r.read(block)) > 0) {
                for (int k = 0; k < n; k++) {
                    long i = seen + k;
                    assertEquals((double) i, block.get(k, 0), 0.0);
                    assertEquals(i * 0.5, block.get(k, 1), 0.0);
                    assertEquals(-i / 7.0, block.get(k, 2), 0.0, "row " + i);
                }
                seen += n;
            }
            assertEquals(rows, seen);
        }
    }

    @Test
    void aLineLongerThanTheReadBufferIsRead() {
        int cols = 120_000; // ≈ 1.3 MB header and row, more than the 1 MiB initial buffer
        StringBuilder header = new StringBuilder();
        StringBuilder row = new StringBuilder();
        for (int c = 0; c < cols; c++) {
            header.append(c == 0 ? "" : ",").append("feature_").append(c);
            row.append(c == 0 ? "" : ",").append(c % 10);
        }
        try (CsvRowReader r = csv(header + "\n" + row + "\n", false)) {
            assertEquals(cols, r.width());
            RowBlock block = RowBlock.allocate(FloatType.FLOAT32, 1, cols);
            assertEquals(1, r.read(block));
            assertEquals(9f, block.floats().get(cols - 1));
        }
    }

    @Test
    void wrongColumnCountNamesFileAndLine() {
        Ml2TensorException e = readAllExpectingError("a,b,c\n1,2,3\n4,5\n", false);
        assertEquals(ErrorCode.INVALID_INPUT, e.code());
        assertEquals("data.csv:3", e.context());
        assertEquals("the line has 2 columns but the header has 3", e.bareMessage());
        Ml2TensorException tooMany = readAllExpectingError("a,b\n1,2\n\n1,2,3\n", false);
        assertEquals("data.csv:4", tooMany.context());
        assertEquals("the line has 3 columns but the header has 2", tooMany.bareMessage());
    }

    @Test
    void nonNumericCellNamesLineAndColumn() {
        Ml2TensorException e = readAllExpectingError("a,b,c\n1,2,3\n4,five,6\n", true);
        assertEquals(ErrorCode.INVALID_INPUT, e.code());
        assertEquals("data.csv:3", e.context());
        assertEquals("column 2 ('b'): 'five' is not a number", e.bareMessage());
        assertEquals("column 3 ('c'): '1.5f' is not a number", readAllExpectingError("a,b,c\n1,2,1.5f\n", true).bareMessage());
    }

    @Test
    void missingValueIsRejectedWhenTheModelDoesNotAcceptIt() {
        Ml2TensorException e = readAllExpectingError("a,b,c\n1,2,3\n4,nan,6\n", false);
        assertEquals(ErrorCode.INVALID_INPUT, e.code());
        assertEquals("data.csv:3", e.context());
        assertEquals("missing value ('nan') in column 2 ('b'); this model does not accept missing values", e.bareMessage());
        Ml2TensorException empty = readAllExpectingError("a,b,c\n1,,3\n", false);
        assertTrue(empty.bareMessage().startsWith("missing value (empty cell) in column 2 ('b')"), empty.bareMessage());
    }

    @Test
    void emptyInputAndHeaderlessInputAreRejected() {
        Ml2TensorException empty = assertThrows(Ml2TensorException.class, () -> csv("", false));
        assertEquals(ErrorCode.INVALID_INPUT, empty.code());
        assertEquals("data.csv", empty.context());
        assertEquals("empty input: no header line", empty.bareMessage());
        assertEquals("empty input: no header line", assertThrows(Ml2TensorException.class, () -> csv("\n\r\n", false)).bareMessage());
        Ml2TensorException noHeader = assertThrows(Ml2TensorException.class, () -> csv("1,2,3\n4,5,6\n", false));
        assertTrue(noHeader.bareMessage().startsWith("the first line looks like data, not a header"), noHeader.bareMessage());
        assertEquals("data.csv:1", noHeader.context());
    }

    @Test
    void unreadableFileIsIo() {
        Ml2TensorException e = assertThrows(Ml2TensorException.class, () -> CsvRowReader.open(dir.resolve("nope.csv"), true));
        assertEquals(ErrorCode.IO, e.code());
        assertTrue(e.context().endsWith("nope.csv"));
    }
}
