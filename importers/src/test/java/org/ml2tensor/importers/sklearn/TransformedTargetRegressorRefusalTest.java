package org.ml2tensor.importers.sklearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;
import org.ml2tensor.importers.ModelFormat;
import org.ml2tensor.importers.ModelImporter;

/**
 * TransformedTargetRegressor with a function ml2tensor cannot express is refused by name before anything is
 * converted — the pickle reader's allowlist names the first such global ({@code __main__.forward}, {@code numpy.log2})
 * and never resolves it to code (pickles from {@code importers/src/test/python/make_ttr_refusals.py}, scikit-learn 1.9.1).
 */
class TransformedTargetRegressorRefusalTest {
    private static final Path DIR = Path.of("src/test/resources/sklearn/skl1.9.1");

    @Test
    void aUserFunctionIsRefusedByName() {
        Ml2TensorException e = assertThrows(Ml2TensorException.class,
                () -> ModelImporter.load(DIR.resolve("ttr_user_function.pkl"), ModelFormat.SKLEARN));
        assertEquals(ErrorCode.MODEL_FORMAT, e.code());
        assertTrue(e.getMessage().contains("refused global __main__.forward") && e.getMessage().contains("not executed"),
                e.getMessage());
    }

    @Test
    void aUfuncWithoutAKnownInverseIsRefusedByName() {
        Ml2TensorException e = assertThrows(Ml2TensorException.class,
                () -> ModelImporter.load(DIR.resolve("ttr_exp2.pkl"), ModelFormat.SKLEARN));
        assertEquals(ErrorCode.MODEL_FORMAT, e.code());
        assertTrue(e.getMessage().contains("refused global numpy.log2") && e.getMessage().contains("not executed"),
                e.getMessage());
    }
}
