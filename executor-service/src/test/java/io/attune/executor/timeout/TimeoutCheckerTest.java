package io.attune.executor.timeout;

import io.attune.core.execution.Execution;
import io.attune.core.inquiry.AuditRepository;
import io.attune.core.inquiry.Inquiry;
import io.attune.executor.ExecutorIntegrationTest;
import io.attune.model.ExecutionStatus;
import io.attune.model.InquiryStatus;
import io.attune.model.json.Json;
import io.attune.model.message.ExecutionStatusChanged;
import io.attune.model.message.InquiryTimedOut;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessagePayload;
import io.attune.testsupport.BrokerProbe;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** docs/protocol.md §3.4: the checker times out an expired inquiry and its execution on its own, and announces both. */
class TimeoutCheckerTest extends ExecutorIntegrationTest {
    private static final Logger log = LoggerFactory.getLogger(TimeoutCheckerTest.class);

    @Autowired
    AuditRepository audit;

    @Test
    void anExpiredInquiryAndItsExecutionTimeOut() {
        Execution execution = runningExecution();
        JsonNode result = Json.tree("""
                {"__inquiry": {"prompt": "Approve within a second?", "timeout_seconds": 1}, "plan": "v2.5.0"}""");
        try (BrokerProbe probe = probe("inquiry.timeout", "execution.status.changed")) {
            probe.publish(report(execution, ExecutionStatus.COMPLETED, result));
            awaitStatus(execution.id(), ExecutionStatus.PAUSED);
            probe.take(1, WAIT); // running → paused
            Inquiry pending = inquiriesOf(execution.id()).get(0);

            Execution timedOut = awaitStatus(execution.id(), ExecutionStatus.TIMEOUT);
            Inquiry inquiry = inquiries.find(pending.id()).orElseThrow();
            assertThat(inquiry.status()).isEqualTo(InquiryStatus.TIMEOUT);
            log.info("Inquiry {} timed out {} ms after its timeout_at (check interval 1 s)", inquiry.id(),
                    Duration.between(inquiry.timeoutAt(), inquiry.updated()).toMillis());

            JsonNode outcome = timedOut.result().get("__inquiry");
            assertThat(outcome.propertyNames()).containsExactlyInAnyOrder("id", "prompt", "status", "timeout_at");
            assertThat(outcome.get("id").asLong()).isEqualTo(inquiry.id());
            assertThat(outcome.get("prompt").asString()).isEqualTo("Approve within a second?");
            assertThat(outcome.get("status").asString()).isEqualTo("timeout");
            assertThat(Instant.parse(outcome.get("timeout_at").asString())).isEqualTo(inquiry.timeoutAt());
            assertThat(timedOut.result().get("plan").asString()).isEqualTo("v2.5.0");
            assertThat(audit.history(inquiry.id())).extracting(e -> e.action() + "/" + e.actor())
                    .containsExactly("created/system", "timeout/system");

            List<MessageEnvelope<MessagePayload>> events = probe.take(2, WAIT);
            assertThat(events).extracting(MessageEnvelope::payload).containsExactly(
                    new InquiryTimedOut(inquiry.id(), execution.id(), inquiry.timeoutAt()),
                    new ExecutionStatusChanged(execution.id(), ExecutionStatus.PAUSED, ExecutionStatus.TIMEOUT,
                            timedOut.result()));
            assertThat(events.get(0).headers()).containsEntry("source_service", "executor-service");
            await().atMost(WAIT).until(() -> count("attune.inquiries.timed_out") >= 1);
        }
    }

    @Test
    void anInquiryWithoutTimeoutStaysPending() {
        Execution execution = runningExecution();
        try (BrokerProbe probe = probe("execution.status.changed")) {
            probe.publish(report(execution, ExecutionStatus.COMPLETED,
                    Json.tree("{\"__inquiry\": {\"prompt\": \"Whenever you like\"}}")));
            awaitStatus(execution.id(), ExecutionStatus.PAUSED);
            Inquiry inquiry = inquiriesOf(execution.id()).get(0);
            assertThat(inquiry.timeoutAt()).isNull();

            Timer sweeps = meters.timer("attune.inquiry.timeout.sweep");
            long sweepsBefore = sweeps.count();
            await().atMost(WAIT).until(() -> sweeps.count() >= sweepsBefore + 2);
            assertThat(inquiries.find(inquiry.id()).orElseThrow().status()).isEqualTo(InquiryStatus.PENDING);
            assertThat(executions.find(execution.id()).orElseThrow().status()).isEqualTo(ExecutionStatus.PAUSED);
        }
    }
}
