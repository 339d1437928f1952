package io.attune.cli.schema;

import io.attune.cli.UsageException;
import io.attune.model.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import java.util.List;

/**
 * The answer from {@code --set} assignments, typed by the schema: {@code approved=yes} is {@code true} when
 * {@code approved} is a boolean, {@code count=3} a number when it is an integer, {@code tags=a,b} a list;
 * {@code key:=<json>} takes raw JSON; nested fields are {@code rollback.plan=…} or {@code /rollback/plan=…}. A key the
 * schema does not name is a string (the server decides whether it is allowed).
 */
public final class Assignments {
    private Assignments() {
    }

    /**
     * {@code base} (from {@code --data}, or null) with every assignment applied; when {@code withDefaults}, the
     * schema's defaults fill what neither set (as the web UI sends them).
     */
    public static JsonNode apply(List<Question> questions, JsonNode base, List<String> assignments,
                                 boolean withDefaults) {
        JsonNode answer = base == null ? Json.object() : base.deepCopy();
        for (String assignment : assignments) {
            int equals = assignment.indexOf('=');
            if (equals <= 0) {
                throw new UsageException("--set " + assignment + ": expected key=value (or key:=json)");
            }
            boolean raw = assignment.charAt(equals - 1) == ':';
            String key = assignment.substring(0, raw ? equals - 1 : equals).trim();
            String text = assignment.substring(equals + 1);
            String pointer = pointer(key);
            Question question = find(questions, pointer);
            JsonNode value;
            try {
                if (raw) {
                    value = Answers.json(text);
                } else if (question != null) {
                    value = Answers.parse(question, text);
                } else {
                    value = JsonNodeFactory.instance.stringNode(text);
                }
            } catch (InvalidAnswer invalid) {
                throw new UsageException("--set " + key + ": " + invalid.getMessage());
            }
            answer = Answers.put(answer, pointer, value);
        }
        if (withDefaults) {
            for (Question question : questions) {
                if (question.hasDefault() && !question.pointer().isEmpty()
                        && Answers.get(answer, question.pointer()) == null) {
                    answer = Answers.put(answer, question.pointer(), question.defaultValue().deepCopy());
                }
            }
        }
        return answer;
    }

    /** {@code a.b} or {@code /a/b} as a JSON pointer. */
    static String pointer(String key) {
        if (key.startsWith("/")) {
            return key;
        }
        if (key.isEmpty()) {
            throw new UsageException("--set: a key is needed before '='");
        }
        StringBuilder pointer = new StringBuilder();
        for (String part : key.split("\\.", -1)) {
            pointer.append('/').append(Questions.escape(part));
        }
        return pointer.toString();
    }

    private static Question find(List<Question> questions, String pointer) {
        for (Question question : questions) {
            if (question.pointer().equals(pointer)) {
                return question;
            }
        }
        return null;
    }
}
