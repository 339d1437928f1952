package io.attune.e2e;

import io.attune.model.ExecutionStatus;
import io.attune.model.audit.VerifyExport;
import io.attune.model.json.Json;
import io.attune.model.message.ExecutionCompleted;
import io.attune.model.message.MessageEnvelope;
import io.attune.testsupport.BrokerProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 21: two api-services and two executors, each its own JVM, write the audit trail at once — executors open
 * and time out inquiries, both apis take answers and cancellations in parallel — and the result is one chain that
 * verifies online and, exported, offline. The test plays the worker (it publishes each ExecutionCompleted with
 * {@code __inquiry} itself), so that four JVMs are enough.
 */
class AuditChainEndToEndTest {
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int INQUIRIES = 40;

    private static RunningSuite suite;
    private static String adminToken;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        suite = RunningSuite.start("api", "api", "executor", "executor");
        adminToken = suite.adminToken();
    }

    @AfterAll
    static void stop() {
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    void severalProcessesWritingAtOnceMakeOneValidChain() throws Exception {
        // Every fourth inquiry times out after a second (the executors' sweeps write those entries).
        try (BrokerProbe worker = new BrokerProbe(suite.environment(), "no.messages.wanted")) {
            for (int i = 0; i < INQUIRIES; i++) {
                Map<String, Object> inquiry = Map.of("prompt", "Approve change " + i + "?",
                        "response_schema", Map.of("type", "object",
                                "properties", Map.of("approved", Map.of("type", "boolean")), "required", List.of("approved")),
                        "timeout_seconds", i % 4 == 0 ? 1 : 3600,
                        // the admin starts and answers them all: the chain is under test here, not who may answer
                        "allow_self_approval", true);
                long execution = suite.call("POST", "/api/v1/executions", adminToken, Json.write(Map.of(
                        "action_ref", "e2e.audit", "parameters", Map.of()))).path("data").path("id").asLong();
                worker.publish(MessageEnvelope.of(new ExecutionCompleted(execution, "e2e.audit",
                        ExecutionStatus.COMPLETED, Json.mapper().valueToTree(Map.of("__inquiry", inquiry)),
                        Instant.now()), null, "worker-service"));
            }
        }
        List<Long> pending = await("the inquiries opened by the executors").atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> ids(suite.call("GET", "/api/v1/inquiries?per_page=100", adminToken, null)),
                        all -> all.size() == INQUIRIES);

        List<String> apis = List.of("http://127.0.0.1:" + suite.service("api-1").port(),
                "http://127.0.0.1:" + suite.service("api-2").port());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            long id = pending.get(i);
            String api = apis.get(i % 2);
            boolean cancel = i % 5 == 1;
            answers.add(pool.submit(() -> post(api, "/api/v1/inquiries/" + id + (cancel ? "/cancel" : "/respond"),
                    cancel ? "" : "{\"response\": {\"approved\": true}}")));
        }
        for (Future<Integer> answer : answers) {
            assertThat(answer.get()).isIn(200, 409); // 409: it had timed out already
        }
        pool.shutdown();
        await("every inquiry decided").atMost(PATIENCE).pollInterval(Duration.ofMillis(500))
                .until(() -> suite.call("GET", "/api/v1/inquiries?status=pending", adminToken, null).path("total")
                        .asLong(), pending1 -> pending1 == 0);

        JsonNode verify = suite.call("GET", "/api/v1/audit/verify", adminToken, null).path("data");
        // created + one decision per inquiry
        assertThat(verify.path("entries").asLong()).isEqualTo(2L * INQUIRIES);
        assertThat(verify.path("valid").asBoolean()).as("%s", verify).isTrue();
        assertThat(verify.path("first_broken").isNull()).isTrue();

        // Both apis read the same chain, and the export verifies offline to the same head.
        HttpResponse<Path> export = HTTP.send(HttpRequest.newBuilder(URI.create(apis.get(1) + "/api/v1/audit/export"))
                .header("Authorization", "Bearer " + adminToken).build(),
                HttpResponse.BodyHandlers.ofFile(dir.resolve("audit.jsonl")));
        assertThat(export.statusCode()).isEqualTo(200);
        var offline = VerifyExport.verify(export.body()).result();
        assertThat(offline.valid()).isTrue();
        assertThat(offline.entries()).isEqualTo(2L * INQUIRIES);
        assertThat(offline.head()).isEqualTo(verify.path("head").asString());
    }

    private static List<Long> ids(JsonNode page) {
        List<Long> ids = new ArrayList<>();
        page.path("data").forEach(row -> ids.add(row.path("id").asLong()));
        return ids;
    }

    private static int post(String api, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(api + path))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }
}
