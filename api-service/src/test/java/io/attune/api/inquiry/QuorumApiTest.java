package io.attune.api.inquiry;

import io.attune.api.ApiClient.Response;
import io.attune.api.ApiIntegrationTest;
import io.attune.core.execution.Execution;
import io.attune.core.identity.Identity;
import io.attune.core.inquiry.Inquiry;
import io.attune.model.inquiry.InquiryRequest;
import io.attune.model.json.Json;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A quorum over HTTP (docs/policies.md#quorum): partial answers, 409 for a second answer, the kept answers shown. */
class QuorumApiTest extends ApiIntegrationTest {
    static final JsonNode SCHEMA = Json.tree("""
            {"type": "object", "properties": {"approved": {"type": "boolean"},
             "token": {"type": "string", "secret": true}}, "required": ["approved"]}""");

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        start(registry);
    }

    Inquiry openQuorum(int required) {
        Execution execution = executions.insert("examples.deploy_approval", Json.object(), null);
        jdbc.sql("UPDATE attune.execution SET status = 'running' WHERE id = ?").param(execution.id()).update();
        return transactions.execute(tx -> inquiryTransitions.open(executions.lock(execution.id()).orElseThrow(),
                new InquiryRequest("Deploy?", SCHEMA, null, 3600L, false, List.of(), required, "/approved",
                        Json.tree("{\"response\": {\"approved\": false, \"token\": \"default-secret\"}}"), 600L),
                Json.object(), null));
    }

    Response respond(long inquiry, Identity who, String response) {
        return api().post("/api/v1/inquiries/" + inquiry + "/respond", token(who), "{\"response\": " + response + "}");
    }

    @Test
    void partialAnswersArePendingASecondAnswerIs409AndTheAnswersAreShownMasked() {
        Inquiry inquiry = openQuorum(2);
        Identity ada = identity();
        Identity bob = identity();

        Response first = respond(inquiry.id(), ada, "{\"approved\": true, \"token\": \"ada-secret\"}");
        assertThat(first.status()).as("%s", first).isEqualTo(200);
        assertThat(first.data().get("status").asString()).isEqualTo("pending");
        assertThat(first.data().get("approvals_required").asInt()).isEqualTo(2);
        assertThat(first.data().get("decision_field").asString()).isEqualTo("/approved");
        assertThat(first.data().get("responses")).singleElement()
                .satisfies(a -> assertThat(a.get("responded_by").asLong()).isEqualTo(ada.id()));
        assertThat(first.data().get("remind_every_seconds").asInt()).isEqualTo(600);

        assertError(respond(inquiry.id(), ada, "{\"approved\": true}"), 409, "CONFLICT");

        Response second = respond(inquiry.id(), bob, "{\"approved\": true, \"token\": \"bob-secret\"}");
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.data().get("status").asString()).isEqualTo("responded");
        assertThat(second.data().get("responses")).hasSize(2);

        Response shown = api().get("/api/v1/inquiries/" + inquiry.id(), token(ada));
        assertThat(shown.body()).doesNotContain("ada-secret", "bob-secret", "default-secret").contains("********");
        Response history = api().get("/api/v1/inquiries/" + inquiry.id() + "/history", token(ada));
        assertThat(history.body()).doesNotContain("ada-secret", "bob-secret", "default-secret");
        assertThat(history.body()).contains("\"approvals\":1");
    }
}
