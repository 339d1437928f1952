package io.attune.cli.schema;

import io.attune.cli.schema.Question.Kind;
import io.attune.model.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class QuestionsTest {

    @Test
    void eachPropertyBecomesAQuestionOfItsKindRequiredOnesFirst() {
        List<Question> questions = Questions.of(Json.tree("""
                {"type": "object",
                 "properties": {
                   "comments": {"type": "string", "description": "Anything to add?"},
                   "replicas": {"type": "integer", "default": 2},
                   "ratio": {"type": "number"},
                   "environment": {"enum": ["staging", "production"]},
                   "approved": {"type": "boolean", "title": "Go ahead?"},
                   "tags": {"type": "array", "items": {"type": "string"}},
                   "ports": {"type": "array", "items": {"type": "integer"}},
                   "regions": {"type": "array", "items": {"enum": ["eu", "us"]}},
                   "rules": {"type": "array", "items": {"type": "object"}},
                   "choice": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
                   "nickname": {"type": ["string", "null"]},
                   "internal_id": {"type": "string", "readOnly": true}
                 },
                 "required": ["approved", "environment"]}
                """));

        assertThat(questions).extracting(Question::pointer).containsExactly("/environment", "/approved",
                "/comments", "/replicas", "/ratio", "/tags", "/ports", "/regions", "/rules", "/choice", "/nickname");
        assertThat(questions).extracting(Question::kind).containsExactly(Kind.CHOICE, Kind.BOOLEAN, Kind.STRING,
                Kind.INTEGER, Kind.NUMBER, Kind.LIST, Kind.LIST, Kind.LIST, Kind.JSON, Kind.JSON, Kind.STRING);
        assertThat(questions).extracting(Question::required).containsExactly(true, true, false, false, false, false,
                false, false, false, false, false);
        Question approved = questions.get(1);
        assertThat(approved.label()).isEqualTo("Go ahead?");
        assertThat(approved.hint()).isEqualTo("yes/no");
        assertThat(questions.get(0).hint()).isEqualTo("one of: staging, production");
        assertThat(questions.get(2).description()).isEqualTo("Anything to add?");
        assertThat(questions.get(3).defaultValue()).isEqualTo(Json.tree("2"));
        assertThat(questions.get(5).hint()).isEqualTo("list of text, comma-separated");
        assertThat(questions.get(7).item().kind()).isEqualTo(Kind.CHOICE);
    }

    @Test
    void nestedObjectsAreAskedFieldByFieldUnderTheirParentsLabel() {
        List<Question> questions = Questions.of(Json.tree("""
                {"type": "object", "required": ["rollback"],
                 "properties": {"rollback": {"type": "object", "required": ["plan"],
                   "properties": {"plan": {"type": "string"}, "dry_run": {"type": "boolean"}}}}}
                """));
        assertThat(questions).extracting(Question::pointer).containsExactly("/rollback/plan", "/rollback/dry_run");
        assertThat(questions).extracting(Question::label).containsExactly("Rollback › Plan", "Rollback › Dry run");
        assertThat(questions.get(0).required()).isTrue();
    }

    @Test
    void withoutPropertiesTheWholeAnswerIsOneJsonQuestion() {
        for (String schema : List.of("null", "{}", "{\"type\": \"object\"}")) {
            List<Question> questions = Questions.of(Json.tree(schema));
            assertThat(questions).hasSize(1);
            assertThat(questions.get(0).pointer()).isEmpty();
            assertThat(questions.get(0).kind()).isEqualTo(Kind.JSON);
        }
        assertThat(Questions.of(null)).hasSize(1);
    }

    @Test
    void keysAreEscapedAsJsonPointers() {
        List<Question> questions = Questions.of(Json.tree(
                "{\"type\": \"object\", \"properties\": {\"a/b~c\": {\"type\": \"string\"}}}"));
        assertThat(questions.get(0).pointer()).isEqualTo("/a~1b~0c");
    }

    @Test
    void namesAreHumanised() {
        assertThat(Questions.humanise("rollback_plan")).isEqualTo("Rollback plan");
        assertThat(Questions.humanise("maxReplicas")).isEqualTo("Max replicas");
        assertThat(Questions.humanise("dry-run")).isEqualTo("Dry run");
    }
}
