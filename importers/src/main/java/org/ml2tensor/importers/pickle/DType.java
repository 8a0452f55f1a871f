package org.ml2tensor.importers.pickle;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;

/**
 * A resolved numpy dtype.
 *
 * @param kind     numpy kind character: {@code b i u f c O V S U M m}
 * @param itemSize bytes per element
 * @param order    byte order of multi-byte elements
 * @param fields   fields of a structured dtype in declaration order (empty otherwise)
 */
public record DType(char kind, int itemSize, ByteOrder order, List<Field> fields) {
    /** A field of a structured dtype: its type and its byte offset inside one record. */
    public record Field(String name, DType type, int offset) {
    }

    public DType {
        fields = List.copyOf(fields);
    }

    /** A little-endian scalar dtype. */
    public static DType scalar(char kind, int itemSize) {
        return new DType(kind, itemSize, ByteOrder.LITTLE_ENDIAN, List.of());
    }

    public boolean isStructured() {
        return !fields.isEmpty();
    }

    public boolean isObject() {
        return kind == 'O';
    }

    /** Whether elements decode to numbers: bool, signed/unsigned integers and floats. */
    public boolean isNumeric() {
        return switch (kind) {
            case 'b' -> itemSize == 1;
            case 'i', 'u' -> itemSize == 1 || itemSize == 2 || itemSize == 4 || itemSize == 8;
            case 'f' -> itemSize == 2 || itemSize == 4 || itemSize == 8;
            default -> false;
        };
    }

    public boolean isInteger() {
        return isNumeric() && (kind == 'i' || kind == 'u' || kind == 'b');
    }

    public Optional<Field> field(String name) {
        for (Field f : fields) {
            if (f.name().equals(name)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** numpy-style name: {@code float64}, {@code int32}, {@code bool}, {@code object}, {@code <U5}, {@code V64}. */
    public String describe() {
        return switch (kind) {
            case 'b' -> "bool";
            case 'i' -> "int" + itemSize * 8;
            case 'u' -> "uint" + itemSize * 8;
            case 'f' -> "float" + itemSize * 8;
            case 'c' -> "complex" + itemSize * 8;
            case 'O' -> "object";
            case 'U' -> "<U" + itemSize / 4;
            case 'S' -> "|S" + itemSize;
            case 'V' -> isStructured() ? "record" + fields.stream().map(Field::name).toList() : "V" + itemSize;
            default -> kind + Integer.toString(itemSize);
        };
    }

    @Override
    public String toString() {
        return describe();
    }
}
