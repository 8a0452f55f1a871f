package org.ml2tensor.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Test;

class BenchJsonTest {
    private static final BenchReport REPORT = new BenchReport("m \"1\".pkl", "Pipeline \\ steps\n2", 28, 500, 8, 2,
            "cpu", "perfect-tree-traversal", "depth 8 <= 12",
            List.of(new BenchReport.Compile("perfect-tree-traversal [auto]", 12.5, 2_051_892, 63, null),
                    BenchReport.Compile.skipped("gemm", "over the limit")),
            List.of(new BenchReport.Timing(1000, "perfect-tree-traversal [auto]", false, 9785.0, 102.196, 169.3, 5,
                            2.25, null),
                    BenchReport.Timing.skipped(100000, "peer: ejml-reference (1 thread)", true, "up to batch 1000")));

    @Test
    void jsonIsValidAndKeepsEveryStringAndNumber() throws Exception {
        List<String> strings = new ArrayList<>();
        List<Double> numbers = new ArrayList<>();
        int nulls = 0;
        try (JsonParser p = new JsonFactory().createParser(BenchJson.render(REPORT))) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.VALUE_STRING) {
                    strings.add(p.getText());
                } else if (t.isNumeric()) {
                    numbers.add(p.getDoubleValue());
                } else if (t == JsonToken.VALUE_NULL) {
                    nulls++;
                }
            }
        }
        assertEquals("m \"1\".pkl", strings.get(0));
        assertEquals("Pipeline \\ steps\n2", strings.get(1));
        assertTrue(strings.contains("over the limit") && strings.contains("up to batch 1000"), strings.toString());
        assertTrue(numbers.contains(9785.0) && numbers.contains(2_051_892.0) && numbers.contains(102.196),
                numbers.toString());
        // skipped compile: millis; measured compile: skipped; measured timing: skipped;
        // skipped timing: rowsPerSecond, p50, p99, vsBestPeer
        assertEquals(1 + 1 + 1 + 4, nulls);
    }

    @Test
    void markdownListsSkippedCellsWithTheirReason() {
        String md = BenchMarkdown.render(REPORT);
        assertTrue(md.contains("| gemm | skipped: over the limit | | |"), md);
        assertTrue(md.contains("| 100000 | peer: ejml-reference (1 thread) | skipped: up to batch 1000 |"), md);
        assertTrue(md.contains("| 1000 | perfect-tree-traversal [auto] | 9,785 | 102.196 | 169.300 | 5 | 2.25× |"), md);
        assertTrue(md.contains("500 trees of max depth 8"), md);
    }
}
