package org.ml2tensor.runtime;

import java.util.Map;
import java.util.Optional;
import org.ml2tensor.contract.ModelContract;

/**
 * Where an ml2tensor model came from and how it was compiled, from its metadata; every field is
 * empty for ONNX files not produced by ml2tensor.
 */
public record Provenance(
        Optional<String> sourceFormat,
        Optional<String> sourceDescription,
        Optional<String> sourceSha256,
        Optional<String> compilerVersion,
        Optional<String> strategy,
        Optional<String> strategyReason,
        Optional<String> precision) {

    static Provenance fromMetadata(Map<String, String> md) {
        return new Provenance(
                value(md, ModelContract.SOURCE_FORMAT),
                value(md, ModelContract.SOURCE_DESCRIPTION),
                value(md, ModelContract.SOURCE_SHA256),
                value(md, ModelContract.COMPILER_VERSION),
                value(md, ModelContract.STRATEGY),
                value(md, ModelContract.STRATEGY_REASON),
                value(md, ModelContract.PRECISION));
    }

    private static Optional<String> value(Map<String, String> md, String key) {
        String v = md.get(key);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }
}
