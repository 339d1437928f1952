package io.attune.workflow.definition;

import io.attune.model.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** dev.cel:cel compiles and evaluates the workflow conditions on the Java this build runs on (17). */
class CelOnJava17Test {

    private static JsonNode eval(String condition, String resultJson) {
        Expression expression = Expression.condition(condition);
        return expression.evaluate(new Expression.Variables(Json.object(), Json.tree(resultJson), Json.object()));
    }

    @Test
    void runsOnThisJava() {
        assertThat(Runtime.version().feature()).isGreaterThanOrEqualTo(17);
    }

    @Test
    void approvedAndItsNegationOverMaps() {
        assertThat(eval("result.response.approved", "{\"response\": {\"approved\": true}}").asBoolean()).isTrue();
        assertThat(eval("result.response.approved", "{\"response\": {\"approved\": false}}").asBoolean()).isFalse();
        assertThat(eval("!result.response.approved", "{\"response\": {\"approved\": true}}").asBoolean()).isFalse();
        assertThat(eval("!result.response.approved", "{\"response\": {\"approved\": false}}").asBoolean()).isTrue();
    }

    @Test
    void nullsNumbersListsAndHas() {
        assertThat(eval("result.response.comments == null", "{\"response\": {\"comments\": null}}").asBoolean())
                .isTrue();
        assertThat(eval("result.count > 2", "{\"count\": 3}").asBoolean()).isTrue();
        assertThat(eval("size(result.ids) == 2 && 7 in result.ids", "{\"ids\": [7, 9]}").asBoolean()).isTrue();
        assertThat(eval("has(result.response.comments)", "{\"response\": {}}").asBoolean()).isFalse();
        assertThat(eval("result.status == 'timeout'", "{\"status\": \"timeout\"}").asBoolean()).isTrue();
    }

    @Test
    void aConditionMustBeBooleanAndCompile() {
        assertThatThrownBy(() -> Expression.condition("result.response.approved &&"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("column 1:28");
        assertThatThrownBy(() -> Expression.condition("'yes'"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMissingKeyIsAnEvaluationError() {
        assertThatThrownBy(() -> eval("result.response.approved", "{\"status\": \"timeout\"}"))
                .isInstanceOf(EvaluationException.class).hasMessageContaining("result.response.approved");
    }
}
