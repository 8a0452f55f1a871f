package org.ml2tensor.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ml2tensor.importers.sklearn.SklearnRegistry;

/** {@code ml2tensor list-estimators} is generated from the registries: every registered class appears once. */
class SupportedModelsTest {
    @Test
    void everyRegisteredClassIsListedUnderItsPublicModule() {
        Map<String, List<String>> byModule = SupportedModels.sklearnByModule();
        assertTrue(byModule.get("sklearn.ensemble").contains("RandomForestClassifier"), byModule.toString());
        assertTrue(byModule.get("sklearn.ensemble").contains("HistGradientBoostingRegressor"), byModule.toString());
        assertTrue(byModule.get("sklearn.pipeline").contains("Pipeline"), byModule.toString());
        assertTrue(byModule.get("xgboost").contains("XGBClassifier"), byModule.toString());
        long listed = byModule.values().stream().mapToLong(List::size).sum();
        assertEquals(SklearnRegistry.standard().supportedEstimators().size(), listed, byModule.toString());
        List<String> text = SupportedModels.render();
        assertTrue(text.stream().anyMatch(l -> l.contains("binary:logistic")), text.toString());
        assertTrue(text.stream().anyMatch(l -> l.contains("multiclassova")), text.toString());
    }
}
