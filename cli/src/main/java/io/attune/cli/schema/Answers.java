package io.attune.cli.schema;

import io.attune.cli.schema.Question.Kind;
import io.attune.model.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads what a person typed as the JSON value a question wants, and places values in the response by their pointer.
 * Only the value's form is checked here (a number, yes/no, one of the choices); the schema's other rules (lengths,
 * ranges, patterns…) are the server's to check, and its 422 names the field to ask again.
 */
public final class Answers {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> YES = Set.of("y", "yes", "true");
    private static final Set<String> NO = Set.of("n", "no", "false");

    private Answers() {
    }

    public static JsonNode parse(Question question, String text) throws InvalidAnswer {
        String trimmed = text.trim();
        return switch (question.kind()) {
            case BOOLEAN -> {
                String lower = trimmed.toLowerCase(Locale.ROOT);
                if (YES.contains(lower)) {
                    yield NODES.booleanNode(true);
                }
                if (NO.contains(lower)) {
                    yield NODES.booleanNode(false);
                }
                throw new InvalidAnswer("answer yes or no");
            }
            case CHOICE -> choice(question, trimmed);
            case INTEGER -> {
                if (!trimmed.matches("[-+]?\\d+")) {
                    throw new InvalidAnswer("a whole number is needed, not '" + trimmed + "'");
                }
                yield integer(trimmed.startsWith("+") ? trimmed.substring(1) : trimmed);
            }
            case NUMBER -> {
                try {
                    BigDecimal number = new BigDecimal(trimmed);
                    yield trimmed.matches("[-+]?\\d+") ? integer(number.toBigInteger().toString())
                            : NODES.numberNode(number);
                } catch (NumberFormatException e) {
                    throw new InvalidAnswer("a number is needed, not '" + trimmed + "'");
                }
            }
            // text is taken as typed: leading or trailing spaces may matter to the schema
            case STRING -> NODES.stringNode(text);
            case LIST -> list(question, trimmed);
            case JSON -> json(trimmed);
        };
    }

    /** The smallest node that holds it (an int where an int will do), as the server's parser would read it. */
    private static JsonNode integer(String digits) {
        return Json.tree(new BigInteger(digits).toString());
    }

    private static JsonNode choice(Question question, String typed) throws InvalidAnswer {
        List<JsonNode> choices = question.choices();
        if (typed.matches("\\d{1,4}")) {
            int number = Integer.parseInt(typed);
            // a number is a position in the list, unless it is itself one of the values (enum [1, 2, 3])
            for (JsonNode choice : choices) {
                if (choice.isNumber() && choice.decimalValue().compareTo(new BigDecimal(typed)) == 0) {
                    return choice;
                }
            }
            if (number >= 1 && number <= choices.size()) {
                return choices.get(number - 1);
            }
        }
        for (JsonNode choice : choices) {
            if (Question.show(choice).equals(typed) || choice.toString().equals(typed)) {
                return choice;
            }
        }
        for (JsonNode choice : choices) {
            if (Question.show(choice).equalsIgnoreCase(typed)) {
                return choice;
            }
        }
        throw new InvalidAnswer("choose one of: " + String.join(", ", choices.stream().map(Question::show).toList())
                + " (or its number)");
    }

    private static JsonNode list(Question question, String typed) throws InvalidAnswer {
        if (typed.startsWith("[")) {
            JsonNode parsed = json(typed);
            if (!parsed.isArray()) {
                throw new InvalidAnswer("a JSON array is needed");
            }
            return parsed;
        }
        ArrayNode items = NODES.arrayNode();
        if (typed.isEmpty()) {
            return items;
        }
        List<String> parts = new ArrayList<>(List.of(typed.split(",", -1)));
        for (int i = 0; i < parts.size(); i++) {
            String part = parts.get(i).trim();
            if (part.isEmpty()) {
                throw new InvalidAnswer("item " + (i + 1) + " is empty");
            }
            try {
                items.add(parse(question.item(), part));
            } catch (InvalidAnswer e) {
                throw new InvalidAnswer("item " + (i + 1) + ": " + e.getMessage());
            }
        }
        return items;
    }

    static JsonNode json(String typed) throws InvalidAnswer {
        try {
            return Json.tree(typed);
        } catch (RuntimeException e) {
            throw new InvalidAnswer("not valid JSON");
        }
    }

    /** Sets {@code value} at {@code pointer} ({@code /a/b}), creating the objects on the way; "" replaces the root. */
    public static JsonNode put(JsonNode root, String pointer, JsonNode value) {
        if (pointer.isEmpty()) {
            return value;
        }
        ObjectNode target = root != null && root.isObject() ? (ObjectNode) root : Json.object();
        ObjectNode current = target;
        List<String> keys = keys(pointer);
        for (int i = 0; i < keys.size() - 1; i++) {
            JsonNode next = current.get(keys.get(i));
            if (next == null || !next.isObject()) {
                next = current.putObject(keys.get(i));
            }
            current = (ObjectNode) next;
        }
        current.set(keys.get(keys.size() - 1), value);
        return target;
    }

    /** The value at {@code pointer}, or null. */
    public static JsonNode get(JsonNode root, String pointer) {
        if (root == null) {
            return null;
        }
        JsonNode found = pointer.isEmpty() ? root : root.at(pointer);
        return found.isMissingNode() ? null : found;
    }

    /** Removes what is at {@code pointer} (a value typed earlier and left empty now). */
    public static void remove(JsonNode root, String pointer) {
        if (pointer.isEmpty() || root == null) {
            return;
        }
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = slash == 0 ? root : root.at(pointer.substring(0, slash));
        if (parent.isObject()) {
            List<String> keys = keys(pointer);
            ((ObjectNode) parent).remove(keys.get(keys.size() - 1));
        }
    }

    private static List<String> keys(String pointer) {
        List<String> keys = new ArrayList<>();
        for (String key : pointer.substring(1).split("/", -1)) {
            keys.add(key.replace("~1", "/").replace("~0", "~"));
        }
        return keys;
    }
}
