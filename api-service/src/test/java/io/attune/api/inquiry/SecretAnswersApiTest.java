package io.attune.api.inquiry;

import io.attune.api.ApiClient.Response;
import io.attune.api.ApiIntegrationTest;
import io.attune.core.identity.Identity;
import io.attune.core.inquiry.ExecutionResumption;
import io.attune.core.inquiry.Inquiry;
import io.attune.core.inquiry.InquiryRepository;
import io.attune.model.json.Json;
import io.attune.model.message.InquiryResponded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An answer's secrets over HTTP: respond, the inquiry, the list, the history and the execution all show
 * {@code ********}; a 422 does not echo them; an unexpected failure logs no value either.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretAnswersApiTest extends ApiIntegrationTest {
    static final String PASSWORD = "Vq8-secret-never-shown";
    static final String KEY_NAME = "Kx4-private-key-name";
    static final JsonNode SCHEMA = Json.tree("""
            {"type": "object", "required": ["approved"], "properties": {
               "approved": {"type": "boolean"},
               "comments": {"type": "string"},
               "credentials": {"type": "object", "properties": {
                  "user": {"type": "string"}, "password": {"type": "string", "secret": true}}},
               "keys": {"type": "object", "secret": true, "additionalProperties": {"type": "string"}}}}""");
    static final String ANSWER = """
            {"response": {"approved": true, "comments": "rotate tonight",
                          "credentials": {"user": "ops", "password": "%s"}, "keys": {"%s": "k"}}}"""
            .formatted(PASSWORD, KEY_NAME);
    static final JsonNode SHOWN = Json.tree("""
            {"approved": true, "comments": "rotate tonight",
             "credentials": {"user": "ops", "password": "********"}, "keys": "********"}""");

    @Autowired
    InquiryRepository inquiries;
    @Autowired
    ExecutionResumption resumption;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        start(registry);
    }

    @Test
    void everyResponseShowsTheSecretsMaskedWhileTheExecutionReceivesThem(CapturedOutput output) {
        Identity ada = identity();
        String token = token(ada);
        Inquiry inquiry = openInquiry(ada.id(), SCHEMA, 3600L);

        Response refused = api().post(path(inquiry, "/respond"), token, """
                {"response": {"approved": true, "credentials": {"password": 7}, "keys": {"%s": 1}}}"""
                .formatted(KEY_NAME));
        JsonNode error = assertError(refused, 422, "VALIDATION_ERROR");
        assertThat(error.get("details").findValuesAsString("path"))
                .containsExactlyInAnyOrder("/credentials/password", "/keys");
        assertThat(refused.body()).doesNotContain(KEY_NAME);

        Response responded = api().post(path(inquiry, "/respond"), token, ANSWER);
        assertThat(responded.status()).as("%s", responded).isEqualTo(200);
        assertThat(responded.data().get("response")).isEqualTo(SHOWN);

        Response detail = api().get(path(inquiry, ""), token);
        assertThat(detail.data().get("response")).isEqualTo(SHOWN);
        Response history = api().get(path(inquiry, "/history"), token);
        assertThat(history.data().get(1).get("details").get("response")).isEqualTo(SHOWN);
        Response list = api().get("/api/v1/inquiries?execution=" + inquiry.execution(), token);
        assertThat(list.json().get("total").asInt()).isEqualTo(1);

        // what the executor does with the event: the execution resumes with the answer as stored
        Inquiry stored = inquiries.find(inquiry.id()).orElseThrow();
        resumption.resume(new InquiryResponded(stored.id(), stored.execution(), SHOWN,
                stored.respondedBy(), stored.respondedAt()), null).orElseThrow();
        assertThat(executions.find(inquiry.execution()).orElseThrow().result().path("__inquiry").path("response")
                .path("credentials").path("password").asString()).isEqualTo(PASSWORD);
        Response execution = api().get("/api/v1/executions/" + inquiry.execution(), token(admin()));
        assertThat(execution.data().get("status").asString()).isEqualTo("completed");
        assertThat(execution.data().get("result").get("__inquiry").get("response")).isEqualTo(SHOWN);

        for (Response response : new Response[]{refused, responded, detail, history, list, execution}) {
            assertThat(response.body()).doesNotContain(PASSWORD, KEY_NAME);
        }
        assertThat(output.getAll()).doesNotContain(PASSWORD, KEY_NAME);
    }

    @Test
    void anUnexpectedDatabaseFailureLogsNoValue(CapturedOutput output) {
        Identity ada = identity();
        Inquiry inquiry = openInquiry(ada.id(), SCHEMA, 3600L);
        // A constraint the suite does not have, to make storing this one answer fail the way a defect would: Postgres
        // describes the failing row — answer included — in its error detail.
        String constraint = "test_refuses_answer_" + inquiry.id();
        jdbc.sql("ALTER TABLE attune.inquiry ADD CONSTRAINT " + constraint + " CHECK (id <> " + inquiry.id()
                + " OR response IS NULL)").update();
        try {
            Response failed = api().post(path(inquiry, "/respond"), token(ada), ANSWER);
            assertError(failed, 500, "INTERNAL_ERROR");
            assertThat(output.getAll()).contains("Unexpected failure during POST", constraint)
                    .doesNotContain(PASSWORD, KEY_NAME);
        } finally {
            jdbc.sql("ALTER TABLE attune.inquiry DROP CONSTRAINT " + constraint).update();
        }
        assertThat(inquiries.find(inquiry.id()).orElseThrow().response()).as("nothing stored").isNull();
    }

    static String path(Inquiry inquiry, String suffix) {
        return "/api/v1/inquiries/" + inquiry.id() + suffix;
    }
}
