package io.attune.model;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Status of an execution (docs/protocol.md §1). The lower-case name is what the database and the wire carry. */
public enum ExecutionStatus {
    REQUESTED, RUNNING, PAUSED, COMPLETED, FAILED, TIMEOUT, CANCELLED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Statuses after which nothing changes the execution any more. */
    public boolean isFinal() {
        return this == COMPLETED || this == FAILED || this == TIMEOUT || this == CANCELLED;
    }

    public static ExecutionStatus fromWire(String value) {
        return WireEnums.fromWire(ExecutionStatus.class, value);
    }
}
