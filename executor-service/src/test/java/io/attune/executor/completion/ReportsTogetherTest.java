package io.attune.executor.completion;

import io.attune.core.execution.Execution;
import io.attune.core.inquiry.Inquiry;
import io.attune.executor.ExecutorIntegrationTest;
import io.attune.model.ExecutionStatus;
import io.attune.model.json.Json;
import io.attune.model.message.InquiryResponded;
import io.attune.model.message.MessageEnvelope;
import io.attune.testsupport.BrokerProbe;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reports that arrive together are stored together (one transaction, one audit-chain append per batch), each decided
 * exactly as it would be alone; a report that fails its batch sends every report of it through on its own.
 */
class ReportsTogetherTest extends ExecutorIntegrationTest {
    static final JsonNode ASKING = Json.tree("""
            {"__inquiry": {"prompt": "Deploy?", "response_schema": {"type": "object",
             "properties": {"approved": {"type": "boolean"}}, "required": ["approved"]}}}""");

    @Autowired
    @Qualifier("completionContainer")
    SimpleMessageListenerContainer completions;
    @Autowired
    @Qualifier("inquiryResponseContainer")
    SimpleMessageListenerContainer answers;
    @Autowired
    io.attune.core.inquiry.InquiryTransitions inquiryTransitions;

    /** Published while the completion listener is stopped, so that the reports wait in its queue together. */
    void together(Consumer<BrokerProbe> publishing) {
        completions.stop();
        try (BrokerProbe probe = probe("nothing.to.see")) {
            publishing.accept(probe);
        } finally {
            completions.start();
        }
    }

    double appends() {
        return meters.timer("attune.audit.append").count();
    }

    @Test
    void reportsThatArriveTogetherAreEachDecidedAsTheyWouldBeAlone() {
        List<Execution> asking = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            asking.add(runningExecution());
        }
        Execution invalid = runningExecution();
        Execution plain = runningExecution();
        double opened = count("attune.inquiries.opened");
        double duplicates = count("attune.execution.reports.duplicate");
        double appendsBefore = appends();

        together(probe -> {
            asking.forEach(e -> probe.publish(report(e, ExecutionStatus.COMPLETED, ASKING)));
            probe.publish(report(asking.get(0), ExecutionStatus.COMPLETED, ASKING)); // a duplicate
            probe.publish(report(invalid, ExecutionStatus.COMPLETED, Json.tree("{\"__inquiry\": {\"prompt\": \"\"}}")));
            probe.publish(report(plain, ExecutionStatus.COMPLETED, Json.tree("{\"rows\": 42}")));
        });

        asking.forEach(e -> awaitStatus(e.id(), ExecutionStatus.PAUSED));
        assertThat(awaitStatus(invalid.id(), ExecutionStatus.FAILED).result().has("inquiry_errors")).isTrue();
        assertThat(awaitStatus(plain.id(), ExecutionStatus.COMPLETED).result().get("rows").asInt()).isEqualTo(42);
        await().atMost(WAIT).until(() -> count("attune.execution.reports.duplicate") == duplicates + 1);
        assertThat(asking).allSatisfy(e -> assertThat(inquiriesOf(e.id())).hasSize(1));
        assertThat(count("attune.inquiries.opened")).isEqualTo(opened + 12);
        // 14 reports made 13 audited changes (the duplicate none) in fewer appends to the chain: some went together
        assertThat(appends() - appendsBefore).isLessThan(13);
        assertThat(jdbc.sql("SELECT count(*) FROM attune.inquiry_audit a JOIN attune.inquiry i ON i.id = a.inquiry "
                        + "WHERE a.action = 'created' AND i.execution = ANY(?)")
                .param(asking.stream().map(Execution::id).toArray(Long[]::new)).query(Long.class).single())
                .isEqualTo(12);
    }

    @Test
    void aReportForAnUnknownExecutionFailsItsBatchAndTheOthersAreStoredOnTheirOwn() {
        List<Execution> asking = List.of(runningExecution(), runningExecution(), runningExecution());
        Execution unknown = new Execution(Long.MAX_VALUE - 7, "examples.deploy_approval", Json.object(),
                ExecutionStatus.RUNNING, null, null, null, null);

        together(probe -> {
            probe.publish(report(asking.get(0), ExecutionStatus.COMPLETED, ASKING));
            probe.publish(report(unknown, ExecutionStatus.COMPLETED, ASKING));
            probe.publish(report(asking.get(1), ExecutionStatus.COMPLETED, ASKING));
            probe.publish(report(asking.get(2), ExecutionStatus.COMPLETED, ASKING));
        });

        asking.forEach(e -> awaitStatus(e.id(), ExecutionStatus.PAUSED));
        assertThat(asking).allSatisfy(e -> assertThat(inquiriesOf(e.id())).hasSize(1));
    }

    @Test
    void answersThatArriveTogetherResumeTheirExecutionsTogether() {
        List<Execution> asking = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            asking.add(runningExecution());
        }
        try (BrokerProbe probe = probe("nothing.to.see")) {
            asking.forEach(e -> probe.publish(report(e, ExecutionStatus.COMPLETED, ASKING)));
        }
        asking.forEach(e -> awaitStatus(e.id(), ExecutionStatus.PAUSED));
        var ada = identity();
        double resumedBefore = count("attune.executions.resumed");

        double ignoredBefore = count("attune.inquiry.responses.ignored");
        java.util.Map<Long, UUID> correlations = new java.util.HashMap<>();

        answers.stop();
        try {
            for (Execution e : asking) {
                UUID correlation = UUID.randomUUID();
                correlations.put(e.id(), correlation);
                inquiryTransitions.respond(inquiriesOf(e.id()).get(0).id(), ada.actor(),
                        Json.tree("{\"approved\": true}"), correlation);
            }
            try (BrokerProbe probe = probe("nothing.to.see")) {
                // every InquiryResponded relayed and waiting in the executor's queue, and one of them again (a
                // redelivery): the batch resumes that execution once
                String respondedQueue = queue(io.attune.model.message.ConsumerQueues.EXECUTOR_RESPONDED);
                await().atMost(WAIT).until(() -> probe.depth(respondedQueue) == 8);
                Inquiry first = inquiriesOf(asking.get(0).id()).get(0);
                probe.publish(MessageEnvelope.of(new InquiryResponded(first.id(), first.execution(), first.response(),
                        first.respondedBy(), first.respondedAt()), UUID.randomUUID(), "api-service"));
                await().atMost(WAIT).until(() -> probe.depth(respondedQueue) == 9);
            }
        } finally {
            answers.start();
        }
        double appendsBefore = appends();

        asking.forEach(e -> assertThat(awaitStatus(e.id(), ExecutionStatus.COMPLETED).result()
                .at("/__inquiry/response/approved").asBoolean()).isTrue());
        await().atMost(WAIT).until(() -> count("attune.executions.resumed") == resumedBefore + 8
                && count("attune.inquiry.responses.ignored") == ignoredBefore + 1);
        assertThat(appends() - appendsBefore).isLessThan(8);
        // each execution's resume is announced once, with the correlation id of the answer that resumed it
        for (Execution e : asking) {
            assertThat(jdbc.sql("SELECT envelope->>'correlation_id' FROM attune.event WHERE execution_id = ? "
                            + "AND message_type = 'ExecutionStatusChanged' AND envelope->'payload'->>'status' = 'completed'")
                    .param(e.id()).query(String.class).list())
                    .containsExactly(correlations.get(e.id()).toString());
        }
    }
}
