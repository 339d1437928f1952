package io.attune.e2e;

import io.attune.model.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 6, at the integration level: each bundled example, as the source tree has it, goes from
 * {@code POST /api/v1/executions} to a pending inquiry with the right prompt, schema and assignee, and the
 * execution's result carries the context the approver decides on.
 */
@StandardSuite.Uses
class ExampleActionsEndToEndTest {
    private static RunningSuite suite;
    private static java.nio.file.Path packs;
    private static String requesterToken;
    private static String adminToken;
    private static long approverId;
    private static String approverToken;

    @BeforeAll
    static void start(StandardSuite shared) {
        suite = shared.running();
        packs = shared.packs();
        String requester = shared.unique("requester");
        String approver = shared.unique("approver");
        suite.createIdentity(requester, "requester-password");
        requesterToken = suite.login(requester, "requester-password");
        approverId = suite.createIdentity(approver, "approver-password");
        // who approves is the pack's setting (its operator's), never a parameter the requester chooses
        TestPacks.exampleSettings(packs, "{\"deploy_approver_id\": " + approverId + ", \"security_lead_id\": "
                + approverId + "}");
        approverToken = suite.login(approver, "approver-password");
        adminToken = suite.adminToken();
    }

    @AfterAll
    static void restoreTheSettings() {
        if (packs != null) {
            TestPacks.exampleSettings(packs, TestPacks.shippedExampleSettings()); // as the next class expects them
        }
    }

    @Test
    void deploymentApprovalAsksTheNamedApproverWithThePlan() {
        Asked asked = run("examples.deploy_approval", Map.of("service", "billing", "version", "3.1.0",
                "target", "production", "changes", List.of("Add invoice export")));

        assertThat(asked.inquiry.path("prompt").asString())
                .isEqualTo("Approve deployment of billing v3.1.0 to production?");
        assertThat(asked.inquiry.path("assigned_to").asLong()).isEqualTo(approverId);
        JsonNode schema = asked.inquiry.path("response_schema");
        assertThat(schema.path("properties").path("approved").path("type").asString()).isEqualTo("boolean");
        assertThat(schema.path("required")).containsExactly(Json.mapper().getNodeFactory().stringNode("approved"));
        asked.assertTimesOutAfter(1800);

        JsonNode plan = asked.execution.path("result").path("deployment_plan");
        assertThat(plan.path("service").asString()).isEqualTo("billing");
        assertThat(plan.path("version").asString()).isEqualTo("3.1.0");
        assertThat(plan.path("target").asString()).isEqualTo("production");
        assertThat(plan.path("changes").get(0).asString()).isEqualTo("Add invoice export");
        assertThat(plan.path("steps").size()).isPositive();

        // The approver finds it in their own list; the requester, not assigned, does not see it.
        JsonNode approversList = suite.call("GET", "/api/v1/inquiries?status=pending", approverToken, null);
        assertThat(approversList.path("data").findValuesAsString("prompt"))
                .contains("Approve deployment of billing v3.1.0 to production?");
        assertThat(suite.send("GET", "/api/v1/inquiries/" + asked.inquiry.path("id").asLong(), requesterToken, null)
                .statusCode()).isEqualTo(404);
    }

    @Test
    void pythonDeploymentApprovalAsksExactlyWhatTheBashOneAsks() {
        assumeTrue(installed("python3"), "python3 is not installed");
        assertSameAsBash("examples.deploy_approval_python");
    }

    @Test
    void javaScriptDeploymentApprovalAsksExactlyWhatTheBashOneAsks() {
        assumeTrue(installed("node"), "node is not installed");
        assertSameAsBash("examples.deploy_approval_js");
    }

    @Test
    void dataImportWithAnomaliesAsksAnyoneWhetherToContinueAndListsThem() {
        Asked asked = run("examples.data_import", Map.of("source", "crm-export"));

        assertThat(asked.inquiry.path("prompt").asString()).isEqualTo("Found 4 anomalies. Continue import?");
        assertThat(asked.inquiry.path("assigned_to").isNull()).isTrue();
        JsonNode schema = asked.inquiry.path("response_schema");
        assertThat(schema.path("properties").path("continue").path("type").asString()).isEqualTo("boolean");
        assertThat(schema.path("properties").path("exclude_records").path("type").asString()).isEqualTo("array");
        asked.assertTimesOutAfter(3600);

        JsonNode result = asked.execution.path("result");
        assertThat(result.path("anomalies").size()).isEqualTo(4);
        assertThat(result.path("anomalies").get(0).path("issue").asString()).isEqualTo("not a valid e-mail address");
        assertThat(result.path("import_summary").path("source").asString()).isEqualTo("crm-export");
        assertThat(result.path("import_summary").path("records").asInt()).isEqualTo(5);

        // Unassigned: the requester sees it (someone else must answer it).
        assertThat(suite.call("GET", "/api/v1/inquiries/" + asked.inquiry.path("id").asLong(), requesterToken, null)
                .path("data").path("status").asString()).isEqualTo("pending");
    }

    @Test
    void highImpactFirewallReviewAsksTheSecurityLeadWithTheImpactAnalysis() {
        Map<String, Object> rdpFromAnywhere = Map.of("action", "allow", "protocol", "tcp", "port", 3389,
                "source", "0.0.0.0/0", "description", "remote desktop for the vendor");
        Asked asked = run("examples.firewall_review", Map.of("firewall", "dmz-firewall",
                "rules", List.of(rdpFromAnywhere)));

        assertThat(asked.inquiry.path("prompt").asString()).isEqualTo("High-impact firewall changes detected. Approve?");
        assertThat(asked.inquiry.path("assigned_to").asLong()).isEqualTo(approverId);
        assertThat(asked.inquiry.path("response_schema").path("properties").path("approved").path("type").asString())
                .isEqualTo("boolean");
        asked.assertTimesOutAfter(7200);

        JsonNode result = asked.execution.path("result");
        JsonNode impact = result.path("impact_analysis");
        assertThat(impact.path("severity").asString()).isEqualTo("high");
        assertThat(impact.path("firewall").asString()).isEqualTo("dmz-firewall");
        assertThat(impact.path("high_impact_rules").asInt()).isEqualTo(1);
        assertThat(impact.path("findings").get(0).path("summary").asString()).contains("3389");
        assertThat(result.path("proposed_rules")).isEqualTo(Json.mapper().valueToTree(List.of(rdpFromAnywhere)));
    }

    private void assertSameAsBash(String actionRef) {
        Map<String, Object> parameters = Map.of("service", "search", "version", "v1.4.2", "target", "staging",
                "changes", List.of("Faster \"quoted\" queries", "Unicode: é ✓"));
        Asked bash = run("examples.deploy_approval", parameters);
        Asked other = run(actionRef, parameters);

        assertThat(other.inquiry.path("prompt").asString()).isEqualTo("Approve deployment of search v1.4.2 to staging?");
        assertThat(other.inquiry.path("assigned_to").asLong()).isEqualTo(approverId);
        assertThat(other.inquiry.path("response_schema")).isEqualTo(bash.inquiry.path("response_schema"));
        assertThat(other.execution.path("result")).isEqualTo(bash.execution.path("result"));
        assertThat(other.execution.path("result").path("deployment_plan").path("changes").get(1).asString())
                .isEqualTo("Unicode: é ✓");
    }

    /** Runs an action through the API and waits until its execution waits on a pending inquiry. */
    private static Asked run(String actionRef, Map<String, Object> parameters) {
        JsonNode created = suite.call("POST", "/api/v1/executions", requesterToken,
                Json.write(Map.of("action_ref", actionRef, "parameters", parameters))).path("data");
        assertThat(created.path("status").asString()).isEqualTo("requested");
        long executionId = created.path("id").asLong();

        JsonNode execution = await(actionRef + " pauses on an inquiry").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> suite.call("GET", "/api/v1/executions/" + executionId, requesterToken, null).path("data"),
                        e -> !List.of("requested", "running").contains(e.path("status").asString()));
        assertThat(execution.path("status").asString()).as("%s: %s", actionRef, execution).isEqualTo("paused");

        JsonNode page = suite.call("GET", "/api/v1/inquiries?execution=" + executionId, adminToken, null);
        assertThat(page.path("total").asInt()).isEqualTo(1);
        long inquiryId = page.path("data").get(0).path("id").asLong();
        JsonNode inquiry = suite.call("GET", "/api/v1/inquiries/" + inquiryId, adminToken, null).path("data");
        assertThat(inquiry.path("status").asString()).isEqualTo("pending");
        assertThat(inquiry.path("execution").asLong()).isEqualTo(executionId);
        // What the action asked for is what the inquiry is; the rest of the result is the approver's context.
        JsonNode asked = execution.path("result").path("__inquiry");
        assertThat(inquiry.path("prompt")).isEqualTo(asked.path("prompt"));
        assertThat(inquiry.path("response_schema")).isEqualTo(asked.path("response_schema"));
        return new Asked(execution, inquiry);
    }

    private static boolean installed(String program) {
        try {
            Process process = new ProcessBuilder(program, "--version").redirectErrorStream(true).start();
            process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return process.waitFor(20, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private record Asked(JsonNode execution, JsonNode inquiry) {
        void assertTimesOutAfter(long seconds) {
            Instant created = Instant.parse(inquiry.path("created").asString());
            Instant timeoutAt = Instant.parse(inquiry.path("timeout_at").asString());
            assertThat(timeoutAt).isCloseTo(created.plusSeconds(seconds), within(10, java.time.temporal.ChronoUnit.SECONDS));
        }
    }
}
