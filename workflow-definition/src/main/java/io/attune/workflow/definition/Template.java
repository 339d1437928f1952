package io.attune.workflow.definition;

import io.attune.model.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A JSON value in which strings may hold {@code ${…}} expressions, compiled once. A string that is exactly one
 * {@code ${…}} becomes the expression's value with its type (a number stays a number, an object an object); a string
 * mixing text and expressions becomes text, each value written as itself (strings) or as JSON (anything else).
 */
public final class Template {
    private sealed interface Part permits Text, Value {
    }

    private record Text(String text) implements Part {
    }

    private record Value(Expression expression) implements Part {
    }

    private sealed interface Node permits Literal, Interpolated, ObjectTemplate, ArrayTemplate {
    }

    private record Literal(JsonNode value) implements Node {
    }

    private record Interpolated(List<Part> parts) implements Node {
    }

    private record ObjectTemplate(Map<String, Node> fields) implements Node {
    }

    private record ArrayTemplate(List<Node> items) implements Node {
    }

    private final Node root;
    private final List<Expression> expressions;

    private Template(Node root, List<Expression> expressions) {
        this.root = root;
        this.expressions = List.copyOf(expressions);
    }

    /** Compiles every {@code ${…}} in {@code value}; throws IllegalArgumentException naming the first bad one. */
    public static Template of(JsonNode value) {
        List<Expression> expressions = new ArrayList<>();
        return new Template(compile(value, expressions), expressions);
    }

    Set<String> inputs() {
        Set<String> names = new TreeSet<>();
        expressions.forEach(e -> names.addAll(e.inputs()));
        return names;
    }

    Set<String> tasks() {
        Set<String> names = new TreeSet<>();
        expressions.forEach(e -> names.addAll(e.tasks()));
        return names;
    }

    public JsonNode render(Expression.Variables variables) {
        return render(root, variables);
    }

    private static Node compile(JsonNode value, List<Expression> expressions) {
        if (value == null) {
            return new Literal(JsonNodeFactory.instance.nullNode());
        }
        if (value.isString()) {
            List<Part> parts = parts(value.asString(), expressions);
            return parts.stream().allMatch(p -> p instanceof Text) ? new Literal(value) : new Interpolated(parts);
        }
        if (value.isObject()) {
            Map<String, Node> fields = new LinkedHashMap<>();
            value.properties().forEach(f -> fields.put(f.getKey(), compile(f.getValue(), expressions)));
            return new ObjectTemplate(fields);
        }
        if (value.isArray()) {
            List<Node> items = new ArrayList<>();
            value.forEach(item -> items.add(compile(item, expressions)));
            return new ArrayTemplate(items);
        }
        return new Literal(value);
    }

    /** Splits text at each {@code ${…}}, finding the closing brace past nested braces and quoted strings. */
    static List<Part> parts(String text, List<Expression> expressions) {
        List<Part> parts = new ArrayList<>();
        int from = 0;
        while (true) {
            int start = text.indexOf("${", from);
            if (start < 0) {
                if (from < text.length()) {
                    parts.add(new Text(text.substring(from)));
                }
                return parts;
            }
            if (start > from) {
                parts.add(new Text(text.substring(from, start)));
            }
            int end = closingBrace(text, start + 2);
            if (end < 0) {
                throw new IllegalArgumentException("'${' at position " + start + " of \"" + text + "\" is never closed");
            }
            String source = text.substring(start + 2, end).strip();
            if (source.isEmpty()) {
                throw new IllegalArgumentException("empty '${}' in \"" + text + "\"");
            }
            Expression expression;
            try {
                expression = Expression.value(source);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("expression '" + source + "' does not compile: " + e.getMessage());
            }
            expressions.add(expression);
            parts.add(new Value(expression));
            from = end + 1;
        }
    }

    private static int closingBrace(String text, int from) {
        int depth = 0;
        char quote = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            }
        }
        return -1;
    }

    private static JsonNode render(Node node, Expression.Variables variables) {
        if (node instanceof Literal literal) {
            return literal.value();
        }
        if (node instanceof Interpolated interpolated) {
            List<Part> parts = interpolated.parts();
            if (parts.size() == 1 && parts.get(0) instanceof Value only) {
                return only.expression().evaluate(variables);
            }
            StringBuilder text = new StringBuilder();
            for (Part part : parts) {
                if (part instanceof Text t) {
                    text.append(t.text());
                } else {
                    JsonNode value = ((Value) part).expression().evaluate(variables);
                    text.append(value.isString() ? value.asString() : Json.write(value));
                }
            }
            return JsonNodeFactory.instance.stringNode(text.toString());
        }
        if (node instanceof ObjectTemplate object) {
            ObjectNode rendered = Json.object();
            object.fields().forEach((name, field) -> rendered.set(name, render(field, variables)));
            return rendered;
        }
        ArrayNode rendered = JsonNodeFactory.instance.arrayNode();
        ((ArrayTemplate) node).items().forEach(item -> rendered.add(render(item, variables)));
        return rendered;
    }
}
