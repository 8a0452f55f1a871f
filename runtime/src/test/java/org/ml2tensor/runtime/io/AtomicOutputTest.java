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
}
