package org.ml2tensor.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.ml2tensor.error.ErrorCode;
import org.ml2tensor.error.Ml2TensorException;

/**
 * XGBoost's legacy binary models (written by XGBoost 1.7.4's {@code save_model('m.model')} /
 * {@code 'm.bin'}, see {@code make_xgboost_fixtures.py}) get the same re-save hint with {@code --format auto}
 * as with {@code --format xgboost}.
 */
class LegacyXgboostDetectionTest {
    private static final Path DIR = Paths.get("src/test/resources/xgboost");

    @ParameterizedTest
    @ValueSource(strings = {"refused_legacy_binary.model", "refused_legacy_binary.bin"})
    void autoDetectionGivesTheResaveHint(String name) {
        Path file = DIR.resolve(name);
        for (ModelFormat f : new ModelFormat[]{ModelFormat.AUTO, ModelFormat.XGBOOST}) {
            Ml2TensorException e = assertThrows(Ml2TensorException.class, () -> ModelImporter.load(file, f));
            assertEquals(ErrorCode.MODEL_FORMAT, e.code(), f + ": " + e.getMessage());
            assertTrue(e.hint().contains("Booster.save_model('model.json')"), f + ": " + e.hint());
            assertTrue(e.context().contains(name), e.context());
        }
    }

    @Test
    void unknownBinaryModelFileNamesTheLegacyFormat(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("old.model");
        Files.write(file, new byte[]{0, 0, 0, 0x3f, 3, 0, 0, 0});
        Ml2TensorException e = assertThrows(Ml2TensorException.class, () -> ModelImporter.load(file, ModelFormat.AUTO));
        assertEquals(ErrorCode.MODEL_FORMAT, e.code());
        assertTrue(e.hint().contains("Booster.save_model('model.json')"), e.hint());
    }
}
