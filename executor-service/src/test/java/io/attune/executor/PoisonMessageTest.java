package io.attune.executor;

import com.rabbitmq.client.GetResponse;
import io.attune.core.execution.Execution;
import io.attune.model.ExecutionStatus;
import io.attune.model.json.Json;
import io.attune.model.message.InquiryCreated;
import io.attune.model.message.InquiryResponded;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.Messages;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/protocol.md §2: a message that cannot be processed goes to its consumer's dead-letter queue — at once when no retry
 * can help, after a bounded number of tries otherwise — never blocks the queue and is never dropped silently.
 */
@SpringBootTest(classes = ExecutorApplication.class, properties = "attune.amqp.max-attempts=3")
class PoisonMessageTest extends ExecutorIntegrationTest {

    @Test
    void aMalformedReportIsDeadLetteredAndTheNextReportIsStillProcessed() {
        try (var probe = probe("nothing.to.see")) {
            byte[] garbage = "{\"message_type\": \"ExecutionCompleted\", \"payload\": ".getBytes(StandardCharsets.UTF_8);
            probe.publish("execution.completed", garbage);
            Execution next = runningExecution();
            probe.publish(report(next, ExecutionStatus.COMPLETED, Json.tree("{\"ok\": true}")));

            GetResponse dead = probe.takeFrom(queue(COMPLETED_QUEUE + ".dlq"), 1, WAIT).get(0);
            assertThat(dead.getBody()).isEqualTo(garbage);
            Map<String, Object> headers = dead.getProps().getHeaders();
            assertThat(headers.get("x-attune-error").toString()).startsWith("malformed message: not JSON");
            assertThat(headers.get("x-attune-queue").toString()).isEqualTo(queue(COMPLETED_QUEUE));
            assertThat(headers.get("x-attune-routing-key").toString()).isEqualTo("execution.completed");
            assertThat(awaitStatus(next.id(), ExecutionStatus.COMPLETED).result()).isEqualTo(Json.tree("{\"ok\": true}"));
        }
    }

    @Test
    void aReportOfAnUnknownExecutionIsTriedABoundedNumberOfTimesThenDeadLettered() {
        try (var probe = probe("nothing.to.see")) {
            Execution unknown = new Execution(987654321L, "examples.ghost", Json.object(), ExecutionStatus.RUNNING,
                    null, null, Instant.now(), Instant.now());
            var report = report(unknown, ExecutionStatus.COMPLETED, Json.object());
            probe.publish(report);
            Execution next = runningExecution();
            probe.publish(report(next, ExecutionStatus.FAILED, Json.tree("{\"error\": \"exit code 1\"}")));

            awaitStatus(next.id(), ExecutionStatus.FAILED);
            GetResponse dead = probe.takeFrom(queue(COMPLETED_QUEUE + ".dlq"), 1, WAIT).get(0);
            assertThat(Messages.read(dead.getBody()).messageId()).isEqualTo(report.messageId());
            Map<String, Object> headers = dead.getProps().getHeaders();
            assertThat(headers.get("x-attune-error").toString()).isEqualTo("execution 987654321 does not exist");
            assertThat(((Number) headers.get("x-attune-attempt")).intValue()).isEqualTo(3);
            assertThat(headers.get("x-attune-routing-key").toString()).isEqualTo("execution.completed");
            assertThat(probe.depth(queue(COMPLETED_QUEUE))).isZero();
        }
    }

    @Test
    void aStatusNoWorkerMayReportIsDeadLetteredAtOnceAndChangesNothing() {
        try (var probe = probe("nothing.to.see")) {
            Execution execution = runningExecution();
            probe.publish(report(execution, ExecutionStatus.PAUSED, Json.object()));

            GetResponse dead = probe.takeFrom(queue(COMPLETED_QUEUE + ".dlq"), 1, WAIT).get(0);
            assertThat(dead.getProps().getHeaders().get("x-attune-error").toString()).isEqualTo(
                    "malformed message: ExecutionCompleted status must be completed, failed or timeout, not paused");
            assertThat(((Number) dead.getProps().getHeaders().get("x-attune-attempt")).intValue()).isEqualTo(1);
            assertThat(executions.find(execution.id()).orElseThrow()).isEqualTo(execution);
        }
    }

    @Test
    void aMessageOfAnotherTypeOnTheReportQueueIsDeadLettered() {
        try (var probe = probe("nothing.to.see")) {
            var stray = MessageEnvelope.of(new InquiryCreated(1, 1, "?", null, null, null), null, "elsewhere");
            probe.publish("execution.completed", Messages.write(stray));

            GetResponse dead = probe.takeFrom(queue(COMPLETED_QUEUE + ".dlq"), 1, WAIT).get(0);
            assertThat(dead.getProps().getHeaders().get("x-attune-error").toString())
                    .isEqualTo("malformed message: expected ExecutionCompleted, got InquiryCreated");
        }
    }

    @Test
    void anAnswerToAnUnknownInquiryIsTriedABoundedNumberOfTimesThenDeadLettered() {
        try (var probe = probe("nothing.to.see")) {
            probe.publish("inquiry.responded", "[]".getBytes(StandardCharsets.UTF_8));
            var answer = MessageEnvelope.of(new InquiryResponded(987654321L, 1, Json.object(), 1L, Instant.now()),
                    UUID.randomUUID(), "api-service");
            probe.publish(answer);

            GetResponse malformed = probe.takeFrom(queue(RESPONDED_QUEUE + ".dlq"), 1, WAIT).get(0);
            assertThat(malformed.getProps().getHeaders().get("x-attune-error").toString())
                    .isEqualTo("malformed message: not a JSON object");
            GetResponse dead = probe.takeFrom(queue(RESPONDED_QUEUE + ".dlq"), 1, WAIT).get(0);
            assertThat(Messages.read(dead.getBody()).messageId()).isEqualTo(answer.messageId());
            assertThat(dead.getProps().getHeaders().get("x-attune-error").toString())
                    .isEqualTo("inquiry 987654321 does not exist");
            assertThat(((Number) dead.getProps().getHeaders().get("x-attune-attempt")).intValue()).isEqualTo(3);
            assertThat(probe.depth(queue(RESPONDED_QUEUE))).isZero();
        }
    }
}
