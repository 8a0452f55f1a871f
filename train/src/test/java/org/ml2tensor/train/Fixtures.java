package org.ml2tensor.train;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ml2tensor.train.data.Chunk;
import org.ml2tensor.train.data.ChunkSource;
import org.ml2tensor.train.data.CsvChunkSource;
import org.ml2tensor.train.data.MissingValues;

/** The conformance fixtures written by scripts/make_train_fixtures.py. */
final class Fixtures {
    private Fixtures() {
    }

    /** One case of expected-VERSION.txt. */
    record Case(String name, String estimator, List<String> sets, String data, String target, int[] chunks,
                boolean weights, String mode, Map<String, double[][]> attrs) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Path dir() {
        try {
            return Path.of(Fixtures.class.getResource("/fixtures/data.csv").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Case> cases(String version) throws IOException {
        List<Case> out = new ArrayList<>();
        String name = null;
        String est = null;
        List<String> sets = new ArrayList<>();
        String data = null;
        String target = null;
        int[] chunks = null;
        boolean weights = false;
        String mode = null;
        Map<String, double[][]> attrs = new LinkedHashMap<>();
        for (String line : Files.readAllLines(dir().resolve("expected-" + version + ".txt"))) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] p = line.split(" ");
            switch (p[0]) {
                case "case" -> {
                    name = p[1];
                    sets = new ArrayList<>();
                    attrs = new LinkedHashMap<>();
                }
                case "estimator" -> est = p[1];
                case "set" -> sets.add(line.substring(4));
                case "data" -> data = p[1];
                case "target" -> target = p[1].equals("-") ? null : p[1];
                case "chunks" -> {
                    chunks = new int[p.length - 1];
                    for (int i = 1; i < p.length; i++) {
                        chunks[i - 1] = Integer.parseInt(p[i]);
                    }
                }
                case "weights" -> weights = p[1].equals("1");
                case "mode" -> mode = p[1];
                case "attr" -> {
                    int r = Integer.parseInt(p[2]);
                    int c = Integer.parseInt(p[3]);
                    double[][] m = new double[r][c];
                    for (int i = 0; i < r * c; i++) {
                        m[i / c][i % c] = Double.parseDouble(p[4 + i]);
                    }
                    attrs.put(p[1], m);
                }
                case "end" -> out.add(new Case(name, est, sets, data, target, chunks, weights, mode, attrs));
                default -> throw new IllegalStateException("bad fixture line: " + line);
            }
        }
        return out;
    }

    /** All rows of a data file as one chunk, with the named target and weights. */
    static Chunk load(String data, String target, boolean weights) {
        String file = data.equals("nb") ? "nb-data.csv" : "data.csv";
        List<String> drop = data.equals("nb") ? List.of("yc", "w") : List.of("y", "y3", "yr", "w");
        Path p = dir().resolve(file);
        try (ChunkSource all = CsvChunkSource.open(p, new CsvChunkSource.Options(null, null, null, 10_000,
                MissingValues.ERROR))) {
            Chunk c = all.next();
            List<String> names = all.featureNames();
            int n = c.rows();
            int featureCount = names.size() - drop.size();
            double[][] x = new double[n][featureCount];
            double[] y = new double[n];
            double[] w = new double[n];
            for (int i = 0; i < n; i++) {
                int k = 0;
                for (int j = 0; j < names.size(); j++) {
                    String col = names.get(j);
                    if (col.equals(target)) {
                        y[i] = c.get(i, j);
                    }
                    if (col.equals("w")) {
                        w[i] = c.get(i, j);
                    }
                    if (!drop.contains(col)) {
                        x[i][k++] = c.get(i, j);
                    }
                }
            }
            Chunk out = Chunk.of(x, y);
            return weights ? out.withSampleWeight(w) : out;
        }
    }

    static List<Chunk> split(Chunk all, int[] sizes) {
        List<Chunk> out = new ArrayList<>();
        int start = 0;
        for (int s : sizes) {
            out.add(all.slice(start, start + s));
            start += s;
        }
        return out;
    }

    static double[] distinct(double[] y) {
        return java.util.Arrays.stream(y).distinct().sorted().toArray();
    }
}
