package org.ml2tensor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --read-budget}: a small file that creates far more than its size is refused (exit 9) unless raised. */
class ReadBudgetCliIT {
    /** An object whose state is a 20k-entry dict, BUILT 2,000 times: ~2.6 GB of dict copies for 140 KB. */
    static byte[] amplifyingPickle() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) 0x80, 2});
        out.writeBytes("cbuiltins\nobject\n)\u0081}(".getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < 20_000; i++) {
            out.writeBytes(new byte[]{'J', (byte) i, (byte) (i >> 8), 0, 0, 'N'});
        }
        out.writeBytes(new byte[]{'u', 'r', 1, 0, 0, 0, '0'});
        for (int i = 0; i < 2_000; i++) {
            out.writeBytes(new byte[]{'j', 1, 0, 0, 0, 'b'});
        }
        out.write('.');
        return out.toByteArray();
    }

    @Test
    void theReaderBudgetIsEnforcedAndCanBeRaised(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("amplify.pkl");
        Files.write(model, amplifyingPickle());
        Path out = dir.resolve("m.onnx");
        Launcher.Run refused = Launcher.run("compile", model.toString(), "-o", out.toString());
        assertEquals(9, refused.exit(), refused.all());
        assertTrue(refused.err().contains("exceeds the reader's budget"), refused.all());
        assertTrue(refused.err().contains("--read-budget"), refused.all());
        assertFalse(refused.err().contains("\tat "), "no stack trace: " + refused.all());
        assertFalse(Files.exists(out));

        // a larger budget gets past the reader: then the file is refused as what it is, not a model
        Launcher.Run raised = Launcher.run("compile", model.toString(), "-o", out.toString(), "--read-budget", "8g");
        assertTrue(raised.exit() != 9 && raised.exit() != 0, raised.all());

        Launcher.Run bad = Launcher.run("compile", model.toString(), "-o", out.toString(), "--read-budget", "-1");
        assertEquals(2, bad.exit(), bad.all());
    }
}
