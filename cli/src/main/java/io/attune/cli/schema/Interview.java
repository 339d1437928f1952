package io.attune.cli.schema;

import io.attune.cli.UsageException;
import io.attune.cli.schema.Question.Kind;
import io.attune.cli.term.Terminal;
import io.attune.model.rest.ApiError.ErrorDetail;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Asks a person the questions of a schema at the terminal and builds the answer: required ones marked {@code *},
 * defaults (or what was typed before) in brackets and taken on an empty line, a mistake in form explained and asked
 * again. After the server's 422, {@link #askAgain} shows each problem by its field and asks only those fields.
 */
public final class Interview {
    private final Terminal terminal;

    public Interview(Terminal terminal) {
        this.terminal = terminal;
    }

    /** Every question, once. */
    public JsonNode ask(List<Question> questions) {
        terminal.say("Questions (* = required; an empty line takes the value in brackets):");
        JsonNode answer = null;
        for (Question question : questions) {
            answer = askOne(question, answer, question.hasDefault() ? question.defaultValue() : null);
        }
        return answer == null ? io.attune.model.json.Json.object() : answer;
    }

    /** The questions the server's {@code details} name (all of them if it named none we know), shown first. */
    public JsonNode askAgain(List<Question> questions, JsonNode previous, List<ErrorDetail> details) {
        List<Question> named = named(questions, details);
        terminal.say("The server did not accept the answer:");
        for (ErrorDetail detail : details) {
            terminal.say("  " + labelFor(questions, detail.path()) + ": " + detail.message());
        }
        terminal.say("Please answer again (the value in brackets is what you gave):");
        JsonNode answer = previous;
        for (Question question : named) {
            JsonNode before = Answers.get(answer, question.pointer());
            answer = askOne(question, answer, before);
        }
        return answer;
    }

    /** The questions a set of problems is about: exact pointer, an item inside it, or the object around it. */
    public static List<Question> named(List<Question> questions, List<ErrorDetail> details) {
        List<Question> named = new ArrayList<>();
        for (Question question : questions) {
            for (ErrorDetail detail : details) {
                String path = detail.path() == null ? "" : detail.path();
                if (!path.isEmpty() && (path.equals(question.pointer()) || path.startsWith(question.pointer() + "/")
                        || question.pointer().startsWith(path + "/"))) {
                    named.add(question);
                    break;
                }
            }
        }
        return named.isEmpty() ? questions : named;
    }

    private static String labelFor(List<Question> questions, String path) {
        for (Question question : questions) {
            if (!question.pointer().isEmpty() && (question.pointer().equals(path) || path.startsWith(question.pointer() + "/"))) {
                return question.label() + " (" + path + ")";
            }
        }
        return path == null || path.isEmpty() ? "the answer" : path;
    }

    private JsonNode askOne(Question question, JsonNode answer, JsonNode suggested) {
        if (question.description() != null) {
            terminal.say("  " + question.description());
        }
        if (question.kind() == Kind.CHOICE) {
            List<JsonNode> choices = question.choices();
            StringBuilder listed = new StringBuilder("   ");
            for (int i = 0; i < choices.size(); i++) {
                listed.append(' ').append(i + 1).append(") ").append(Question.show(choices.get(i)));
            }
            terminal.say(listed.toString());
        }
        String prompt = (question.required() ? "* " : "  ") + question.label() + " (" + question.hint() + ")"
                + (suggested != null ? " [" + Question.show(suggested) + "]" : "") + ": ";
        while (true) {
            String typed = terminal.readLine(prompt);
            if (typed == null) {
                throw new UsageException("input ended: nothing was sent");
            }
            if (typed.isBlank()) {
                if (suggested != null) {
                    return Answers.put(answer, question.pointer(), suggested.deepCopy());
                }
                if (question.required()) {
                    terminal.say("  an answer is required");
                    continue;
                }
                Answers.remove(answer, question.pointer());
                return answer;
            }
            try {
                return Answers.put(answer, question.pointer(), Answers.parse(question, typed));
            } catch (InvalidAnswer invalid) {
                terminal.say("  " + invalid.getMessage());
            }
        }
    }
}
