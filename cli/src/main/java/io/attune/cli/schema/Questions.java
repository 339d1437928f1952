package io.attune.cli.schema;

import io.attune.cli.schema.Question.Kind;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a {@code response_schema} into the questions it asks, the way the web UI builds its form (docs/ui.md): an
 * object's properties (required ones first, nested objects flattened under their parent's label), booleans as
 * yes/no, {@code enum}/{@code const} as a choice, numbers and strings typed in, arrays of simple items as lists, and
 * anything else as JSON. No schema at all is one question: the whole answer as JSON. {@code readOnly} properties are
 * not asked.
 */
public final class Questions {
    private static final int MAX_DEPTH = 16;

    private Questions() {
    }

    public static List<Question> of(JsonNode schema) {
        if (schema == null || !schema.isObject() || !schema.path("properties").isObject()) {
            return List.of(new Question("", "Answer", description(schema), Kind.JSON, List.of(),
                    schema == null ? null : schema.get("default"), true, null, schema));
        }
        List<Question> questions = new ArrayList<>();
        addProperties(schema, "", "", questions, 0);
        return List.copyOf(questions);
    }

    private static void addProperties(JsonNode objectSchema, String pointer, String labelPrefix,
                                      List<Question> into, int depth) {
        Set<String> required = new HashSet<>();
        objectSchema.path("required").forEach(name -> required.add(name.asString()));
        List<Question> requiredFirst = new ArrayList<>();
        List<Question> optional = new ArrayList<>();
        for (var property : objectSchema.path("properties").properties()) {
            JsonNode schema = property.getValue();
            if (!schema.isObject() || schema.path("readOnly").asBoolean(false)) {
                continue;
            }
            String name = property.getKey();
            String childPointer = pointer + "/" + escape(name);
            String label = labelPrefix + label(name, schema);
            boolean isRequired = required.contains(name);
            if (isNestedObject(schema) && depth < MAX_DEPTH) {
                List<Question> nested = new ArrayList<>();
                addProperties(schema, childPointer, label + " › ", nested, depth + 1);
                (isRequired ? requiredFirst : optional).addAll(nested);
                continue;
            }
            (isRequired ? requiredFirst : optional).add(question(childPointer, label, schema, isRequired));
        }
        into.addAll(requiredFirst);
        into.addAll(optional);
    }

    static Question question(String pointer, String label, JsonNode schema, boolean required) {
        List<JsonNode> choices = choices(schema);
        JsonNode defaultValue = schema.get("default");
        if (!choices.isEmpty()) {
            return new Question(pointer, label, description(schema), Kind.CHOICE, choices, defaultValue, required,
                    null, schema);
        }
        String type = singleType(schema);
        Kind kind = switch (type == null ? "" : type) {
            case "boolean" -> Kind.BOOLEAN;
            case "integer" -> Kind.INTEGER;
            case "number" -> Kind.NUMBER;
            case "string" -> Kind.STRING;
            case "array" -> Kind.LIST;
            default -> Kind.JSON;
        };
        Question item = null;
        if (kind == Kind.LIST) {
            item = listItem(schema.path("items"));
            if (item == null) {
                kind = Kind.JSON;
            }
        }
        return new Question(pointer, label, description(schema), kind, List.of(), defaultValue, required, item, schema);
    }

    /** How one item of a list is typed, or null when items are not simple (objects, mixed types…). */
    private static Question listItem(JsonNode items) {
        if (!items.isObject()) {
            return null;
        }
        Question item = question("", "item", items, true);
        return item.kind() == Kind.LIST || item.kind() == Kind.JSON ? null : item;
    }

    private static List<JsonNode> choices(JsonNode schema) {
        if (schema.path("enum").isArray() && !schema.path("enum").isEmpty()) {
            List<JsonNode> values = new ArrayList<>();
            schema.path("enum").forEach(values::add);
            return List.copyOf(values);
        }
        if (schema.has("const")) {
            return List.of(schema.get("const"));
        }
        return List.of();
    }

    /** The one type a property has ({@code ["string", "null"]} counts as string); null when none or several. */
    private static String singleType(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isString()) {
            return type.asString();
        }
        if (type.isArray()) {
            List<String> types = new ArrayList<>();
            type.forEach(t -> {
                if (!"null".equals(t.asString())) {
                    types.add(t.asString());
                }
            });
            return types.size() == 1 ? types.get(0) : null;
        }
        return null;
    }

    private static boolean isNestedObject(JsonNode schema) {
        return "object".equals(singleType(schema)) && schema.path("properties").isObject()
                && !schema.path("properties").isEmpty() && !schema.has("oneOf") && !schema.has("anyOf")
                && !schema.has("allOf") && !schema.has("$ref");
    }

    private static String description(JsonNode schema) {
        return schema != null && schema.path("description").isString() ? schema.path("description").asString() : null;
    }

    /** The schema's {@code title}, else the property name humanised: {@code rollback_plan} → "Rollback plan". */
    static String label(String name, JsonNode schema) {
        if (schema.path("title").isString() && !schema.path("title").asString().isBlank()) {
            return schema.path("title").asString();
        }
        return humanise(name);
    }

    public static String humanise(String name) {
        String spaced = name.replace('_', ' ').replace('-', ' ')
                .replaceAll("([a-z0-9])([A-Z])", "$1 $2").trim();
        if (spaced.isEmpty()) {
            return name;
        }
        return spaced.substring(0, 1).toUpperCase(Locale.ROOT) + spaced.substring(1).toLowerCase(Locale.ROOT);
    }

    /** JSON pointer escaping of one key (RFC 6901). */
    static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
