package io.attune.api.inquiry;

import io.attune.api.ApiClient.Response;
import io.attune.api.ApiIntegrationTest;
import io.attune.core.identity.Identity;
import io.attune.core.inquiry.Inquiry;
import io.attune.model.json.Json;
import io.attune.model.message.InquiryCancelled;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessagePayload;
import io.attune.testsupport.BrokerProbe;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** POST /api/v1/inquiries/{id}/cancel: admins only, pending only, and the execution ends with it. */
class CancelTest extends ApiIntegrationTest {

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        start(registry);
    }

    Response cancel(long inquiry, String token) {
        return api().post("/api/v1/inquiries/" + inquiry + "/cancel", token, "");
    }

    @Test
    void anAdminCancelsThePendingInquiryAndItsExecution() {
        Identity admin = admin();
        Identity ada = identity();
        Inquiry inquiry = openInquiry(ada.id());
        try (BrokerProbe probe = new BrokerProbe(environment, "inquiry.cancelled")) {
            Response response = cancel(inquiry.id(), token(admin));

            assertThat(response.status()).as("%s", response).isEqualTo(200);
            assertThat(response.json().propertyNames()).containsExactly("data");
            assertThat(response.data().get("status").asString()).isEqualTo("cancelled");
            assertThat(response.data().get("id").asLong()).isEqualTo(inquiry.id());

            JsonNode execution = api().get("/api/v1/executions/" + inquiry.execution(), token(admin)).data();
            assertThat(execution.get("status").asString()).isEqualTo("cancelled");
            assertThat(execution.get("result").get("__inquiry").get("status").asString()).isEqualTo("cancelled");

            JsonNode history = api().get("/api/v1/inquiries/" + inquiry.id() + "/history", token(ada)).data();
            assertThat(history.get(history.size() - 1).get("action").asString()).isEqualTo("cancelled");
            assertThat(history.get(history.size() - 1).get("actor").asString()).isEqualTo(admin.login());

            InquiryCancelled event = (InquiryCancelled) probe.takeMatching(
                    m -> m.payload().executionId() == inquiry.execution(), Duration.ofSeconds(10)).payload();
            assertThat(event.inquiryId()).isEqualTo(inquiry.id());
            assertThat(event.executionId()).isEqualTo(inquiry.execution());
            assertThat(event.cancelledBy()).isEqualTo(admin.id());
        }
    }

    @Test
    void onlyAdminsCancel() {
        Identity ada = identity();
        Inquiry inquiry = openInquiry(ada.id());
        assertError(cancel(inquiry.id(), token(ada)), 403, "FORBIDDEN");
        assertError(cancel(inquiry.id(), token(identity())), 403, "FORBIDDEN");
        JsonNode still = api().get("/api/v1/inquiries/" + inquiry.id(), token(ada)).data();
        assertThat(still.get("status").asString()).isEqualTo("pending");
    }

    @Test
    void onlyPendingInquiriesCanBeCancelled() {
        String admin = token(admin());
        Identity ada = identity();
        Inquiry answered = openInquiry(ada.id());
        inquiryTransitions.respond(answered.id(), ada.actor(), Json.tree("{\"approved\": true}"), null);
        assertError(cancel(answered.id(), admin), 409, "CONFLICT");
        assertThat(api().get("/api/v1/inquiries/" + answered.id(), admin).data().get("status").asString())
                .isEqualTo("responded");

        Inquiry pending = openInquiry(null);
        assertThat(cancel(pending.id(), admin).status()).isEqualTo(200);
        assertError(cancel(pending.id(), admin), 409, "CONFLICT");
        assertError(cancel(987654321L, admin), 404, "NOT_FOUND");
        assertError(api().post("/api/v1/inquiries/" + pending.id() + "/respond", token(ada),
                "{\"response\": {\"approved\": true}}"), 409, "CONFLICT");
    }

    @Test
    void anInquiryPastItsTimeoutIsNotCancelledButRefusedWith409AsAnAnswerWouldBe() {
        String admin = token(admin());
        Inquiry expired = openInquiry(null);
        jdbc.sql("UPDATE attune.inquiry SET timeout_at = now() - interval '1 second' WHERE id = ?")
                .param(expired.id()).update();

        JsonNode refusal = assertError(cancel(expired.id(), admin), 409, "CONFLICT");
        assertThat(refusal.get("error").asString()).contains("timed out at");
        assertError(api().post("/api/v1/inquiries/" + expired.id() + "/respond", admin,
                "{\"response\": {\"approved\": true}}"), 409, "CONFLICT");
        JsonNode still = api().get("/api/v1/inquiries/" + expired.id(), admin).data();
        assertThat(still.get("status").asString()).isEqualTo("pending");
        assertThat(api().get("/api/v1/executions/" + expired.execution(), admin).data().get("status").asString())
                .isEqualTo("paused");
    }
}
