package org.ml2tensor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/** Every fatal error becomes one escaped line and a documented exit status, without a stack trace. */
class FatalErrorTest {
    private static String[] report(Throwable e, int[] status) {
        StringWriter out = new StringWriter();
        status[0] = Main.fatal(e, new PrintWriter(out));
        return out.toString().split("\n");
    }

    @Test
    void outOfMemoryIsALimitAndInternalErrorsHaveNoStackTrace() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("ML2TENSOR_DEBUG") == null);
        int[] status = new int[1];
        String[] oom = report(new OutOfMemoryError("unable to create native thread: possibly out of memory"), status);
        assertEquals(9, status[0]);
        assertEquals(1, oom.length);
        assertTrue(oom[0].startsWith("error [limit_exceeded]: out of memory"), oom[0]);

        String[] bug = report(new IllegalStateException("boom\n\tat forged.Frame"), status);
        assertEquals(1, status[0]);
        assertEquals(1, bug.length, String.join("|", bug));
        assertTrue(bug[0].contains("boom\\n\\tat forged.Frame"), bug[0]);

        String[] known = report(Ml2TensorException.of(ErrorCode.INVALID_OPTION, "bad\u001b[2J").at("--threads").build(),
                status);
        assertEquals(2, status[0]);
        assertEquals("error [invalid_option]: --threads: bad\\x1b[2J", known[0]);
        assertFalse(String.join("\n", known).contains("\tat "));
    }

    @Test
    void outOfRangeOptionsExitWithStatus2BeforeAnyFileIsRead() {
        assertEquals(2, Main.run("predict", "m.onnx", "--input", "x.csv", "--output", "y.csv", "--threads", "-3"));
        assertEquals(2, Main.run("predict", "m.onnx", "--input", "x.csv", "--output", "y.csv", "--threads", "100000"));
        assertEquals(2, Main.run("bench", "m.json", "--threads", "-3"));
        assertEquals(2, Main.run("predict", "m.onnx", "--input", "x.csv", "--output", "y.csv", "--batch-size",
                "2000000000"));
        assertEquals(2, Main.run("compile", "m.json", "-o", "m.onnx", "--max-tensor-bytes", "-1"));
        assertEquals(2, Main.run("predict", "m.onnx", "--input", "x.csv", "--output", "y.csv", "--batch-size", "0"));
        assertEquals(2, Main.run("predict", "m.onnx", "--input", "x.csv", "--output", "y.csv", "--timeout", "-1"));
        assertEquals(2, Main.run("predict", "m.json", "--input", "x.csv", "--output", "y.csv", "--max-tensor-bytes", "0"));
    }
}
