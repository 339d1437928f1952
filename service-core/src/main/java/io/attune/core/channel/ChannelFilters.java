package io.attune.core.channel;

import io.attune.model.json.Json;
import io.attune.model.rest.ApiError.ErrorDetail;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;

/**
 * A channel's {@code filters}: {@code {"activity": ["created", …], "assigned_to": 5 | {"user": 5} |
 * {"group": "sre"}}}, both optional and ANDed; an absent key matches every event. Activities are the event's
 * routing key after {@code inquiry.} ({@code created}, {@code responded}, {@code timeout}, {@code cancelled},
 * {@code escalated}, {@code reminder}, and whatever later events add), so they are checked for form, not against
 * a fixed list.
 */
public final class ChannelFilters {
    private static final Set<String> FIELDS = Set.of("activity", "assigned_to");
    private static final Pattern ACTIVITY = Pattern.compile("[a-z][a-z_]{0,31}");

    private ChannelFilters() {
    }

    public static ObjectNode normalise(JsonNode given, List<ErrorDetail> problems) {
        ObjectNode filters = Json.mapper().createObjectNode();
        if (given == null || given.isNull()) {
            return filters;
        }
        if (!given.isObject()) {
            problems.add(new ErrorDetail("/filters", "filters must be an object: {\"activity\": [...], \"assigned_to\": id}"));
            return filters;
        }
        for (Map.Entry<String, JsonNode> field : given.properties()) {
            if (!FIELDS.contains(field.getKey())) {
                problems.add(new ErrorDetail("/filters/" + field.getKey(), "filters are activity and assigned_to"));
            }
        }
        JsonNode activity = given.get("activity");
        if (activity != null && !activity.isNull()) {
            if (!activity.isArray() || activity.isEmpty()) {
                problems.add(new ErrorDetail("/filters/activity", "activity must be a non-empty array of activities "
                        + "(created, responded, timeout, cancelled, escalated, reminder)"));
            } else {
                for (int i = 0; i < activity.size(); i++) {
                    JsonNode item = activity.get(i);
                    if (!item.isString() || !ACTIVITY.matcher(item.asString()).matches()) {
                        problems.add(new ErrorDetail("/filters/activity/" + i, "an activity is a lower-case word "
                                + "such as created or responded"));
                    }
                }
                filters.set("activity", activity);
            }
        }
        JsonNode assigned = given.get("assigned_to");
        if (assigned != null && !assigned.isNull()) {
            if (assigned.isIntegralNumber() && assigned.canConvertToLong()) {
                filters.set("assigned_to", assigned);
            } else if (assigned.isObject() && assigned.size() == 1 && assigned.path("user").isIntegralNumber()) {
                filters.set("assigned_to", assigned);
            } else if (assigned.isObject() && assigned.size() == 1 && assigned.path("group").isString()) {
                filters.set("assigned_to", assigned);
            } else {
                problems.add(new ErrorDetail("/filters/assigned_to", "assigned_to is an identity id, {\"user\": id} "
                        + "or {\"group\": \"name\"}"));
            }
        }
        return filters;
    }

    /** The identity an {@code assigned_to} filter names, or null (none, or a group). */
    public static Long filteredUser(JsonNode filters) {
        JsonNode assigned = filters == null ? null : filters.get("assigned_to");
        if (assigned == null) {
            return null;
        }
        JsonNode user = assigned.isObject() ? assigned.get("user") : assigned;
        return user != null && user.canConvertToLong() ? user.asLong() : null;
    }

    /**
     * Whether an event of {@code activity} about an inquiry assigned to {@code assignees} passes {@code filters};
     * {@code inGroup} answers whether an identity is a member of a named group.
     */
    public static boolean matches(JsonNode filters, String activity, List<Long> assignees,
                                  BiPredicate<Long, String> inGroup) {
        if (filters == null) {
            return true;
        }
        JsonNode activities = filters.get("activity");
        if (activities != null && activities.isArray()) {
            boolean any = false;
            for (JsonNode wanted : activities) {
                any |= wanted.asString().equals(activity);
            }
            if (!any) {
                return false;
            }
        }
        JsonNode assigned = filters.get("assigned_to");
        if (assigned == null) {
            return true;
        }
        if (assigned.isObject() && assigned.has("group")) {
            String group = assigned.get("group").asString();
            return assignees.stream().anyMatch(id -> inGroup.test(id, group));
        }
        Long user = filteredUser(filters);
        return user != null && assignees.contains(user);
    }
}
