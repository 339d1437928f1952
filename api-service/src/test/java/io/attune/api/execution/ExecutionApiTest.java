package io.attune.api.execution;

import io.attune.api.ApiClient.Response;
import io.attune.api.ApiIntegrationTest;
import io.attune.core.identity.Identity;
import io.attune.core.inquiry.Inquiry;
import io.attune.model.message.ExecutionRequested;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessagePayload;
import io.attune.testsupport.BrokerProbe;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ExecutionApiTest extends ApiIntegrationTest {

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        start(registry);
    }

    @Test
    void requestingAnExecutionStoresAndAnnouncesIt() {
        Identity ada = identity();
        UUID correlation = UUID.randomUUID();
        try (BrokerProbe probe = new BrokerProbe(environment, "execution.requested")) {
            Response created = api().post("/api/v1/executions", token(ada),
                    "{\"action_ref\": \"examples.deploy_approval\", \"parameters\": {\"version\": \"v2.5.0\"}}",
                    Map.of("X-Correlation-Id", correlation.toString()));

            assertThat(created.status()).as("%s", created).isEqualTo(201);
            JsonNode data = created.data();
            assertThat(data.propertyNames()).containsExactlyInAnyOrder("id", "action_ref", "parameters", "status",
                    "result", "created", "updated", "parent", "requested_by");
            assertThat(data.get("parent").isNull()).isTrue();
            assertThat(data.get("requested_by").asLong()).isEqualTo(ada.id());
            assertThat(data.get("status").asString()).isEqualTo("requested");
            assertThat(data.get("action_ref").asString()).isEqualTo("examples.deploy_approval");
            assertThat(data.get("parameters").get("version").asString()).isEqualTo("v2.5.0");
            long id = data.get("id").asLong();
            assertThat(created.headers().firstValue("Location")).hasValue(api().uri("/api/v1/executions/" + id)
                    .toString());
            assertThat(executions.find(id).orElseThrow().requestedBy()).isEqualTo(ada.id());

            MessageEnvelope<MessagePayload> event = probe.takeMatching(m -> m.payload().executionId() == id,
                    Duration.ofSeconds(10));
            assertThat(event.correlationId()).isEqualTo(correlation);
            ExecutionRequested payload = (ExecutionRequested) event.payload();
            assertThat(payload.executionId()).isEqualTo(id);
            assertThat(payload.actionRef()).isEqualTo("examples.deploy_approval");
            assertThat(payload.parameters().get("version").asString()).isEqualTo("v2.5.0");

            Response read = api().get("/api/v1/executions/" + id, token(ada));
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.data()).isEqualTo(data);
        }
    }

    @Test
    void parametersDefaultToAnEmptyObject() {
        Response created = api().post("/api/v1/executions", token(identity()), "{\"action_ref\": \"core.noop\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.data().get("parameters").isObject()).isTrue();
        assertThat(created.data().get("parameters").isEmpty()).isTrue();
    }

    @Test
    void invalidRequestsAreBadRequestsThatStoreNothing() {
        String token = token(identity());
        long before = jdbc.sql("SELECT count(*) FROM attune.execution").query(Long.class).single();
        assertError(api().post("/api/v1/executions", token, "{}"), 400, "BAD_REQUEST");
        assertError(api().post("/api/v1/executions", token, "{\"action_ref\": \"no-dot\"}"), 400, "BAD_REQUEST");
        assertError(api().post("/api/v1/executions", token, "{\"action_ref\": \"a.b\", \"parameters\": [1]}"), 400,
                "BAD_REQUEST");
        assertError(api().post("/api/v1/executions", token, "{\"action_ref\": {\"x\": 1}}"), 400, "BAD_REQUEST");
        assertError(api().post("/api/v1/executions", token, "{\"action_ref\": \"a.b\","), 400, "BAD_REQUEST");
        assertError(api().post("/api/v1/executions", token,
                "{\"action_ref\": \"a.b\", \"parameters\": {\"k\": \"\\u0000\"}}"), 400, "BAD_REQUEST");
        assertThat(jdbc.sql("SELECT count(*) FROM attune.execution").query(Long.class).single()).isEqualTo(before);
    }

    @Test
    void executionsAreReadableByTheirRequesterTheirInquirysAudienceAndAdmins() {
        Identity ada = identity();
        Identity bob = identity();
        long adas = api().post("/api/v1/executions", token(ada), "{\"action_ref\": \"examples.a\"}").data()
                .get("id").asLong();
        assertThat(api().get("/api/v1/executions/" + adas, token(ada)).status()).isEqualTo(200);
        assertError(api().get("/api/v1/executions/" + adas, token(bob)), 404, "NOT_FOUND");
        assertThat(api().get("/api/v1/executions/" + adas, token(admin())).status()).isEqualTo(200);

        Inquiry forBob = openInquiry(bob.id());
        assertThat(api().get("/api/v1/executions/" + forBob.execution(), token(bob)).status()).isEqualTo(200);
        assertError(api().get("/api/v1/executions/" + forBob.execution(), token(ada)), 404, "NOT_FOUND");
        Inquiry forAnyone = openInquiry(null);
        assertThat(api().get("/api/v1/executions/" + forAnyone.execution(), token(ada)).status()).isEqualTo(200);

        assertError(api().get("/api/v1/executions/987654321", token(admin())), 404, "NOT_FOUND");
        assertError(api().get("/api/v1/executions/x1", token(ada)), 400, "BAD_REQUEST");
    }
}
