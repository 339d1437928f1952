package io.attune.e2e;

import io.attune.model.ExecutionStatus;
import io.attune.model.json.Json;
import io.attune.model.message.ExecutionCompleted;
import io.attune.model.message.ExecutionStatusChanged;
import io.attune.model.message.MessageEnvelope;
import io.attune.testsupport.AttuneTestEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The worker over the built jars (api, two executors, a worker): what an action can reach of the suite's secrets,
 * and what becomes of an execution whose worker is SIGKILLed mid-action. These tests run as root, so the worker runs
 * its actions as {@code nobody}: the path a production worker in a container takes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkerFaultsTest {
    private static final Duration LOST_AFTER = Duration.ofSeconds(6);
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** Postgres trusts local connections: any password works, so a unique one can be searched for. */
    private static final String DB_PASSWORD = "db-password-" + UUID.randomUUID();

    private static RunningSuite suite;
    private static String adminToken;

    @BeforeAll
    static void start() throws IOException {
        Path packs = TestPacks.create();
        Path actions = packs.resolve("e2e/actions");
        Files.writeString(actions.resolve("slow.sh"), """
                #!/usr/bin/env bash
                # Takes its time: long enough for the test to kill the worker under it.
                sleep "${1:-300}"
                echo '{"done": true}'
                """);
        Files.writeString(actions.resolve("slow.json"), "{\"timeout_seconds\": 600}");
        Files.writeString(actions.resolve("nap.sh"), """
                #!/usr/bin/env bash
                # Outlasts the executors' worker-lost grace on a healthy worker.
                sleep 9
                echo '{"rested": true}'
                """);
        Files.copy(RunningSuite.ROOT.resolve("worker-service/src/test/resources/test-packs/testing/actions/snoop.py"),
                actions.resolve("snoop.py"));
        suite = RunningSuite.start(Map.of("ATTUNE_PACKS_DIR", packs.toString(), "ATTUNE_DB_PASSWORD", DB_PASSWORD,
                        "ATTUNE_WORKER_LOST_AFTER", LOST_AFTER.toSeconds() + "s",
                        "ATTUNE_WORKER_LOST_CHECK_INTERVAL", "1s", "ATTUNE_WORKER_HEARTBEAT_INTERVAL", "1s"),
                "api", "executor", "executor", "worker");
        adminToken = suite.adminToken();
    }

    @AfterAll
    static void stop() {
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    @Order(1)
    void anActionFindsNoSecretOfTheSuiteInItsEnvironmentOrAnyProcesssEnvironment() {
        long executionId = requestExecution("e2e.snoop", Map.of());
        JsonNode execution = awaitEnded(executionId);
        assertThat(execution.path("status").asString()).as("%s", execution).isEqualTo("completed");
        JsonNode result = execution.path("result");

        assertThat(result.path("uid").asInt()).as("runs as nobody, not as the worker's root").isNotZero();
        assertThat(result.path("parent_environ_readable").asBoolean()).isFalse();
        assertThat(result.path("readable_environs").propertyNames())
                .doesNotContain(Long.toString(suite.service("worker-1").pid()));
        assertThat(result.path("environment").propertyNames()).noneMatch(name -> name.startsWith("SPRING_")
                || (name.startsWith("ATTUNE_") && !name.equals("ATTUNE_EXECUTION_ID")
                && !name.equals("ATTUNE_ACTION_REF")));
        String everythingItSaw = Json.write(result);
        Map<String, String> secrets = suite.environment().variables();
        assertThat(everythingItSaw).doesNotContain(DB_PASSWORD)
                .doesNotContain(AttuneTestEnvironment.JWT_SECRET)
                .doesNotContain(secrets.get("ATTUNE_AMQP_URL"))
                .doesNotContain(RunningSuite.ADMIN_PASSWORD);
    }

    @Test
    @Order(2)
    void anActionLongerThanTheGraceOnAHealthyWorkerIsNotTakenForLost() {
        long executionId = requestExecution("e2e.nap", Map.of());
        JsonNode execution = awaitEnded(executionId);
        assertThat(execution.path("status").asString()).as("%s", execution).isEqualTo("completed");
        assertThat(execution.path("result").path("rested").asBoolean()).isTrue();
    }

    @Test
    @Order(3)
    void anExecutionWhoseWorkerIsKilledFailsAsWorkerLostAndARestartedWorkerRunsTheNext() {
        try (PublishedMessages broker = new PublishedMessages(suite.environment(), "execution.status.changed")) {
            RunningSuite.Service worker = suite.service("worker-1");
            long executionId = requestExecution("e2e.slow", Map.of());
            await("the worker runs the slow action").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                    .until(() -> execution(executionId).path("status").asString(), "running"::equals);
            List<ProcessHandle> actionProcesses = ProcessHandle.of(worker.pid()).orElseThrow().descendants().toList();

            worker.kill();
            Instant killedAt = Instant.now();
            actionProcesses.forEach(ProcessHandle::destroyForcibly); // orphans of the dead worker, not the test's

            RunningSuite.sleep(LOST_AFTER.toMillis() / 2);
            assertThat(execution(executionId).path("status").asString()).as("within the grace").isEqualTo("running");
            MessageEnvelope<ExecutionStatusChanged> failed = broker.awaitMessage(ExecutionStatusChanged.class,
                    c -> c.executionId() == executionId && c.status() == ExecutionStatus.FAILED, PATIENCE);
            Duration afterKill = Duration.between(killedAt, Instant.now());
            System.out.printf("execution %d failed as worker lost %.1f s after the SIGKILL (grace %s)%n", executionId,
                    afterKill.toMillis() / 1000.0, LOST_AFTER);
            assertThat(failed.payload().previousStatus()).isEqualTo(ExecutionStatus.RUNNING);
            assertThat(failed.payload().result().path("error").asString()).isEqualTo("worker lost");
            JsonNode stored = execution(executionId);
            assertThat(stored.path("status").asString()).isEqualTo("failed");
            assertThat(stored.path("result").path("error").asString()).isEqualTo("worker lost");
            assertThat(stored.path("result").path("worker").asString()).contains("/" + worker.pid() + "/");

            // The worker "comes back" and reports after all: the failure already announced stands.
            ExecutionCompleted late = new ExecutionCompleted(executionId, "e2e.slow", ExecutionStatus.COMPLETED,
                    Json.tree("{\"done\": true}"), Instant.now().truncatedTo(ChronoUnit.MICROS));
            broker.probe().publish(MessageEnvelope.of(late, UUID.randomUUID(), "worker-service"));
            await("an executor ignores the late report").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                    .until(() -> suite.services().stream().filter(s -> s.kind().equals("executor"))
                            .anyMatch(s -> s.logTail(2000).contains("for execution " + executionId
                                    + " arrived after it was failed as worker lost")));
            assertThat(execution(executionId)).isEqualTo(stored);
            assertThat(broker.payloads(ExecutionStatusChanged.class, c -> c.executionId() == executionId
                    && c.previousStatus() == ExecutionStatus.RUNNING)).hasSize(1);

            suite.launchAndAwait("worker-2", "worker");
            long next = requestExecution(TestPacks.ECHO, Map.of("after", "restart"));
            JsonNode ran = awaitEnded(next);
            assertThat(ran.path("status").asString()).isEqualTo("completed");
            assertThat(ran.path("result").path("after").asString()).isEqualTo("restart");
        }
    }

    private static long requestExecution(String actionRef, Map<String, Object> parameters) {
        return suite.call("POST", "/api/v1/executions", adminToken,
                Json.write(Map.of("action_ref", actionRef, "parameters", parameters))).path("data").path("id").asLong();
    }

    private static JsonNode execution(long id) {
        return suite.call("GET", "/api/v1/executions/" + id, adminToken, null).path("data");
    }

    private static JsonNode awaitEnded(long id) {
        return await("execution " + id + " ends").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> execution(id), e -> !List.of("requested", "running").contains(e.path("status").asString()));
    }
}
