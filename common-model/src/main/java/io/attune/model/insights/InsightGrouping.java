package io.attune.model.insights;

import java.util.Arrays;
import java.util.Optional;

/** What {@code GET /api/v1/insights} groups by: {@code group_by=assignee|group|action_ref|day}. */
public enum InsightGrouping {
    ASSIGNEE("assignee"),
    GROUP("group"),
    ACTION_REF("action_ref"),
    /** The UTC day the inquiries were created (key {@code 2026-01-15}): outcome shares over time. */
    DAY("day");

    private final String wire;

    InsightGrouping(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<InsightGrouping> fromWire(String value) {
        return Arrays.stream(values()).filter(g -> g.wire.equals(value)).findFirst();
    }
}
