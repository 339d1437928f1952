package io.attune.core.identity;

import java.util.Locale;

/** The roles of docs/protocol.md §1: {@code admin} sees and cancels everything; {@code user} answers what is theirs. */
public enum Role {
    ADMIN, USER;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role fromWire(String value) {
        return io.attune.model.WireEnums.fromWire(Role.class, value);
    }
}
