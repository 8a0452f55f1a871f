package org.ml2tensor.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.ir.ModelIr;

/**
 * A model given through a pipe ({@code compile /dev/stdin}, a FIFO) is read once: format detection looks
 * at the bytes already read instead of opening the pipe a second time, which would lose its head.
 */
class PipeInputTest {
    private static final Path MODEL = Paths.get("src/test/resources/lightgbm/binary.txt");

    @Test
    void loadDetectsTheFormatOfAFifoFromTheBytesItRead(@TempDir Path dir) throws Exception {
        Path fifo = fifo(dir);
        byte[] bytes = Files.readAllBytes(MODEL);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(fifo, bytes));
        ModelIr fromPipe = ModelImporter.load(fifo, ModelFormat.AUTO);
        writer.get(10, TimeUnit.SECONDS);
        ModelIr fromFile = ModelImporter.load(MODEL, ModelFormat.AUTO);
        assertEquals(fromFile.estimator().inputWidth(), fromPipe.estimator().inputWidth());
        assertEquals(fromFile.estimator().outputWidth(), fromPipe.estimator().outputWidth());
    }

    @Test
    void detectingAFifoWithoutReadingItIsRefusedWithAHint(@TempDir Path dir) throws Exception {
        Path fifo = fifo(dir);
        Ml2TensorException e = assertThrows(Ml2TensorException.class, () -> ModelImporter.detect(fifo));
        assertEquals(ErrorCode.INVALID_OPTION, e.code());
        assertTrue(e.hint().contains("--format"), e.hint());
        assertTrue(e.context().contains(fifo.toString()), e.context());
    }

    private static Path fifo(Path dir) throws Exception {
        Path fifo = dir.resolve("model.pipe");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, p.waitFor());
        return fifo;
    }

    private static void write(Path fifo, byte[] bytes) {
        try (OutputStream out = Files.newOutputStream(fifo)) {
            out.write(bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
