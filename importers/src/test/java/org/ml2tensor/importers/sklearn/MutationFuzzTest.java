package org.ml2tensor.importers.sklearn;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ml2tensor.error.Ml2TensorException;

/**
 * Seeded mutation fuzzing over the committed fixtures (bit flips, byte overwrites, truncation, deletion,
 * duplication, insertion and oversized length fields). Loading and describing a mutated file may succeed
 * or fail, but the only exception allowed is {@link Ml2TensorException}: no other runtime exception, no
 * StackOverflowError, no OutOfMemoryError. Bounded by a fixed number of cases, not by time.
 */
class MutationFuzzTest {
    /** Overridable for longer local runs: {@code -Dml2tensor.fuzz.seed=… -Dml2tensor.fuzz.cases=…}. */
    private static final long SEED = Long.getLong("ml2tensor.fuzz.seed", 0x5eed_2026L);
    private static final int CASES = Integer.getInteger("ml2tensor.fuzz.cases", 6000);

    @Test
    void mutatedFixturesOnlyRaiseMl2TensorException() throws Exception {
        List<Path> files = Fixtures.allModelFiles();
        List<byte[]> corpus = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Path f : files) {
            String n = f.getFileName().toString();
            boolean compressed = n.matches(".*\\.(zlib|gzip|bz2|lzma|xz|lz4)\\.joblib");
            if (!compressed || n.startsWith("rf_clf") || n.startsWith("hgb_clf_cat")) {
                corpus.add(Files.readAllBytes(f));
                names.add(f.getParent().getFileName() + "/" + n);
            }
        }
        SklearnImporter importer = SklearnImporter.standard();
        SplittableRandom rnd = new SplittableRandom(SEED);
        int loaded = 0;
        int rejected = 0;
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            int pick = rnd.nextInt(corpus.size());
            byte[] mutated = mutate(corpus.get(pick), rnd);
            String label = "case " + i + " (" + names.get(pick) + ")";
            try {
                importer.load(mutated, "fuzz.pkl");
                loaded++;
            } catch (Ml2TensorException expected) {
                rejected++;
            } catch (Throwable t) {
                failures.add(label + ": " + t);
            }
            try {
                importer.describe(mutated, "fuzz.pkl");
            } catch (Ml2TensorException expected) {
                // fine: unreadable files cannot be described
            } catch (Throwable t) {
                failures.add(label + " describe: " + t);
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " mutated inputs raised something other than Ml2TensorException, first: "
                    + failures.subList(0, Math.min(5, failures.size())));
        }
        assertTrue(loaded > 0 && rejected > 0, "mutations both kept some files loadable (" + loaded
                + ") and broke others (" + rejected + ")");
    }

    static byte[] mutate(byte[] src, SplittableRandom rnd) {
        byte[] b = src.clone();
        int ops = 1 + rnd.nextInt(3);
        for (int k = 0; k < ops && b.length > 2; k++) {
            int at = rnd.nextInt(b.length);
            switch (rnd.nextInt(7)) {
                case 0 -> b[at] ^= (byte) (1 << rnd.nextInt(8));
                case 1 -> b[at] = (byte) rnd.nextInt(256);
                case 2 -> b = Arrays.copyOf(b, at);
                case 3 -> {
                    int len = Math.min(b.length - at, 1 + rnd.nextInt(16));
                    byte[] out = new byte[b.length - len];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(b, at + len, out, at, b.length - at - len);
                    b = out;
                }
                case 4 -> {
                    int len = Math.min(b.length - at, 1 + rnd.nextInt(64));
                    byte[] out = new byte[b.length + len];
                    System.arraycopy(b, 0, out, 0, at + len);
                    System.arraycopy(b, at, out, at + len, b.length - at);
                    b = out;
                }
                case 5 -> {
                    byte[] out = new byte[b.length + 4];
                    System.arraycopy(b, 0, out, 0, at);
                    for (int j = 0; j < 4; j++) {
                        out[at + j] = (byte) rnd.nextInt(256);
                    }
                    System.arraycopy(b, at, out, at + 4, b.length - at);
                    b = out;
                }
                default -> {
                    long big = rnd.nextBoolean() ? 0xffff_ffffL : 1L << (20 + rnd.nextInt(40));
                    for (int j = 0; j < 8 && at + j < b.length; j++) {
                        b[at + j] = (byte) (big >>> (8 * j));
                    }
                }
            }
        }
        return b;
    }
}
