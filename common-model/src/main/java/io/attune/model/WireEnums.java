package io.attune.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Parses the lower-case wire names of the model's enums, with an error that lists what is accepted. */
public final class WireEnums {
    private WireEnums() {
    }

    public static <E extends Enum<E>> E fromWire(Class<E> type, String value) {
        if (value != null) {
            for (E constant : type.getEnumConstants()) {
                if (constant.name().toLowerCase(Locale.ROOT).equals(value)) {
                    return constant;
                }
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not one of " + accepted(type));
    }

    public static <E extends Enum<E>> String accepted(Class<E> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
    }
}
