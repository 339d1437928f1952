package io.attune.api.execution;

import io.attune.api.ApiClient.Response;
import io.attune.api.ApiIntegrationTest;
import io.attune.core.execution.Execution;
import io.attune.core.identity.Actor;
import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import io.attune.core.inquiry.Inquiry;
import io.attune.core.inquiry.InquiryRepository;
import io.attune.core.workflow.WorkflowRepository;
import io.attune.model.ExecutionStatus;
import io.attune.model.InquiryStatus;
import io.attune.model.inquiry.InquiryRequest;
import io.attune.model.json.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Starting a workflow, reading its chain and cancelling it through the API (the engine itself is the executor's). */
class WorkflowApiTest extends ApiIntegrationTest {
    @Autowired
    WorkflowRepository workflows;
    @Autowired
    InquiryRepository inquiries;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        start(registry);
    }

    @BeforeEach
    void definitions() {
        workflows.register("tests.deploy", "tests/workflows/deploy.yaml", "input: [service, version]\ntasks: {}",
                "c0ffee", List.of("service", "version"), null, Json.tree("{\"tasks\": []}"));
        workflows.register("tests.broken", "tests/workflows/broken.yaml", "tasks: ...", "invalid", List.of(),
                Json.tree("[{\"file\": \"tests/workflows/broken.yaml\", \"line\": 4, "
                        + "\"message\": \"task 'a': next names unknown task 'b'\"}]"), null);
    }

    @Test
    void aWorkflowStartsWithItsDefinitionAndItsInputIsChecked() {
        Identity ada = identity();
        Response created = api().post("/api/v1/executions", token(ada),
                "{\"action_ref\": \"tests.deploy\", \"parameters\": {\"service\": \"billing\", \"version\": \"2\"}}");
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        long id = created.data().get("id").asLong();
        assertThat(created.data().get("status").asString()).isEqualTo("requested");
        assertThat(workflows.run(id)).hasValueSatisfying(run -> assertThat(run.checksum()).isEqualTo("c0ffee"));
        Response workflow = api().get("/api/v1/executions/" + id + "/workflow", token(ada));
        assertThat(workflow.status()).as("%s", workflow).isEqualTo(200);
        assertThat(workflow.data().get("ref").asString()).isEqualTo("tests.deploy");
        assertThat(workflow.data().get("outline")).isEqualTo(Json.tree("{\"tasks\": []}"));
        assertError(api().get("/api/v1/executions/" + id + "/workflow", token(identity())), 404, "NOT_FOUND");

        JsonNode missing = assertError(api().post("/api/v1/executions", token(ada),
                "{\"action_ref\": \"tests.deploy\", \"parameters\": {\"service\": \"billing\"}}"), 422,
                "VALIDATION_ERROR");
        assertThat(missing.get("details").get(0).get("path").asString()).isEqualTo("/parameters/version");
        JsonNode broken = assertError(api().post("/api/v1/executions", token(ada),
                "{\"action_ref\": \"tests.broken\", \"parameters\": {}}"), 422, "VALIDATION_ERROR");
        assertThat(broken.get("details").get(0).get("path").asString()).isEqualTo("tests/workflows/broken.yaml:4");
        assertThat(broken.get("details").get(0).get("message").asString()).contains("unknown task 'b'");
        assertThat(jdbc.sql("SELECT count(*) FROM attune.execution WHERE requested_by = ?").param(ada.id())
                .query(Long.class).single()).as("nothing created for a refusal").isEqualTo(1);
    }

    @Test
    void childrenAndTheChainsInquiriesOldestFirstForThoseWhoMayRead() {
        Identity requester = identity();
        Identity other = identity();
        Execution workflow = executions.insert("tests.deploy", Json.object(), requester.id());
        Execution first = executions.insertChild(workflow.id(), "core.ask", Json.object(), requester.id());
        Execution second = executions.insertChild(workflow.id(), "core.ask", Json.object(), requester.id());
        Identity third = identity();
        Inquiry answeredEarlier = ask(first, other.id());
        inquiryTransitions.respond(answeredEarlier.id(), new Actor(other.id(), other.login(), Set.of(Role.USER)),
                Json.tree("{\"approved\": true}"), null);
        Inquiry assignedToOther = ask(second, third.id());

        Response children = api().get("/api/v1/executions/" + workflow.id() + "/children", token(requester));
        assertThat(children.status()).isEqualTo(200);
        assertThat(children.data()).extracting(c -> c.get("id").asLong()).containsExactly(first.id(), second.id());
        assertThat(children.data()).allSatisfy(c -> assertThat(c.get("parent").asLong()).isEqualTo(workflow.id()));

        Response asAdmin = api().get("/api/v1/executions/" + workflow.id() + "/inquiries", token(admin()));
        assertThat(asAdmin.data()).extracting(i -> i.get("id").asLong())
                .containsExactly(answeredEarlier.id(), assignedToOther.id());
        Response asOther = api().get("/api/v1/executions/" + workflow.id() + "/inquiries", token(other));
        assertThat(asOther.data()).extracting(i -> i.get("id").asLong()).containsExactly(answeredEarlier.id());
        assertError(api().get("/api/v1/executions/" + workflow.id() + "/children", token(identity())), 404,
                "NOT_FOUND");
        // the approver of a question in the chain sees the workflow around it
        Response asApprover = api().get("/api/v1/executions/" + workflow.id() + "/children", token(other));
        assertThat(asApprover.status()).isEqualTo(200);
    }

    @Test
    void theRequesterOrAnAdminCancelsTheWholeChainOnce() {
        Identity requester = identity();
        Identity approver = identity();
        Execution workflow = executions.insert("tests.deploy", Json.object(), requester.id());
        Execution running = executions.insertChild(workflow.id(), "tests.slow", Json.object(), requester.id());
        Execution asking = executions.insertChild(workflow.id(), "core.ask", Json.object(), requester.id());
        Inquiry pending = ask(asking, approver.id());

        // the approver may read the workflow (an inquiry of it is theirs) but not cancel it
        assertError(api().post("/api/v1/executions/" + asking.id() + "/cancel", token(approver), "{}"), 403,
                "FORBIDDEN");
        Response cancelled = api().post("/api/v1/executions/" + workflow.id() + "/cancel", token(requester), "{}");
        assertThat(cancelled.status()).as("%s", cancelled).isEqualTo(200);
        assertThat(cancelled.data().get("status").asString()).isEqualTo("cancelled");
        assertThat(executions.find(running.id()).orElseThrow().status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(executions.find(asking.id()).orElseThrow().status()).isEqualTo(ExecutionStatus.CANCELLED);
        assertThat(inquiries.find(pending.id()).orElseThrow().status()).isEqualTo(InquiryStatus.CANCELLED);
        assertError(api().post("/api/v1/executions/" + workflow.id() + "/cancel", token(admin()), "{}"), 409,
                "CONFLICT");
    }

    private Inquiry ask(Execution execution, Long assignedTo) {
        return transactions.execute(tx -> inquiryTransitions.open(executions.lock(execution.id()).orElseThrow(),
                new InquiryRequest("Go?", APPROVAL_SCHEMA, assignedTo, 3600L), Json.object(), null));
    }
}
