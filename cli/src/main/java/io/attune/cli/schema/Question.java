package io.attune.cli.schema;

import tools.jackson.databind.JsonNode;

import java.util.List;

/**
 * One thing a {@code response_schema} asks: where the answer goes ({@code pointer}, e.g. {@code /rollback/plan}), how
 * it is typed in ({@code kind}), and what the schema says around it.
 *
 * @param choices for {@link Kind#CHOICE}: the allowed values; for a {@link Kind#LIST} of choices, the items' ones
 * @param item    for {@link Kind#LIST}: how one item is typed ({@code null} otherwise)
 */
public record Question(String pointer, String label, String description, Kind kind, List<JsonNode> choices,
                       JsonNode defaultValue, boolean required, Question item, JsonNode schema) {

    /** How an answer is typed in. */
    public enum Kind {
        /** yes or no */
        BOOLEAN,
        /** one of {@code choices} (an {@code enum} or {@code const}), by number or value */
        CHOICE,
        INTEGER,
        NUMBER,
        STRING,
        /** several items, comma-separated (or a JSON array) */
        LIST,
        /** anything the questions cannot express (oneOf, arrays of objects, no schema…): typed as JSON */
        JSON
    }

    public boolean hasDefault() {
        return defaultValue != null && !defaultValue.isMissingNode();
    }

    /** What the answer takes, for people: "yes/no", "one of: a, b", "whole number", "list of text"... */
    public String hint() {
        return switch (kind) {
            case BOOLEAN -> "yes/no";
            case CHOICE -> "one of: " + String.join(", ", choices.stream().map(Question::show).toList());
            case INTEGER -> "whole number";
            case NUMBER -> "number";
            case STRING -> "text";
            case LIST -> "list of " + item.hint() + ", comma-separated";
            case JSON -> "JSON";
        };
    }

    /** A value as a person reads it: strings without quotes, the rest as JSON. */
    public static String show(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "";
        }
        if (value.isString()) {
            return value.asString();
        }
        if (value.isBoolean()) {
            return value.asBoolean() ? "yes" : "no";
        }
        return value.toString();
    }
}
