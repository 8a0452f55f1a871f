package org.ml2tensor.importers.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The seeded mutation fuzz of every importer (pickle, joblib with every codec, XGBoost JSON and UBJSON,
 * LightGBM text), {@value #CASES} cases per family, in a child JVM whose heap is the promised bound for
 * these inputs: max(512 MiB, 20 × file size) = 512 MiB for the small fixtures. See {@link ImporterFuzz} for
 * what each case asserts; {@code scripts/fuzz.sh} runs longer campaigns.
 */
class ImporterFuzzTest {
    /** Overridable: {@code -Dml2tensor.fuzz.seed=… -Dml2tensor.fuzz.cases=…}. */
    private static final long SEED = Long.getLong("ml2tensor.fuzz.seed", 0x5eed_2026L);
    static final int CASES = 5000;

    @Test
    void everyImporterRefusesMutatedFilesCleanlyWithinTheHeapBound() throws Exception {
        int cases = Integer.getInteger("ml2tensor.fuzz.cases", CASES);
        ForkedJvm.Result r = ForkedJvm.run(ImporterFuzz.class, 512, Long.getLong("ml2tensor.fuzz.timeout", 600), "all",
                Long.toString(SEED),
                Integer.toString(cases), "10");
        System.out.println(r.output());
        assertEquals(0, r.exit(), r.output());
        for (ImporterFuzz.Family f : ImporterFuzz.Family.values()) {
            String name = f.name().toLowerCase(java.util.Locale.ROOT);
            assertTrue(r.output().contains("FUZZ family=" + name + " cases=" + cases + " "), r.output());
        }
        assertTrue(r.output().contains("failures=0"), r.output());
    }
}
