package org.ml2tensor.importers;

/**
 * Options of reading a model file.
 *
 * @param readBudgetBytes the {@link ReadBudget} of a read, in bytes of objects created; 0 for the
 *                        automatic budget, max(256 MiB, 12 × file size)
 */
public record ImportOptions(long readBudgetBytes) {
    public ImportOptions {
        if (readBudgetBytes < 0) {
            throw new IllegalArgumentException("readBudgetBytes must be 0 (automatic) or positive");
        }
    }

    /** The automatic budget. */
    public static ImportOptions defaults() {
        return new ImportOptions(0);
    }

    /** A fixed budget of {@code bytes} (0: automatic). */
    public ImportOptions withReadBudget(long bytes) {
        return new ImportOptions(bytes);
    }
}
