package io.attune.cli.render;

import io.attune.cli.schema.Questions;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an action reported when it asked (the execution's result without {@code __inquiry}) as text, like the web
 * UI's context view: an object's simple fields as a two-column table under humanised keys, nested objects as indented
 * sections, lists of objects as tables (one column per key), lists of simple values as numbered lines.
 */
public final class ContextView {
    private static final int CELL_LIMIT = 60;
    private static final int MAX_DEPTH = 8;

    private ContextView() {
    }

    public static String render(JsonNode value, String indent) {
        StringBuilder text = new StringBuilder();
        render(value, indent, text, 0);
        return text.toString();
    }

    private static void render(JsonNode value, String indent, StringBuilder text, int depth) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            text.append(indent).append("(nothing)\n");
        } else if (depth >= MAX_DEPTH) {
            text.append(indent).append(value).append('\n');
        } else if (value.isObject()) {
            object(value, indent, text, depth);
        } else if (value.isArray()) {
            array(value, indent, text, depth);
        } else {
            text.append(indent).append(scalar(value)).append('\n');
        }
    }

    private static void object(JsonNode object, String indent, StringBuilder text, int depth) {
        if (object.isEmpty()) {
            text.append(indent).append("(empty)\n");
            return;
        }
        TextTable simple = TextTable.of("", "");
        List<Map.Entry<String, JsonNode>> nested = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            if (isSimple(field.getValue()) || isSimpleList(field.getValue()) && field.getValue().size() <= 1) {
                simple.row(Questions.humanise(field.getKey()), field.getValue().isArray()
                        ? field.getValue().isEmpty() ? "(none)" : scalar(field.getValue().get(0)) : scalar(field.getValue()));
            } else {
                nested.add(field);
            }
        }
        if (!simple.isEmpty()) {
            // a table without its (empty) header line
            String rendered = simple.render(indent);
            text.append(rendered.substring(rendered.indexOf('\n') + 1));
        }
        for (Map.Entry<String, JsonNode> field : nested) {
            text.append(indent).append(Questions.humanise(field.getKey())).append('\n');
            render(field.getValue(), indent + "  ", text, depth + 1);
        }
    }

    private static void array(JsonNode array, String indent, StringBuilder text, int depth) {
        if (array.isEmpty()) {
            text.append(indent).append("(none)\n");
            return;
        }
        if (isTable(array)) {
            Set<String> columns = new LinkedHashSet<>();
            array.forEach(row -> columns.addAll(row.propertyNames()));
            TextTable table = TextTable.of(columns.stream().map(Questions::humanise).toArray(String[]::new));
            for (int i = 0; i < columns.size(); i++) {
                table.limit(i, CELL_LIMIT);
            }
            for (JsonNode row : array) {
                table.row(columns.stream().map(column -> row.has(column) ? scalar(row.get(column)) : "").toArray());
            }
            text.append(table.render(indent));
            return;
        }
        int n = 1;
        for (JsonNode item : array) {
            if (isSimple(item)) {
                text.append(indent).append(n).append(". ").append(scalar(item)).append('\n');
            } else {
                text.append(indent).append(n).append(".\n");
                render(item, indent + "   ", text, depth + 1);
            }
            n++;
        }
    }

    /** Objects whose fields are all simple: one row each. */
    private static boolean isTable(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isObject() || item.isEmpty()) {
                return false;
            }
            for (JsonNode field : item) {
                if (!isSimple(field)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isSimple(JsonNode value) {
        return value.isValueNode() || value.isNull();
    }

    private static boolean isSimpleList(JsonNode value) {
        if (!value.isArray()) {
            return false;
        }
        for (JsonNode item : value) {
            if (!isSimple(item)) {
                return false;
            }
        }
        return true;
    }

    static String scalar(JsonNode value) {
        if (value.isNull()) {
            return "—";
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
