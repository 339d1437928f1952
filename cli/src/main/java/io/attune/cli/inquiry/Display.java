package io.attune.cli.inquiry;

import io.attune.model.rest.AuditEntryView;
import io.attune.model.rest.InquiryView;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** How inquiries' fields read in text output. */
final class Display {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private Display() {
    }

    /** "you", "anyone" or "#5". */
    static String assignee(Long assignedTo, Long me) {
        if (assignedTo == null) {
            return "anyone";
        }
        return assignedTo.equals(me) ? "you (#" + assignedTo + ")" : "#" + assignedTo;
    }

    /** "you", "anyone", "#5", "group sre", "#5, group sre" for an assignment. */
    static String assignee(io.attune.model.inquiry.Assignment assignment, Long me) {
        if (assignment == null) {
            return "anyone";
        }
        return String.join(", ", assignment.assignees().stream()
                .map(a -> a.user() != null ? assignee(a.user(), me) : "group " + a.group()).toList());
    }

    static String time(Instant instant) {
        return instant == null ? "—" : TIME.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    private static io.attune.model.inquiry.Assignment assignmentIn(JsonNode given) {
        try {
            return given.isMissingNode() || given.isNull() ? null : io.attune.model.inquiry.Assignment.of(given);
        } catch (IllegalArgumentException unreadable) {
            return null;
        }
    }

    /** One line of what a history entry did: who it was for, the answer, the timeout… */
    static String historyDetails(AuditEntryView entry, Long me) {
        JsonNode details = entry.details();
        if (details == null || details.isNull() || details.isEmpty()) {
            return "";
        }
        return switch (entry.action()) {
            case "created" -> "for " + assignee(assignmentIn(details.path("assigned_to")), me)
                    + (details.path("timeout_at").isString() ? ", until "
                    + time(Instant.parse(details.path("timeout_at").asString())) : "");
            case "responded" -> details.has("response") ? details.path("response").toString() : details.toString();
            case "escalated" -> "step " + details.path("step").asInt() + ", now for "
                    + assignee(assignmentIn(details.path("assigned_to")), me);
            default -> details.toString();
        };
    }

    static String outcome(InquiryView inquiry, Long me) {
        return switch (inquiry.status()) {
            case PENDING -> "waiting for an answer";
            case RESPONDED -> "answered by " + assignee(inquiry.respondedBy(), me).replace("anyone", "?") + " at "
                    + time(inquiry.respondedAt());
            case TIMEOUT -> "nobody answered before " + time(inquiry.timeoutAt());
            case CANCELLED -> "cancelled at " + time(inquiry.updated());
        };
    }
}
