package org.ml2tensor.conformance;

import java.util.ArrayList;
import java.util.List;

/** Collects mismatches between expected and actual outputs, and reports the first few. */
final class OutputComparison {
    private final String what;
    private final List<String> problems = new ArrayList<>();
    private int compared;

    OutputComparison(String what) {
        this.what = what;
    }

    void value(String column, int row, double expected, double actual, Tolerance tol) {
        compared++;
        if (!tol.accepts(expected, actual)) {
            problems.add(String.format("%s row %d: expected %s, got %s (%s)", column, row, expected, actual, tol));
        }
    }

    void label(int row, String expected, String actual, boolean tie) {
        compared++;
        if (!expected.equals(actual) && !tie) {
            problems.add("label row " + row + ": expected " + expected + ", got " + actual);
        }
    }

    void fail(String message) {
        problems.add(message);
    }

    void assertClean() {
        if (!problems.isEmpty()) {
            throw new AssertionError(what + ": " + problems.size() + " mismatches of " + compared + ":\n  "
                    + String.join("\n  ", problems.subList(0, Math.min(12, problems.size()))));
        }
        if (compared == 0) {
            throw new AssertionError(what + ": nothing was compared");
        }
    }
}
