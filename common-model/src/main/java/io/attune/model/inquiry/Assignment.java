package io.attune.model.inquiry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who may answer an inquiry ({@code assigned_to}): a user id, {@code {"user": id}}, {@code {"group": "name"}} or a
 * list of these, kept as given ({@link #given()} is what every view and event shows) and normalised to
 * {@link #assignees()}. Any listed user, or any member of a listed group, may answer.
 */
public record Assignment(JsonNode given, List<Assignee> assignees) {
    /** At most this many entries in a list: an assignment names people, it is not a directory. */
    public static final int MAX_ENTRIES = 50;
    private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public Assignment {
        assignees = List.copyOf(assignees);
    }

    /** One user or group. */
    public record Assignee(Long user, String group) {
        public static Assignee ofUser(long id) {
            return new Assignee(id, null);
        }

        public static Assignee ofGroup(String name) {
            return new Assignee(null, name);
        }

        /** The normalised key stored in {@code inquiry.assignee_keys}: {@code u:<id>} or {@code g:<name>}. */
        public String key() {
            return user != null ? "u:" + user : "g:" + group;
        }
    }

    /** The assignment of a single user, as inquiries assigned before groups existed were. */
    public static Assignment ofUser(long id) {
        return new Assignment(tools.jackson.databind.node.JsonNodeFactory.instance.numberNode(id),
                List.of(Assignee.ofUser(id)));
    }

    @JsonValue
    @Override
    public JsonNode given() {
        return given;
    }

    /** Reads an assignment as stored or sent; an invalid shape is an {@link IllegalArgumentException}. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Assignment of(JsonNode given) {
        List<String> problems = new ArrayList<>();
        Assignment assignment = parse(given, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return assignment;
    }

    /**
     * The assignment {@code given} describes, adding to {@code problems} (paths relative to it, then a message)
     * each reason it cannot be one; null for JSON null or when there are problems.
     */
    public static Assignment parse(JsonNode given, List<String> problems) {
        if (given == null || given.isNull()) {
            return null;
        }
        List<Assignee> assignees = new ArrayList<>();
        if (given.isArray()) {
            if (given.isEmpty()) {
                problems.add("assigned_to must not be an empty list (leave it out for anyone)");
            } else if (given.size() > MAX_ENTRIES) {
                problems.add("assigned_to lists " + given.size() + " entries; at most " + MAX_ENTRIES + " are allowed");
            } else {
                for (int i = 0; i < given.size(); i++) {
                    entry(given.get(i), "assigned_to[" + i + "]", false, assignees, problems);
                }
            }
        } else {
            entry(given, "assigned_to", true, assignees, problems);
        }
        if (!problems.isEmpty()) {
            return null;
        }
        Set<Assignee> distinct = new LinkedHashSet<>(assignees);
        return new Assignment(given, List.copyOf(distinct));
    }

    private static void entry(JsonNode node, String where, boolean single, List<Assignee> out,
                              List<String> problems) {
        if (node.isIntegralNumber()) {
            userId(node, where, out, problems);
        } else if (node.isObject() && node.size() == 1 && node.has("user")) {
            userId(node.get("user"), where + ".user", out, problems);
        } else if (node.isObject() && node.size() == 1 && node.has("group")) {
            JsonNode name = node.get("group");
            if (name.isString() && GROUP_NAME.matcher(name.asString()).matches()) {
                out.add(Assignee.ofGroup(name.asString()));
            } else {
                problems.add(where + ".group must be a group name (letters, digits, '.', '_', '-'; 1 to 64)");
            }
        } else {
            problems.add(where + " must be a user id, {\"user\": id}, {\"group\": \"name\"}"
                    + (single ? " or a list of these" : "") + ", not " + abbreviated(node));
        }
    }

    private static void userId(JsonNode node, String where, List<Assignee> out, List<String> problems) {
        if (node.isIntegralNumber() && node.canConvertToLong() && node.asLong() > 0) {
            out.add(Assignee.ofUser(node.asLong()));
        } else {
            problems.add(where + " must be an identity id (a positive integer), not " + abbreviated(node));
        }
    }

    private static String abbreviated(JsonNode node) {
        String text = node.toString();
        return text.length() > 60 ? text.substring(0, 60) + "…" : text;
    }

    /** Equal when written the same: 5 read from JSON and 5 made from a long are one assignment. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Assignment a && assignees.equals(a.assignees)
                && String.valueOf(given).equals(String.valueOf(a.given));
    }

    @Override
    public int hashCode() {
        return assignees.hashCode();
    }

    /** The assignee keys stored in {@code inquiry.assignee_keys}. */
    public List<String> keys() {
        return assignees.stream().map(Assignee::key).toList();
    }

    /** The identity when the assignment is exactly one user (the {@code inquiry.assigned_to} column), else null. */
    public Long singleUser() {
        return assignees.size() == 1 ? assignees.get(0).user() : null;
    }

    public List<Long> users() {
        return assignees.stream().filter(a -> a.user() != null).map(Assignee::user).toList();
    }

    public List<String> groups() {
        return assignees.stream().filter(a -> a.group() != null).map(Assignee::group).toList();
    }
}
