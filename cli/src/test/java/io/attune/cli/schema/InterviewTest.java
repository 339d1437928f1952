package io.attune.cli.schema;

import io.attune.cli.UsageException;
import io.attune.model.json.Json;
import io.attune.model.rest.ApiError.ErrorDetail;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InterviewTest {
    private static final List<Question> QUESTIONS = Questions.of(Json.tree("""
            {"type": "object", "required": ["approved", "environment"],
             "properties": {
               "approved": {"type": "boolean", "description": "Go ahead?"},
               "environment": {"enum": ["staging", "production"]},
               "replicas": {"type": "integer", "default": 2},
               "comments": {"type": "string"}}}
            """));

    @Test
    void asksEachQuestionMarksRequiredOnesTakesDefaultsAndLeavesUntouchedOnesOut() {
        ScriptedTerminal terminal = new ScriptedTerminal("", "yes", "production", "", "");
        JsonNode answer = new Interview(terminal).ask(QUESTIONS);

        assertThat(answer).isEqualTo(Json.tree("{\"approved\": true, \"environment\": \"production\", \"replicas\": 2}"));
        assertThat(terminal.screen())
                .contains("  Go ahead?\n* Approved (yes/no): \n  an answer is required\n* Approved (yes/no): yes")
                .contains("    1) staging 2) production\n* Environment (one of: staging, production): production")
                .contains("  Replicas (whole number) [2]: ")
                .contains("  Comments (text): ");
    }

    @Test
    void aMistakeInFormIsExplainedAndAskedAgain() {
        ScriptedTerminal terminal = new ScriptedTerminal("sure", "n", "9", "1", "two", "3", "fine");
        JsonNode answer = new Interview(terminal).ask(QUESTIONS);
        assertThat(answer).isEqualTo(Json.tree(
                "{\"approved\": false, \"environment\": \"staging\", \"replicas\": 3, \"comments\": \"fine\"}"));
        assertThat(terminal.screen()).contains("answer yes or no", "choose one of: staging, production",
                "a whole number is needed, not 'two'");
    }

    @Test
    void afterTheServersRefusalOnlyTheNamedFieldsAreAskedAgainWithWhatWasGiven() {
        JsonNode previous = Json.tree("{\"approved\": true, \"environment\": \"staging\", \"replicas\": 0}");
        ScriptedTerminal terminal = new ScriptedTerminal("4");
        JsonNode answer = new Interview(terminal).askAgain(QUESTIONS, previous,
                List.of(new ErrorDetail("/replicas", "must have a minimum value of 1")));
        assertThat(answer).isEqualTo(Json.tree("{\"approved\": true, \"environment\": \"staging\", \"replicas\": 4}"));
        assertThat(terminal.screen())
                .contains("Replicas (/replicas): must have a minimum value of 1")
                .contains("  Replicas (whole number) [0]: 4")
                .doesNotContain("Approved (yes/no)");
    }

    @Test
    void aRefusalOfTheWholeAnswerAsksEverythingAgain() {
        assertThat(Interview.named(QUESTIONS, List.of(new ErrorDetail("", "property 'x' is not allowed"))))
                .isEqualTo(QUESTIONS);
        assertThat(Interview.named(QUESTIONS, List.of(new ErrorDetail("/environment", "bad"))))
                .extracting(Question::pointer).containsExactly("/environment");
    }

    @Test
    void theEndOfInputSendsNothing() {
        assertThatThrownBy(() -> new Interview(new ScriptedTerminal("yes")).ask(QUESTIONS))
                .isInstanceOf(UsageException.class).hasMessageContaining("nothing was sent");
    }
}
