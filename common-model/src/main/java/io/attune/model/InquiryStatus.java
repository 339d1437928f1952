package io.attune.model;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Status of an inquiry (docs/protocol.md §1): pending, then exactly one of responded, timeout or cancelled. */
public enum InquiryStatus {
    PENDING, RESPONDED, TIMEOUT, CANCELLED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static InquiryStatus fromWire(String value) {
        return WireEnums.fromWire(InquiryStatus.class, value);
    }
}
