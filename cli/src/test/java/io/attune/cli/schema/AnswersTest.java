package io.attune.cli.schema;

import io.attune.cli.UsageException;
import io.attune.model.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnswersTest {
    private static final List<Question> QUESTIONS = Questions.of(Json.tree("""
            {"type": "object", "required": ["approved"],
             "properties": {
               "approved": {"type": "boolean"},
               "replicas": {"type": "integer", "default": 2},
               "ratio": {"type": "number"},
               "environment": {"enum": ["staging", "production"]},
               "priority": {"enum": [1, 2, 3]},
               "tags": {"type": "array", "items": {"type": "string"}},
               "ports": {"type": "array", "items": {"type": "integer"}},
               "comments": {"type": "string"},
               "rollback": {"type": "object", "properties": {"plan": {"type": "string"}}}}}
            """));

    @Test
    void typedTextBecomesTheJsonTheQuestionWants() throws InvalidAnswer {
        assertThat(parse("/approved", "Y")).isEqualTo(Json.tree("true"));
        assertThat(parse("/approved", "no")).isEqualTo(Json.tree("false"));
        assertThat(parse("/replicas", "12")).isEqualTo(Json.tree("12"));
        assertThat(parse("/replicas", "-3")).isEqualTo(Json.tree("-3"));
        assertThat(parse("/ratio", "0.25").decimalValue()).isEqualByComparingTo("0.25");
        assertThat(parse("/environment", "2")).isEqualTo(Json.tree("\"production\""));
        assertThat(parse("/environment", "staging")).isEqualTo(Json.tree("\"staging\""));
        assertThat(parse("/environment", "PRODUCTION")).isEqualTo(Json.tree("\"production\""));
        // a number that is itself one of the values is that value, not a position
        assertThat(parse("/priority", "3")).isEqualTo(Json.tree("3"));
        assertThat(parse("/tags", "blue, green")).isEqualTo(Json.tree("[\"blue\", \"green\"]"));
        assertThat(parse("/tags", "[\"a, b\", \"c\"]")).isEqualTo(Json.tree("[\"a, b\", \"c\"]"));
        assertThat(parse("/ports", "80,443")).isEqualTo(Json.tree("[80, 443]"));
        assertThat(parse("/comments", " as typed ")).isEqualTo(Json.tree("\" as typed \""));
    }

    @Test
    void mistakesInFormAreExplained() {
        assertInvalid("/approved", "maybe", "answer yes or no");
        assertInvalid("/replicas", "1.5", "a whole number is needed, not '1.5'");
        assertInvalid("/ratio", "lots", "a number is needed, not 'lots'");
        assertInvalid("/environment", "3", "choose one of: staging, production (or its number)");
        assertInvalid("/ports", "80,http", "item 2: a whole number is needed, not 'http'");
        assertInvalid("/ports", "80,,443", "item 2 is empty");
    }

    @Test
    void setAssignmentsAreTypedByTheSchemaAndDefaultsFillTheRest() {
        JsonNode answer = Assignments.apply(QUESTIONS, null, List.of("approved=true", "tags=a,b",
                "rollback.plan=revert", "extra=7", "ports:=[1, 2]", "/comments=x=y"), true);
        assertThat(answer).isEqualTo(Json.tree("""
                {"approved": true, "tags": ["a", "b"], "rollback": {"plan": "revert"}, "extra": "7",
                 "ports": [1, 2], "comments": "x=y", "replicas": 2}
                """));
    }

    @Test
    void setOnTopOfDataKeepsDataAsGiven() {
        JsonNode answer = Assignments.apply(QUESTIONS, Json.tree("{\"approved\": false, \"comments\": \"c\"}"),
                List.of("approved=yes"), false);
        assertThat(answer).isEqualTo(Json.tree("{\"approved\": true, \"comments\": \"c\"}"));
    }

    @Test
    void aBadAssignmentIsAUsageMistake() {
        assertThatThrownBy(() -> Assignments.apply(QUESTIONS, null, List.of("approved=perhaps"), true))
                .isInstanceOf(UsageException.class).hasMessage("--set approved: answer yes or no");
        assertThatThrownBy(() -> Assignments.apply(QUESTIONS, null, List.of("approved"), true))
                .isInstanceOf(UsageException.class).hasMessageContaining("expected key=value");
        assertThatThrownBy(() -> Assignments.apply(QUESTIONS, null, List.of("ports:=[1,"), true))
                .isInstanceOf(UsageException.class).hasMessage("--set ports: not valid JSON");
    }

    private static JsonNode parse(String pointer, String text) throws InvalidAnswer {
        return Answers.parse(question(pointer), text);
    }

    private static void assertInvalid(String pointer, String text, String message) {
        assertThatThrownBy(() -> parse(pointer, text)).isInstanceOf(InvalidAnswer.class).hasMessage(message);
    }

    private static Question question(String pointer) {
        return QUESTIONS.stream().filter(q -> q.pointer().equals(pointer)).findFirst().orElseThrow();
    }
}
