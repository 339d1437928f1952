package io.attune.workflow.definition;

import io.attune.model.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkflowParserTest {
    static final String DEPLOY = """
            description: Deploy a service once a person approves
            input: [service, version]
            tasks:
              plan:    {action: examples.plan_deploy, input: {service: "${input.service}", version: "${input.version}"}, next: [{do: approve}]}
              approve:
                inquiry: {prompt: "Deploy ${input.service} ${input.version}?", response_schema: {type: object}, timeout_seconds: 1800}
                next:
                  - {when: "result.response.approved", do: deploy}
                  - {when: "!result.response.approved", do: report_rejected}
              deploy:  {action: examples.deploy, input: {service: "${input.service}", version: "${input.version}"}}
              report_rejected: {action: examples.notify, input: {text: "${tasks.approve.result.response.comments}"}}
            """;

    private static List<DefinitionError> errors(String yaml) {
        try {
            WorkflowParser.parse("examples.broken", "examples/workflows/broken.yaml", yaml);
        } catch (InvalidDefinitionException e) {
            return e.errors();
        }
        throw new AssertionError("expected the definition to be refused");
    }

    @Test
    void readsTheDeploymentWorkflow() {
        WorkflowDefinition definition = WorkflowParser.parse("examples.deploy", "examples/workflows/deploy.yaml",
                DEPLOY);
        assertThat(definition.input()).containsExactly("service", "version");
        assertThat(definition.start()).containsExactly("plan");
        assertThat(definition.tasks()).containsOnlyKeys("plan", "approve", "deploy", "report_rejected");
        assertThat(definition.task("approve").kind()).isEqualTo(TaskDefinition.Kind.INQUIRY);
        assertThat(definition.task("approve").next()).hasSize(2);
        assertThat(definition.predecessors("deploy")).containsExactly("approve");
        var vars = new Expression.Variables(Json.tree("{\"service\": \"billing\", \"version\": 3}"), Json.object(),
                Json.object());
        assertThat(Json.write(definition.task("plan").input().render(vars)))
                .isEqualTo("{\"service\":\"billing\",\"version\":3}");
        assertThat(definition.task("approve").inquiry().render(vars).get("prompt").asString())
                .isEqualTo("Deploy billing 3?");
    }

    @Test
    void unknownTaskInNextWithFileAndLine() {
        List<DefinitionError> errors = errors("""
                tasks:
                  a:
                    action: examples.one
                    next:
                      - {do: b}
                """);
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.file()).isEqualTo("examples/workflows/broken.yaml");
            assertThat(e.line()).isEqualTo(5);
            assertThat(e.message()).contains("unknown task 'b'");
        });
    }

    @Test
    void expressionThatDoesNotCompile() {
        List<DefinitionError> errors = errors("""
                tasks:
                  a:
                    action: examples.one
                    next:
                      - when: "result.ok &&"
                        do: b
                  b: {action: examples.two}
                """);
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(5);
            assertThat(e.message()).contains("condition 'result.ok &&' does not compile");
        });
        assertThat(errors("""
                tasks:
                  a: {action: examples.one, input: {x: "${input.}"}}
                """).get(0).toString()).startsWith("examples/workflows/broken.yaml:2: task 'a': expression");
    }

    @Test
    void inputReadButNotDeclared() {
        List<DefinitionError> errors = errors("""
                input: [service]
                tasks:
                  a: {action: examples.one, input: {v: "${input.version}"}}
                """);
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(3);
            assertThat(e.message()).contains("reads input.version but 'input' does not list 'version'");
        });
    }

    @Test
    void cycleWithoutAWayOut() {
        List<DefinitionError> errors = errors("""
                tasks:
                  start: {action: examples.one, next: [{do: a}]}
                  a: {action: examples.one, next: [{do: b}]}
                  b: {action: examples.two, next: [{do: a}]}
                """);
        assertThat(errors).extracting(DefinitionError::message)
                .anyMatch(m -> m.contains("task 'a' is on a cycle without a way out"))
                .anyMatch(m -> m.contains("task 'b' is on a cycle without a way out"));
        // a condition is a way out: retrying until an answer says stop is fine
        WorkflowParser.parse("examples.retry", "f.yaml", """
                tasks:
                  start: {action: examples.one, next: [{do: ask}]}
                  ask:
                    inquiry: {prompt: "again?"}
                    next: [{when: "result.response.again", do: start2}]
                  start2: {action: examples.one, next: [{do: ask}]}
                """);
    }

    @Test
    void badYamlUnknownKeysAndMissingPieces() {
        assertThat(errors("tasks: [unclosed").get(0).message()).startsWith("not valid YAML");
        assertThat(errors("""
                tasks:
                  a: {action: examples.one, nxt: []}
                """).get(0).message()).contains("unknown key 'nxt'");
        assertThat(errors("""
                tasks:
                  a: {inquiry: {response_schema: {type: object}}}
                """).get(0).message()).contains("the inquiry needs a 'prompt'");
        assertThat(errors("""
                tasks:
                  a: {action: examples.one, inquiry: {prompt: x}}
                """).get(0).message()).contains("exactly one of 'action' or 'inquiry'");
        assertThat(errors("description: nothing\n").get(0).message()).contains("'tasks' is missing");
    }

    @Test
    void mixedTextInterpolationWritesJsonForNonStrings() {
        WorkflowDefinition definition = WorkflowParser.parse("examples.t", "f.yaml", """
                input: [ids]
                tasks:
                  a: {action: examples.one, input: {text: "excluding ${input.ids} (${size(input.ids)})", ids: "${input.ids}"}}
                """);
        var vars = new Expression.Variables(Json.tree("{\"ids\": [1, 2]}"), Json.object(), Json.object());
        assertThat(Json.write(definition.task("a").input().render(vars)))
                .isEqualTo("{\"text\":\"excluding [1,2] (2)\",\"ids\":[1,2]}");
    }

    @Test
    void refusesATaskNamedInAConditionThatDoesNotExist() {
        assertThatThrownBy(() -> WorkflowParser.parse("examples.t", "f.yaml", """
                tasks:
                  a: {action: examples.one, next: [{when: "tasks.nope.result.ok", do: b}]}
                  b: {action: examples.one}
                """)).isInstanceOf(InvalidDefinitionException.class).hasMessageContaining("no task 'nope'");
    }
}
