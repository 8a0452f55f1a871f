package org.ml2tensor.spark;

import java.util.Locale;
import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * What scoring does with a row whose feature is null, a string that is not a number, or NaN for a
 * model that does not accept missing values (Spark ML's {@code handleInvalid} convention).
 */
public enum HandleInvalid {
    /** Fail the task with an error naming the partition, the row's offset in it and the column. */
    ERROR,
    /** Drop the row from the output. */
    SKIP,
    /**
     * Keep the row: the invalid feature becomes NaN (a missing value) when the model accepts missing
     * values; otherwise the row is kept with null prediction columns.
     */
    KEEP;

    /** Parses {@code error}, {@code skip} or {@code keep} (any case). */
    public static HandleInvalid parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "handleInvalid must be error, skip or keep, got '" + value + "'")
                    .hint("use setHandleInvalid(\"error\"), (\"skip\") or (\"keep\")").build();
        }
    }

    /** The lower-case name used in Spark params. */
    public String paramValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
