package io.attune.worker.workflow;

import io.attune.model.json.Json;
import io.attune.workflow.definition.Expression;
import io.attune.workflow.definition.WorkflowDefinition;
import io.attune.workflow.definition.WorkflowParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The bundled example workflows are valid, and their expressions give what the README promises. */
class BundledWorkflowsTest {
    static final Path WORKFLOWS = Path.of("src/main/resources/packs/examples/workflows");

    static WorkflowDefinition load(String name) throws IOException {
        return WorkflowParser.parse("examples." + name, "examples/workflows/" + name + ".yaml",
                Files.readString(WORKFLOWS.resolve(name + ".yaml")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy_with_approval", "firewall_change", "guarded_import", "deploy_with_team_approval"})
    void everyExampleIsValid(String name) throws IOException {
        WorkflowDefinition definition = load(name);
        assertThat(definition.start()).hasSize(1);
        definition.tasks().values().stream().filter(task -> task.action() != null).forEach(task ->
                assertThat(WORKFLOWS.resolveSibling("actions").resolve(task.action().substring("examples.".length())
                        + ".py")).as("the action of task %s", task.name()).exists());
    }

    @Test
    void theTeamApprovalAsksTheGroupsGivenAsInput() throws IOException {
        WorkflowDefinition team = load("deploy_with_team_approval");
        var started = new Expression.Variables(Json.tree("""
                {"service": "billing-api", "version": "2.5.0", "approvers": "sre", "escalate_to": "sre-leads"}"""),
                Json.object(), Json.tree("""
                {"plan": {"status": "completed", "result": {"plan_id": "p-1", "summary": "3 steps"}}}"""));
        var inquiry = team.task("approve").inquiry().render(started);
        assertThat(Json.write(inquiry.get("assigned_to"))).isEqualTo("{\"group\":\"sre\"}");
        assertThat(Json.write(inquiry.at("/escalation/0/assign_to")))
                .isEqualTo("[{\"group\":\"sre\"},{\"group\":\"sre-leads\"}]");
        assertThat(inquiry.at("/escalation/0/after_seconds").asInt()).isEqualTo(900);
    }

    @Test
    void theFirewallRejectionReportNamesTheStepThatRefused() throws IOException {
        WorkflowDefinition firewall = load("firewall_change");
        var networkRefused = new Expression.Variables(Json.tree("{\"rules\": [{}], \"network_lead\": 2}"),
                Json.object(), Json.tree("""
                        {"analyze": {"status": "completed", "result": {"change_id": "fw-1"}},
                         "network_review": {"status": "completed", "result": {"status": "responded",
                           "response": {"approved": false, "review_notes": "no"}, "responded_by": 2}}}"""));
        var input = firewall.task("report_rejected").input().render(networkRefused);
        assertThat(input.path("subject").asString()).isEqualTo("Firewall change fw-1 (network review)");
        assertThat(input.at("/review/responded_by").asLong()).isEqualTo(2);
    }

    @Test
    void theGuardedImportExcludesWhatTheReviewerListed() throws IOException {
        WorkflowDefinition imports = load("guarded_import");
        var answered = new Expression.Variables(Json.tree("{\"records\": [{\"id\": 1}, {\"id\": 2}]}"),
                Json.object(), Json.tree("""
                        {"confirm": {"status": "completed", "result": {"status": "responded",
                           "response": {"continue": true, "exclude_records": [2]}}}}"""));
        assertThat(Json.write(imports.task("import_rest").input().render(answered).get("exclude"))).isEqualTo("[2]");
        var noneListed = new Expression.Variables(Json.tree("{\"records\": []}"), Json.object(), Json.tree("""
                {"confirm": {"status": "completed", "result": {"status": "responded", "response": {"continue": true}}}}"""));
        assertThat(Json.write(imports.task("import_rest").input().render(noneListed).get("exclude"))).isEqualTo("[]");
    }
}
