package org.ml2tensor.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

class AtomicOutputTest {
    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void commitReplacesTheTargetAndLeavesNoTemporaryFile() throws IOException {
        Path target = Files.writeString(dir.resolve("out.csv"), "old\n");
        try (AtomicOutput out = AtomicOutput.create(target)) {
            assertTrue(out.tempFile().getFileName().toString().startsWith(".out.csv."));
            assertEquals(dir.toAbsolutePath(), out.tempFile().getParent());
            try (OutputStream s = out.stream()) {
                s.write("new\n".getBytes(StandardCharsets.UTF_8));
            }
            assertEquals("old\n", Files.readString(target), "nothing visible before commit");
            out.commit();
            assertTrue(out.isCommitted());
        }
        assertEquals("new\n", Files.readString(target));
        assertEquals(List.of("out.csv"), names());
    }

    @Test
    void failureBeforeCommitKeepsTheOldFileAndDeletesTheTemporaryOne() throws IOException {
        Path target = Files.writeString(dir.resolve("out.csv"), "old\n");
        RuntimeException boom = assertThrows(RuntimeException.class, () -> {
            try (AtomicOutput out = AtomicOutput.create(target)) {
                out.stream().write("half a file".getBytes(StandardCharsets.UTF_8));
                throw new RuntimeException("writer failed");
            }
        });
        assertEquals("writer failed", boom.getMessage());
        assertEquals("old\n", Files.readString(target));
        assertEquals(List.of("out.csv"), names());

        Path fresh = dir.resolve("fresh.csv");
        try (AtomicOutput out = AtomicOutput.create(fresh)) {
            out.stream().write(1);
        }
        assertFalse(Files.exists(fresh), "an uncommitted new file never appears");
        assertEquals(List.of("out.csv"), names());
    }

    @Test
    void missingFolderIsIo() {
        Ml2TensorException e = assertThrows(Ml2TensorException.class, () -> AtomicOutput.create(dir.resolve("no/such/out.csv")));
        assertEquals(ErrorCode.IO, e.code());
        Ml2TensorException folder = assertThrows(Ml2TensorException.class, () -> AtomicOutput.create(dir));
        assertEquals(ErrorCode.IO, folder.code());
    }

    @Test
    void useAfterCommitFails() {
        AtomicOutput out = AtomicOutput.create(dir.resolve("x"));
        out.commit();
        assertThrows(IllegalStateException.class, out::stream);
        out.close();
        assertTrue(Files.exists(dir.resolve("x")));
    }

    /** Creates a character device node like /dev/null or /dev/full in the test folder (needs root), else skips. */
    private Path device(String name, int minor) throws Exception {
        Path node = dir.resolve(name);
        Process p = new ProcessBuilder("mknod", node.toString(), "c", "1", Integer.toString(minor))
                .redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(p.waitFor() == 0, "mknod needs root");
        return node;
    }

    private static boolean isCharDevice(Path p) throws IOException {
        return Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class,
                java.nio.file.LinkOption.NOFOLLOW_LINKS).isOther();
    }

    @Test
    void aDeviceIsWrittenToNeverRenamedOver() throws Exception {
        Path nullDevice = device("null", 3);
        try (AtomicOutput out = AtomicOutput.create(nullDevice)) {
            out.stream().write("predictions\n".getBytes(StandardCharsets.UTF_8));
            out.commit();
        }
        assertTrue(isCharDevice(nullDevice), "the device node is still a device");
        assertEquals(List.of("null"), names(), "no temporary file next to the device");
    }

    @Test
    void aFullDeviceReportsTheWriteError() throws Exception {
        Path full = device("full", 7);
        AtomicOutput out = AtomicOutput.create(full);
        out.stream().write(new byte[100_000]);
        Ml2TensorException e = assertThrows(Ml2TensorException.class, out::commit);
        assertEquals(ErrorCode.IO, e.code());
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        assertTrue(isCharDevice(full));
    }

    @Test
    void aFifoIsStreamedTo() throws Exception {
        Path fifo = dir.resolve("pipe");
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0);
        java.util.concurrent.CompletableFuture<String> reader = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readString(fifo);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try (AtomicOutput out = AtomicOutput.create(fifo)) {
            out.stream().write("a,b\n".getBytes(StandardCharsets.UTF_8));
            out.commit();
        }
        assertEquals("a,b\n", reader.get(10, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(Files.readAttributes(fifo, java.nio.file.attribute.BasicFileAttributes.class,
                java.nio.file.LinkOption.NOFOLLOW_LINKS).isOther(), "still a FIFO");
    }

    @Test
    void aSymlinkKeepsPointingAtItsReplacedTarget() throws Exception {
        Path targets = Files.createDirectories(dir.resolve("real"));
        Path target = Files.writeString(targets.resolve("out.csv"), "old\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), Path.of("real/out.csv"));
        try (AtomicOutput out = AtomicOutput.create(link)) {
            assertEquals(targets.toRealPath(), out.tempFile().getParent(), "the temporary file sits next to the target");
            out.stream().write("new\n".getBytes(StandardCharsets.UTF_8));
            out.commit();
        }
        assertTrue(Files.isSymbolicLink(link), "the link is still a link");
        assertEquals("new\n", Files.readString(target));
        assertEquals(List.of("out.csv"), Files.list(targets).map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void newFilesAre0644MinusUmask() throws Exception {
        Path target = dir.resolve("perm.csv");
        try (AtomicOutput out = AtomicOutput.create(target)) {
            out.commit();
        }
        java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = Files.getPosixFilePermissions(target);
        assertFalse(perms.contains(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE), perms.toString());
        assertFalse(perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE), perms.toString());
        assertTrue(perms.contains(java.nio.file.attribute.PosixFilePermission.OWNER_READ), perms.toString());
        assertTrue(perms.contains(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE), perms.toString());
        // Compile writes through the same policy: same permissions, same refusal of a missing folder.
        Path onnx = dir.resolve("m.onnx");
        org.ml2tensor.io.AtomicFiles.write(onnx, new byte[]{1, 2, 3});
        assertEquals(perms, Files.getPosixFilePermissions(onnx));
        Ml2TensorException missing = assertThrows(Ml2TensorException.class,
                () -> org.ml2tensor.io.AtomicFiles.write(dir.resolve("no/such/m.onnx"), new byte[]{1}));
        assertEquals(ErrorCode.IO, missing.code());
    }

    @Test
    void anOutputThatIsAnInputIsRefused() throws Exception {
        Path input = Files.writeString(dir.resolve("x.csv"), "a\n1\n");
        Path viaLink = Files.createSymbolicLink(dir.resolve("alias.csv"), input);
        for (Path out : List.of(input, viaLink, dir.resolve("./x.csv"))) {
            Ml2TensorException e = assertThrows(Ml2TensorException.class,
                    () -> org.ml2tensor.io.AtomicFiles.refuseSameFile(out, dir.resolve("other.csv"), input));
            assertEquals(ErrorCode.INVALID_OPTION, e.code());
        }
        org.ml2tensor.io.AtomicFiles.refuseSameFile(dir.resolve("y.csv"), input);
        assertEquals("a\n1\n", Files.readString(input));
    }

    @Test
    void labelsThatSpreadsheetsWouldRunAreDefused() {
        assertEquals("'=HYPERLINK(\"x\")", CsvPredictionWriter.formulaSafe("=HYPERLINK(\"x\")"));
        assertEquals("'+cmd|' /C calc'!A0", CsvPredictionWriter.formulaSafe("+cmd|' /C calc'!A0"));
        assertEquals("'-1+2", CsvPredictionWriter.formulaSafe("-1+2"));
        assertEquals("'@SUM(A1)", CsvPredictionWriter.formulaSafe("@SUM(A1)"));
        assertEquals("'\t=1", CsvPredictionWriter.formulaSafe("\t=1"));
        assertEquals("-1", CsvPredictionWriter.formulaSafe("-1"));
        assertEquals("+2.5e3", CsvPredictionWriter.formulaSafe("+2.5e3"));
        assertEquals("setosa", CsvPredictionWriter.formulaSafe("setosa"));
        StringBuilder sb = new StringBuilder();
        CsvPredictionWriter.appendEscaped(sb, "=1,2");
        assertEquals("\"'=1,2\"", sb.toString());
    }
}
