package org.ml2tensor.importers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the numeric CSV files of the fixtures (no header; {@code NaN}, {@code Infinity} allowed). */
public final class Csv {
    private Csv() {
    }

    public static double[][] read(Path path) {
        try {
            List<double[]> rows = new ArrayList<>();
            for (String line : Files.readAllLines(path)) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",");
                double[] row = new double[cells.length];
                for (int i = 0; i < cells.length; i++) {
                    row[i] = Double.parseDouble(cells[i].trim());
                }
                rows.add(row);
            }
            return rows.toArray(new double[0][]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(Path path, double[][] rows) {
        StringBuilder sb = new StringBuilder();
        for (double[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                sb.append(i == 0 ? "" : ",").append(r[i]);
            }
            sb.append('\n');
        }
        try {
            Files.writeString(path, sb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
