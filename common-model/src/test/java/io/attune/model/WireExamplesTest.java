package io.attune.model;

import io.attune.model.inquiry.InquiryRequest;
import io.attune.model.json.Json;
import io.attune.model.message.InquiryCreated;
import io.attune.model.message.InquiryResponded;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessageType;
import io.attune.model.message.Messages;
import io.attune.model.rest.ApiError;
import io.attune.model.rest.DataResponse;
import io.attune.model.rest.ErrorCode;
import io.attune.model.rest.InquirySummary;
import io.attune.model.rest.InquiryView;
import io.attune.model.rest.PageResponse;
import io.attune.model.rest.RespondRequest;
import io.attune.model.rest.TokenResponse;
import io.attune.model.ws.ClientMessage;
import io.attune.model.ws.Notification;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The literal examples of docs/protocol.md and the seed document, read into the model and written back field for field. */
class WireExamplesTest {

    @Test
    void contractEnvelopeRoundTrips() {
        String json = example("contract-envelope.json");
        MessageEnvelope<?> envelope = Messages.read(json);
        assertThat(envelope.messageType()).isEqualTo(MessageType.INQUIRY_RESPONDED);
        assertThat(envelope.headers()).containsEntry("source_service", "api-service");
        assertThat(envelope.payload()).isInstanceOf(InquiryResponded.class);
        assertThat(envelope.timestamp()).isEqualTo(Instant.parse("2026-01-15T10:30:00Z"));
        assertSameJson(Json.write(envelope), json);
    }

    @Test
    void seedInquiryCreatedPayloadRoundTrips() {
        String json = example("seed-inquiry-created.json");
        InquiryCreated payload = Json.read(json, InquiryCreated.class);
        assertThat(payload.assignedTo()).isEqualTo(io.attune.model.inquiry.Assignment.ofUser(5));
        assertThat(payload.timeoutAt()).isEqualTo(Instant.parse("2024-01-15T12:00:00Z"));
        assertSameJson(Json.write(payload), json);
    }

    @Test
    void seedInquiryRespondedPayloadRoundTrips() {
        String json = example("seed-inquiry-responded.json");
        InquiryResponded payload = Json.read(json, InquiryResponded.class);
        assertThat(payload.response().get("approved").asBoolean()).isTrue();
        assertSameJson(Json.write(payload), json);
    }

    @Test
    void seedListResponseRoundTrips() {
        String json = example("seed-inquiry-list.json");
        PageResponse<InquirySummary> page = Json.mapper().readValue(json, new TypeReference<>() { });
        assertThat(page.data()).singleElement().satisfies(i -> {
            assertThat(i.status()).isEqualTo(InquiryStatus.PENDING);
            assertThat(i.hasResponse()).isFalse();
        });
        assertSameJson(Json.write(page), json);
    }

    @Test
    void seedDetailResponseCarriesEveryFieldPlusRespondedBy() {
        String json = example("seed-inquiry-detail.json");
        DataResponse<InquiryView> detail = Json.mapper().readValue(json, new TypeReference<>() { });
        JsonNode response = detail.data().response();
        assertThat(response == null || response.isNull()).as("no response yet").isTrue();
        JsonNode written = Json.tree(Json.write(detail));
        assertContainsFields(written, Json.tree(json));
        assertThat(written.get("data").has("responded_by")).isTrue();
    }

    @Test
    void seedRespondRequestAndResponseMatch() {
        String request = example("seed-respond-request.json");
        assertSameJson(Json.write(Json.read(request, RespondRequest.class)), request);

        String response = example("seed-respond-response.json");
        DataResponse<InquiryView> parsed = Json.mapper().readValue(response, new TypeReference<>() { });
        assertThat(parsed.message()).isEqualTo("Response submitted successfully");
        assertContainsFields(Json.tree(Json.write(parsed)), Json.tree(response));
    }

    @Test
    void seedActionResultHoldsAnInquiryRequest() {
        JsonNode result = Json.tree(example("seed-action-result.json"));
        InquiryRequest request = Json.mapper().treeToValue(result.get(InquiryRequest.KEY), InquiryRequest.class);
        assertThat(request.prompt()).isEqualTo("Approve deployment to production?");
        assertThat(request.assignedTo()).isEqualTo(io.attune.model.inquiry.Assignment.ofUser(123));
        assertThat(request.timeoutSeconds()).isEqualTo(3600L);
        assertSameJson(Json.write(request), result.get(InquiryRequest.KEY).toString());
    }

    @Test
    void contractNotificationAndSubscribeRoundTrip() {
        String notification = example("contract-notification.json");
        Notification parsed = Json.read(notification, Notification.class);
        assertThat(parsed.content().status()).isEqualTo(InquiryStatus.PENDING);
        assertSameJson(Json.write(parsed), notification);

        String subscribe = example("contract-subscribe.json");
        ClientMessage message = Json.read(subscribe, ClientMessage.class);
        assertThat(message.filters().userId()).isEqualTo(5L);
        assertContainsFields(Json.tree(Json.write(message)), Json.tree(subscribe));
    }

    @Test
    void contractLoginAndErrorBodiesRoundTrip() {
        String login = example("contract-login-response.json");
        DataResponse<TokenResponse> token = Json.mapper().readValue(login, new TypeReference<>() { });
        assertThat(token.data().tokenType()).isEqualTo("Bearer");
        assertSameJson(Json.write(token), login);

        String error = example("contract-error.json");
        ApiError parsed = Json.read(error, ApiError.class);
        assertThat(parsed.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertSameJson(Json.write(parsed), error);
    }

    @Test
    void statusesTravelInLowerCase() {
        assertThat(Json.write(ExecutionStatus.PAUSED)).isEqualTo("\"paused\"");
        assertThat(Json.read("\"timeout\"", InquiryStatus.class)).isEqualTo(InquiryStatus.TIMEOUT);
        assertThat(ExecutionStatus.fromWire("cancelled")).isEqualTo(ExecutionStatus.CANCELLED);
    }

    static String example(String name) {
        try (InputStream in = WireExamplesTest.class.getResourceAsStream("/examples/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void assertSameJson(String actual, String expected) {
        assertThat(Json.tree(actual)).isEqualTo(Json.tree(expected));
    }

    /** Every field of {@code expected}, recursively, is in {@code actual} with the same value. */
    static void assertContainsFields(JsonNode actual, JsonNode expected) {
        if (expected.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = expected.properties().iterator();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                assertThat(actual.has(field.getKey())).as("field %s in %s", field.getKey(), actual).isTrue();
                assertContainsFields(actual.get(field.getKey()), field.getValue());
            }
        } else {
            assertThat(actual).isEqualTo(expected);
        }
    }
}
