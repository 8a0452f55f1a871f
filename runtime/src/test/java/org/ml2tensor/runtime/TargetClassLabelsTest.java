package org.ml2tensor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ml2tensor.contract.JsonStrings;

/** The {@code ml2tensor.target_class_labels} metadata value: a JSON array of string arrays, read strictly. */
class TargetClassLabelsTest {
    @Test
    void roundTripsWithEscapes() {
        List<List<String>> v = List.of(List.of("0", "1"), List.of("a \"b\"", "c,d", "é\n"), List.of("x", "y"));
        String json = JsonStrings.arrays(v);
        assertEquals("[[\"0\",\"1\"],[\"a \\\"b\\\"\",\"c,d\",\"é\\n\"],[\"x\",\"y\"]]", json);
        assertEquals(v, JsonStrings.parseArrays(json));
        assertEquals(List.of(List.of("0", "1"), List.of()), JsonStrings.parseArrays(" [ [0, 1] , [] ] "));
        assertEquals(List.of(), JsonStrings.parseArrays("[]"));
    }

    @Test
    void malformedValuesAreRefusedWithTheOffset() {
        for (String bad : List.of("", "[", "[[\"a\"]", "[[\"a\"]]x", "[\"a\"]", "[[[\"a\"]]]", "[[\"a\"],]", "{}")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonStrings.parseArrays(bad),
                    bad);
            assertEquals(true, e.getMessage().contains("offset"), e.getMessage());
        }
    }
}
