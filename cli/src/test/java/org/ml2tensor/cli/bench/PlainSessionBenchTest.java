package org.ml2tensor.cli.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ml2tensor.cli.Main;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/** {@code bench --plain-session --rows}: plain ONNX Runtime sessions next to the Predictor rows, CSV rows. */
class PlainSessionBenchTest {
    private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
    private static final Path MODEL = REPO.resolve("importers/src/test/resources/xgboost/binary_logistic.json");
    private static final Path ROWS = REPO.resolve("importers/src/test/resources/xgboost/binary_logistic.rows.csv");

    @Test
    void plainSessionCandidatesRunOnTheCsvRows(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        int exit = Main.run("bench", MODEL.toString(), "--batch", "1,8", "--strategies", "auto", "--seconds", "0.01",
                "--min-calls", "1", "--threads", "1", "--no-reference", "--plain-session", "--rows", ROWS.toString(),
                "--device", "cpu", "--json", json.toString());
        assertEquals(0, exit);
        String text = Files.readString(json);
        for (int batch : new int[] {1, 8}) {
            for (String c : new String[] {"perfect-tree-traversal [auto], plain session",
                    "peer: onnxruntime TreeEnsemble, plain session", "peer: onnxruntime TreeEnsemble"}) {
                assertTrue(text.contains("\"batch\":" + batch + ",\"candidate\":\"" + c + "\""), c + " at " + batch
                        + ":\n" + text);
            }
        }
    }

    @Test
    void csvRowsSkipAHeaderReadMissingCellsAndCycle(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("rows.csv");
        Files.writeString(csv, "a,b\n1.5,NaN\n,-2\n");
        float[] rows = Candidates.csvRows(csv, 2, 3);
        assertArrayEquals(new float[] {1.5f, Float.NaN, Float.NaN, -2f, 1.5f, Float.NaN}, rows);
        Files.writeString(csv, "1,2\n3\n");
        Ml2TensorException e = assertThrows(Ml2TensorException.class, () -> Candidates.csvRows(csv, 2, 1));
        assertEquals(ErrorCode.INVALID_INPUT, e.code());
        assertTrue(e.getMessage().contains("row 2"), e.getMessage());
    }
}
