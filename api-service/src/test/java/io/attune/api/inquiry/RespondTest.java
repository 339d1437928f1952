package io.attune.api.inquiry;

import io.attune.api.ApiClient;
import io.attune.api.ApiClient.Response;
import io.attune.api.ApiIntegrationTest;
import io.attune.core.identity.Identity;
import io.attune.core.inquiry.Inquiry;
import io.attune.core.inquiry.InquiryRepository;
import io.attune.model.InquiryStatus;
import io.attune.model.json.Json;
import io.attune.model.message.InquiryResponded;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessagePayload;
import io.attune.testsupport.BrokerProbe;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** POST /api/v1/inquiries/{id}/respond: every refusal of the contract, the one winner, the event. */
class RespondTest extends ApiIntegrationTest {
    static final String APPROVE = "{\"response\": {\"approved\": true, \"comments\": \"LGTM - all tests passed\"}}";

    @Autowired
    InquiryRepository inquiries;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        start(registry);
    }

    Response respond(long inquiry, String token, String body) {
        return api().post("/api/v1/inquiries/" + inquiry + "/respond", token, body);
    }

    @Test
    void anAnswerIsStoredAuditedAndAnnouncedOnTheBroker() {
        Identity ada = identity();
        Inquiry inquiry = openInquiry(ada.id());
        UUID correlation = UUID.randomUUID();
        try (BrokerProbe probe = new BrokerProbe(environment, "inquiry.responded")) {
            Instant before = Instant.now().minusSeconds(1);
            Response response = api().post("/api/v1/inquiries/" + inquiry.id() + "/respond", token(ada), APPROVE,
                    Map.of("X-Correlation-Id", correlation.toString()));

            assertThat(response.status()).as("%s", response).isEqualTo(200);
            assertThat(response.json().propertyNames()).containsExactlyInAnyOrder("data", "message");
            assertThat(response.json().get("message").asString()).isEqualTo("Response submitted successfully");
            JsonNode data = response.data();
            assertThat(data.get("id").asLong()).isEqualTo(inquiry.id());
            assertThat(data.get("execution").asLong()).isEqualTo(inquiry.execution());
            assertThat(data.get("status").asString()).isEqualTo("responded");
            assertThat(data.get("response")).isEqualTo(Json.tree(APPROVE).get("response"));
            assertThat(data.get("responded_by").asLong()).isEqualTo(ada.id());
            assertThat(Instant.parse(data.get("responded_at").asString())).isAfter(before);

            Inquiry stored = inquiries.find(inquiry.id()).orElseThrow();
            assertThat(stored.status()).isEqualTo(InquiryStatus.RESPONDED);
            assertThat(stored.respondedBy()).isEqualTo(ada.id());
            assertThat(stored.respondedAt()).isNotNull();
            assertThat(jdbc.sql("SELECT actor FROM attune.inquiry_audit WHERE inquiry = ? AND action = 'responded'")
                    .param(inquiry.id()).query(String.class).list()).containsExactly(ada.login());

            MessageEnvelope<MessagePayload> event = probe.takeMatching(
                    m -> m.payload().executionId() == inquiry.execution(), Duration.ofSeconds(10));
            assertThat(event.correlationId()).isEqualTo(correlation);
            assertThat(event.headers()).containsEntry("source_service", "api-service");
            InquiryResponded payload = (InquiryResponded) event.payload();
            assertThat(payload.inquiryId()).isEqualTo(inquiry.id());
            assertThat(payload.executionId()).isEqualTo(inquiry.execution());
            assertThat(payload.respondedBy()).isEqualTo(ada.id());
            assertThat(payload.response().get("approved").asBoolean()).isTrue();
            assertThat(payload.respondedAt()).isEqualTo(stored.respondedAt());
        }
    }

    @Test
    void aResponseThatFailsTheSchemaIsUnprocessableAndNamesThePath() {
        Identity ada = identity();
        Inquiry inquiry = openInquiry(ada.id());

        JsonNode wrongType = assertError(respond(inquiry.id(), token(ada), "{\"response\": {\"approved\": \"yes\"}}"),
                422, "VALIDATION_ERROR");
        assertThat(wrongType.get("details").get(0).get("path").asString()).isEqualTo("/approved");
        assertThat(wrongType.get("details").get(0).get("message").asString()).containsIgnoringCase("boolean");

        JsonNode missing = assertError(respond(inquiry.id(), token(ada), "{\"response\": {\"comments\": \"hm\"}}"),
                422, "VALIDATION_ERROR");
        assertThat(missing.get("details").findValuesAsString("path")).containsExactly("/approved");

        JsonNode two = assertError(respond(inquiry.id(), token(ada),
                "{\"response\": {\"approved\": 1, \"comments\": 2}}"), 422, "VALIDATION_ERROR");
        assertThat(two.get("details").findValuesAsString("path")).containsExactlyInAnyOrder("/approved", "/comments");

        assertThat(inquiries.find(inquiry.id()).orElseThrow().status()).isEqualTo(InquiryStatus.PENDING);
    }

    @Test
    void unknownInquiriesAreNotFound() {
        assertError(respond(987654321L, token(identity()), APPROVE), 404, "NOT_FOUND");
    }

    @Test
    void anAnsweredInquiryIsAConflict() {
        Identity ada = identity();
        Inquiry inquiry = openInquiry(null);
        assertThat(respond(inquiry.id(), token(ada), APPROVE).status()).isEqualTo(200);
        assertError(respond(inquiry.id(), token(identity()), "{\"response\": {\"approved\": false}}"), 409,
                "CONFLICT");
        assertThat(inquiries.find(inquiry.id()).orElseThrow().response().get("approved").asBoolean()).isTrue();
    }

    @Test
    void anInquiryPastItsTimeoutIsAConflictEvenBeforeTheCheckerRan() {
        Inquiry inquiry = openInquiry(null);
        jdbc.sql("UPDATE attune.inquiry SET timeout_at = now() - interval '1 second' WHERE id = ?")
                .param(inquiry.id()).update();
        JsonNode body = assertError(respond(inquiry.id(), token(identity()), APPROVE), 409, "CONFLICT");
        assertThat(body.get("error").asString()).contains("timed out");
        assertThat(inquiries.find(inquiry.id()).orElseThrow().status()).isEqualTo(InquiryStatus.PENDING);
    }

    @Test
    void onlyTheAssigneeMayAnswerAnAssignedInquiry() {
        Identity ada = identity();
        Inquiry inquiry = openInquiry(ada.id());
        assertError(respond(inquiry.id(), token(admin()), APPROVE), 403, "FORBIDDEN");
        assertThat(inquiries.find(inquiry.id()).orElseThrow().status()).isEqualTo(InquiryStatus.PENDING);
        assertThat(respond(inquiry.id(), token(ada), APPROVE).status()).isEqualTo(200);
    }

    @Test
    void badBodiesAreBadRequestsThatChangeNothing() {
        Identity ada = identity();
        Inquiry inquiry = openInquiry(null);
        String token = token(ada);
        assertError(respond(inquiry.id(), token, "{\"response\": {\"approved\": tru"), 400, "BAD_REQUEST");
        assertError(respond(inquiry.id(), token, "{}"), 400, "BAD_REQUEST");
        assertError(respond(inquiry.id(), token, "{\"response\": null}"), 400, "BAD_REQUEST");
        assertError(respond(inquiry.id(), token, "null"), 400, "BAD_REQUEST");
        assertError(respond(inquiry.id(), token, ""), 400, "BAD_REQUEST");
        assertError(respond(inquiry.id(), token, "[\"approved\"]"), 400, "BAD_REQUEST");
        assertError(respond(inquiry.id(), token, "\"approved\""), 400, "BAD_REQUEST");
        assertError(respond(inquiry.id(), token,
                "{\"response\": {\"approved\": true, \"comments\": \"nul \\u0000 byte\"}}"), 400, "BAD_REQUEST");
        assertError(api().post("/api/v1/inquiries/abc/respond", token, APPROVE), 400, "BAD_REQUEST");
        assertError(api().post("/api/v1/inquiries/" + inquiry.id() + "/respond", token, APPROVE,
                Map.of("X-Correlation-Id", "not-a-uuid")), 400, "BAD_REQUEST");
        assertThat(inquiries.find(inquiry.id()).orElseThrow().status()).isEqualTo(InquiryStatus.PENDING);
        assertThat(jdbc.sql("SELECT count(*) FROM attune.event WHERE inquiry_id = ? AND message_type = "
                + "'InquiryResponded'").param(inquiry.id()).query(Long.class).single()).isZero();
    }

    @Test
    void withoutASchemaAnyObjectIsAnAnswer() {
        Inquiry inquiry = openInquiry(null, null, null);
        assertError(respond(inquiry.id(), token(identity()), "{\"response\": 42}"), 422, "VALIDATION_ERROR");
        Response response = respond(inquiry.id(), token(identity()), "{\"response\": {\"anything\": [1, 2]}}");
        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void ofFiftyConcurrentRespondersExactlyOneWins() throws Exception {
        Inquiry inquiry = openInquiry(null);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            tokens.add(token(identity()));
        }
        ApiClient client = api();
        try (BrokerProbe probe = new BrokerProbe(environment, "inquiry.responded")) {
            ExecutorService pool = Executors.newFixedThreadPool(50);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Response>> outcomes = new ArrayList<>();
            for (String token : tokens) {
                outcomes.add(pool.submit(() -> {
                    go.await();
                    return client.post("/api/v1/inquiries/" + inquiry.id() + "/respond", token, APPROVE);
                }));
            }
            go.countDown();
            List<Response> responses = new ArrayList<>();
            for (Future<Response> outcome : outcomes) {
                responses.add(outcome.get());
            }
            pool.shutdown();

            assertThat(responses).filteredOn(r -> r.status() == 200).hasSize(1);
            List<Response> losers = responses.stream().filter(r -> r.status() != 200).toList();
            assertThat(losers).hasSize(49);
            losers.forEach(r -> assertError(r, 409, "CONFLICT"));

            long winner = responses.stream().filter(r -> r.status() == 200).findFirst().orElseThrow().data()
                    .get("responded_by").asLong();
            List<MessageEnvelope<MessagePayload>> events = new java.util.ArrayList<>(List.of(probe.takeMatching(
                    m -> m.payload().executionId() == inquiry.execution(), Duration.ofSeconds(10))));
            events.addAll(probe.drain(Duration.ofSeconds(2)).stream()
                    .filter(m -> m.payload().executionId() == inquiry.execution()).toList());
            assertThat(events).hasSize(1);
            assertThat(((InquiryResponded) events.get(0).payload()).respondedBy()).isEqualTo(winner);
            assertThat(inquiries.find(inquiry.id()).orElseThrow().respondedBy()).isEqualTo(winner);
            assertThat(jdbc.sql("SELECT count(*) FROM attune.inquiry_audit WHERE inquiry = ? AND action = 'responded'")
                    .param(inquiry.id()).query(Long.class).single()).isEqualTo(1L);
        }
    }

    @Test
    void anAnswerOver64KiBIsRefusedWith413AndTheInquiryStaysPending() {
        Identity ada = identity();
        Inquiry inquiry = openInquiry(ada.id());
        String comments = "x".repeat(64 * 1024);

        JsonNode refusal = assertError(api().post("/api/v1/inquiries/" + inquiry.id() + "/respond", token(ada),
                "{\"response\": {\"approved\": true, \"comments\": \"" + comments + "\"}}"), 413,
                "PAYLOAD_TOO_LARGE");
        assertThat(refusal.get("error").asString()).contains("at most 65536");
        assertThat(api().get("/api/v1/inquiries/" + inquiry.id(), token(ada)).data().get("status").asString())
                .isEqualTo("pending");
        assertThat(api().post("/api/v1/inquiries/" + inquiry.id() + "/respond", token(ada),
                "{\"response\": {\"approved\": true}}").status()).isEqualTo(200);
    }

    @Test
    void anAnswerToASchemaThatRecursesForEverGets422NotA500() {
        // the case: such a schema is refused at creation now; one stored earlier still cannot crash
        Identity ada = identity();
        Inquiry inquiry = openInquiry(ada.id());
        jdbc.sql("UPDATE attune.inquiry SET response_schema = ?::jsonb WHERE id = ?")
                .params("{\"type\": \"object\", \"if\": {\"required\": [\"x\"]}, \"then\": {\"$ref\": \"#\"}}",
                        inquiry.id()).update();

        JsonNode refusal = assertError(api().post("/api/v1/inquiries/" + inquiry.id() + "/respond", token(ada),
                "{\"response\": {\"x\": 1}}"), 422, "VALIDATION_ERROR");
        assertThat(refusal.get("details").get(0).get("message").asString())
                .contains("could not be checked within the evaluation limits");
        assertThat(api().post("/api/v1/inquiries/" + inquiry.id() + "/respond", token(ada),
                "{\"response\": {\"y\": 1}}").status()).isEqualTo(200);
    }
}
