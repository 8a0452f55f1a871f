package org.ml2tensor.cli;

import java.util.function.Function;

import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/** Parsing of enumerated option values with a clear error. */
final class CliValues {
    private CliValues() {
    }

    static <T> T parse(String option, String value, Function<String, T> parser, String allowed) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw Ml2TensorException.of(ErrorCode.INVALID_OPTION, "invalid value '" + value + "'").at(option)
                    .hint("allowed: " + allowed).build();
        }
    }
}
