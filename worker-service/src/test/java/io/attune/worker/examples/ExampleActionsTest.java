package io.attune.worker.examples;

import io.attune.core.inquiry.InquiryRequestValidator;
import io.attune.core.inquiry.JsonSchemas;
import io.attune.model.ExecutionStatus;
import io.attune.model.inquiry.InquiryRequest;
import io.attune.model.json.Json;
import io.attune.model.message.ExecutionCompleted;
import io.attune.worker.Interpreters;
import io.attune.worker.WorkerIntegrationTest;
import io.attune.worker.workflow.InquiryTemplateRegistration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The seed's use cases, run by the worker from the packs bundled in its jar (no ATTUNE_PACKS_DIR): each ends in an
 * ExecutionCompleted whose {@code __inquiry} passes the executor's validation — so it becomes a pending inquiry — and
 * carries the context an approver needs.
 */
class ExampleActionsTest extends WorkerIntegrationTest {
    static final String DEPLOYMENT = """
            {"service": "billing", "version": "3.1.0", "target": "production",
             "changes": ["Add invoice export", "Fix rounding of VAT (#123)"]}""";

    @Autowired
    InquiryRequestValidator validator;
    @Autowired
    JsonSchemas schemas;
    @LocalServerPort
    int port;

    @Test
    void deploymentApprovalAsksTheApproverWithTheDeploymentPlan() {
        ExecutionCompleted completed = runToCompletion(request("examples.deploy_approval", DEPLOYMENT));

        InquiryRequest inquiry = validInquiry(completed);
        assertThat(inquiry.prompt()).isEqualTo("Approve deployment of billing v3.1.0 to production?");
        // the bundled pack names no approver (settings.json): anyone but the requester may answer
        assertThat(inquiry.assignedTo()).isNull();
        assertThat(inquiry.timeoutSeconds()).isEqualTo(1800);
        assertThat(accepts(inquiry, "{\"approved\": true, \"rollback_plan\": \"redeploy 3.0.9\"}")).isTrue();
        assertThat(accepts(inquiry, "{\"approved\": false, \"comments\": \"not on a Friday\"}")).isTrue();
        assertThat(accepts(inquiry, "{\"comments\": \"no decision\"}")).isFalse();
        assertThat(accepts(inquiry, "{\"approved\": \"yes\"}")).isFalse();
        JsonNode plan = completed.result().get("deployment_plan");
        assertThat(plan.get("service").asString()).isEqualTo("billing");
        assertThat(plan.get("version").asString()).isEqualTo("3.1.0");
        assertThat(plan.get("target").asString()).isEqualTo("production");
        assertThat(plan.get("changes")).isEqualTo(Json.tree("[\"Add invoice export\", \"Fix rounding of VAT (#123)\"]"));
        assertThat(plan.get("steps").size()).isGreaterThan(1);
    }

    @Test
    void thePythonDeploymentApprovalAsksTheSame() {
        assumeTrue(Interpreters.onPath("python3"), "python3 is not installed");

        assertSameAsTheBashVersion("examples.deploy_approval_python");
    }

    @Test
    void theJavaScriptDeploymentApprovalAsksTheSame() {
        assumeTrue(Interpreters.onPath("node"), "node is not installed");

        assertSameAsTheBashVersion("examples.deploy_approval_js");
    }

    @Test
    void dataImportWithAnomaliesAsksWhetherToContinue() {
        ExecutionCompleted completed = runToCompletion(request("examples.data_import", "{}"));

        InquiryRequest inquiry = validInquiry(completed);
        assertThat(inquiry.prompt()).isEqualTo("Found 4 anomalies. Continue import?");
        assertThat(inquiry.assignedTo()).isNull();
        assertThat(inquiry.timeoutSeconds()).isEqualTo(3600);
        assertThat(completed.result().get("anomalies").size()).isEqualTo(4);
        assertThat(completed.result().get("anomalies").get(0).get("issue").asString())
                .isEqualTo("not a valid e-mail address");
        assertThat(accepts(inquiry, "{\"continue\": true, \"exclude_records\": [1, 3]}")).isTrue();
        assertThat(accepts(inquiry, "{\"continue\": false}")).isTrue();
        assertThat(accepts(inquiry, "{\"continue\": true, \"exclude_records\": [7]}"))
                .as("there is no record 7").isFalse();
        assertThat(accepts(inquiry, "{\"exclude_records\": [1]}")).isFalse();
    }

    @Test
    void dataImportWithoutAnomaliesImportsAtOnce() {
        ExecutionCompleted completed = runToCompletion(request("examples.data_import", """
                {"source": "crm.csv", "records": [{"id": 1, "email": "ann@example.com", "amount": 10},
                                                 {"id": 2, "email": "bob@example.com", "amount": 20.5}]}"""));

        assertThat(completed.status()).isEqualTo(ExecutionStatus.COMPLETED);
        assertThat(completed.result().has(InquiryRequest.KEY)).isFalse();
        assertThat(completed.result().get("status").asString()).isEqualTo("imported");
        assertThat(completed.result().get("imported_records").asInt()).isEqualTo(2);
    }

    @Test
    void highImpactFirewallChangesWaitForTheSecurityLead() {
        ExecutionCompleted completed = runToCompletion(request("examples.firewall_review", "{}"));

        InquiryRequest inquiry = validInquiry(completed);
        assertThat(inquiry.prompt()).isEqualTo("High-impact firewall changes detected. Approve?");
        assertThat(inquiry.assignedTo()).as("the bundled pack names no security lead").isNull();
        assertThat(inquiry.timeoutSeconds()).isEqualTo(7200);
        assertThat(accepts(inquiry, "{\"approved\": true, \"review_notes\": \"vendor access until Friday\"}")).isTrue();
        assertThat(accepts(inquiry, "{\"review_notes\": \"?\"}")).isFalse();
        JsonNode impact = completed.result().get("impact_analysis");
        assertThat(impact.get("severity").asString()).isEqualTo("high");
        assertThat(impact.get("findings").get(1).get("summary").asString())
                .isEqualTo("allows ssh on port 22/tcp from anywhere (0.0.0.0/0)");
        assertThat(completed.result().get("proposed_rules").size()).isEqualTo(3);
    }

    @Test
    void lowImpactFirewallChangesAreAppliedAtOnce() {
        ExecutionCompleted completed = runToCompletion(request("examples.firewall_review", """
                {"rules": [{"action": "allow", "port": 443, "source": "0.0.0.0/0"},
                           {"action": "allow", "port": 5432, "source": "10.0.0.0/8"}]}"""));

        assertThat(completed.status()).isEqualTo(ExecutionStatus.COMPLETED);
        assertThat(completed.result().has(InquiryRequest.KEY)).isFalse();
        assertThat(completed.result().get("status").asString()).isEqualTo("applied");
        assertThat(completed.result().get("impact_analysis").get("severity").asString()).isEqualTo("low");
    }

    @Test
    void healthIsUpWithTheDatabaseAndBrokerReachable() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Json.tree(response.body()).get("status").asString()).isEqualTo("UP");
    }

    @Test
    void theChangeBoardAsksForTwoApprovalsThroughTheBundledTemplate() {
        assumeTrue(Interpreters.onPath("python3"), "python3 is not installed");
        // registered by the worker at start-up from packs/examples/inquiries/change_approval.yaml
        ExecutionCompleted completed = runToCompletion(request("examples.change_board",
                "{\"change\": \"db failover\", \"risk\": \"medium\"}"));
        assertThat(completed.result().at("/__inquiry/template").asString()).isEqualTo("examples.change_approval");
        InquiryRequest inquiry = validInquiry(completed);
        assertThat(inquiry.prompt()).isEqualTo("Approve change db failover (risk: medium)?");
        assertThat(inquiry.responseSchema().get("title").asString()).isEqualTo("Change approval: db failover");
        assertThat(inquiry.approvalsRequired()).isEqualTo(2);
        assertThat(inquiry.decisionField()).isEqualTo("/approved");
        assertThat(inquiry.onTimeout().at("/response/approved").asBoolean(true)).isFalse();
        assertThat(inquiry.remindEverySeconds()).isEqualTo(3600L);
        assertThat(inquiry.timeoutSeconds()).isEqualTo(86400L);

        ExecutionCompleted risky = runToCompletion(request("examples.change_board",
                "{\"change\": \"drop table\", \"risk\": \"high\"}"));
        assertThat(validInquiry(risky).approvalsRequired()).as("the inline field overrides the template's")
                .isEqualTo(3);
    }

    @Test
    void aTemplateFileThatIsNotAMappingOfInquiryFieldsIsInvalid() {
        List<InquiryTemplateRegistration.Problem> problems = new ArrayList<>();
        assertThat(InquiryTemplateRegistration.read("prompt: [unclosed", problems)).isNull();
        assertThat(problems).singleElement().satisfies(p -> assertThat(p.message()).startsWith("not valid YAML"));
        problems.clear();
        assertThat(InquiryTemplateRegistration.read("prompt: Go?\npromt: typo\n", problems)).isNull();
        assertThat(problems).singleElement().satisfies(p -> assertThat(p.message()).contains("unknown field 'promt'"));
        problems.clear();
        assertThat(InquiryTemplateRegistration.read("prompt: Go {{x}}?\napprovals_required: 2\n", problems)
                .get("approvals_required").asInt()).isEqualTo(2);
        assertThat(problems).isEmpty();
    }

    private void assertSameAsTheBashVersion(String actionRef) {
        String parameters = DEPLOYMENT;
        ExecutionCompleted completed = runToCompletion(request(actionRef, parameters));
        ExecutionCompleted bash = runToCompletion(request("examples.deploy_approval", parameters));

        validInquiry(completed);
        assertThat(completed.result()).isEqualTo(bash.result());
    }

    /** The {@code __inquiry} of a completed run, as the executor's completion listener validates it. */
    private InquiryRequest validInquiry(ExecutionCompleted completed) {
        assertThat(completed.status()).as("result %s", completed.result()).isEqualTo(ExecutionStatus.COMPLETED);
        InquiryRequestValidator.Result validation = validator.validate(completed.result().get(InquiryRequest.KEY));
        assertThat(validation.problems()).as(validation.summary()).isEmpty();
        return validation.request();
    }

    private boolean accepts(InquiryRequest inquiry, String response) {
        return schemas.validate(inquiry.responseSchema(), Json.tree(response)).isEmpty();
    }
}
