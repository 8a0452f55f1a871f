package org.ml2tensor.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads the fixtures' CSV files (Python spellings nan/inf/-inf and NaN/Infinity accepted). */
final class FixtureCsv {
    final List<String> header;
    final List<String[]> rows;

    private FixtureCsv(List<String> header, List<String[]> rows) {
        this.header = header;
        this.rows = rows;
    }

    static FixtureCsv read(Path file, boolean hasHeader) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<String> header = List.of();
        List<String[]> rows = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.trim().split(",", -1);
            if (hasHeader && header.isEmpty()) {
                header = List.of(cells);
            } else {
                rows.add(cells);
            }
        }
        return new FixtureCsv(header, rows);
    }

    /** The rows with the given indices. */
    FixtureCsv select(List<Integer> indices) {
        List<String[]> picked = new ArrayList<>();
        for (int i : indices) {
            picked.add(rows.get(i));
        }
        return new FixtureCsv(header, picked);
    }

    double[][] numbers() {
        double[][] out = new double[rows.size()][];
        for (int r = 0; r < out.length; r++) {
            String[] cells = rows.get(r);
            out[r] = new double[cells.length];
            for (int c = 0; c < cells.length; c++) {
                out[r][c] = number(cells[c]);
            }
        }
        return out;
    }

    double[] column(int c) {
        double[] out = new double[rows.size()];
        for (int r = 0; r < out.length; r++) {
            out[r] = number(rows.get(r)[c]);
        }
        return out;
    }

    String[] textColumn(int c) {
        String[] out = new String[rows.size()];
        for (int r = 0; r < out.length; r++) {
            out[r] = rows.get(r)[c];
        }
        return out;
    }

    static double number(String s) {
        String t = s.trim();
        switch (t.toLowerCase(java.util.Locale.ROOT)) {
            case "", "nan" -> {
                return Double.NaN;
            }
            case "inf", "infinity", "+inf" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf", "-infinity" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
                return Double.parseDouble(t);
            }
        }
    }

    /**
     * The reference evaluator's outputs laid out like {@code expected}'s columns (label, then the probability,
     * score or value columns in order): an oracle for inputs the library did not see.
     */
    static FixtureCsv fromReference(FixtureCsv expected, org.ml2tensor.conformance.reference.ReferenceOutputs ref) {
        List<String[]> rows = new ArrayList<>();
        double[][] m = ref.probabilities() != null ? ref.probabilities() : ref.scores() != null ? ref.scores()
                : ref.values();
        for (int r = 0; r < expected.rows.size(); r++) {
            String[] row = new String[expected.header.size()];
            int k = 0;
            for (int c = 0; c < row.length; c++) {
                if (expected.header.get(c).equals("label")) {
                    row[c] = ref.intLabels() != null ? Long.toString(ref.intLabels()[r]) : ref.stringLabels()[r];
                } else {
                    row[c] = Double.toString(m[r][k++]);
                }
            }
            rows.add(row);
        }
        return new FixtureCsv(expected.header, rows);
    }

    /** The case folders under a fixture root, by name, sorted (one parameterised test case each). */
    static List<String> caseNames(Path root) throws IOException {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList();
        }
    }
}
