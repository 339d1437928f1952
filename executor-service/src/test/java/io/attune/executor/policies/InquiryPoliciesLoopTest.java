package io.attune.executor.policies;

import io.attune.core.execution.Execution;
import io.attune.core.identity.Identity;
import io.attune.core.inquiry.AuditRepository;
import io.attune.core.inquiry.Inquiry;
import io.attune.core.inquiry.InquiryTemplates;
import io.attune.core.inquiry.InquiryTransitions;
import io.attune.executor.ExecutorIntegrationTest;
import io.attune.executor.reminder.ReminderSweeper;
import io.attune.model.ExecutionStatus;
import io.attune.model.InquiryStatus;
import io.attune.model.json.Json;
import io.attune.model.message.InquiryReminder;
import io.attune.model.message.MessageEnvelope;
import io.attune.testsupport.BrokerProbe;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The policies of docs/policies.md through the executor as it runs: a worker's report opens the inquiry (a template
 * expanded, a bad default or a missing template failing the execution), answers resume the execution once, the
 * timeout checker applies the default, the reminder sweep reminds.
 */
class InquiryPoliciesLoopTest extends ExecutorIntegrationTest {
    static final String SCHEMA = """
            {"type": "object", "properties": {"approved": {"type": "boolean"}, "comments": {"type": "string"}},
             "required": ["approved"]}""";

    @Autowired
    InquiryTransitions transitions;
    @Autowired
    InquiryTemplates templates;
    @Autowired
    AuditRepository audit;
    @Autowired
    ReminderSweeper reminders;

    Execution report(String inquiry) {
        Execution execution = runningExecution();
        ObjectNode result = Json.object();
        result.set("__inquiry", Json.tree(inquiry));
        result.put("context", "kept");
        try (BrokerProbe probe = probe("nothing.to.see")) {
            probe.publish(report(execution, ExecutionStatus.COMPLETED, result));
        }
        return execution;
    }

    Inquiry awaitInquiry(Execution execution) {
        awaitStatus(execution.id(), ExecutionStatus.PAUSED);
        return inquiriesOf(execution.id()).get(0);
    }

    @Test
    void aTwoOfThreeQuorumFromATemplateResumesOnceWithEveryAnswer() {
        templates.register("ops.change", "ops/inquiries/change.yaml", Json.tree("""
                {"prompt": "Approve {{change}}?", "response_schema": %s, "timeout_seconds": 3600,
                 "approvals_required": 2, "decision_field": "/approved"}""".formatted(SCHEMA)), null);
        Execution execution = report("{\"template\": \"ops.change\", \"vars\": {\"change\": \"db failover\"}}");
        Inquiry inquiry = awaitInquiry(execution);
        assertThat(inquiry.prompt()).isEqualTo("Approve db failover?");
        Identity ada = identity();
        Identity bob = identity();
        Identity eve = identity();
        transitions.respond(inquiry.id(), ada.actor(), Json.tree("{\"approved\": true, \"comments\": \"a\"}"), null);
        // a partial answer resumes nothing
        assertThat(executions.find(execution.id()).orElseThrow().status()).isEqualTo(ExecutionStatus.PAUSED);
        transitions.respond(inquiry.id(), bob.actor(), Json.tree("{\"approved\": true, \"comments\": \"b\"}"), null);

        Execution resumed = awaitStatus(execution.id(), ExecutionStatus.COMPLETED);
        JsonNode outcome = resumed.result().get("__inquiry");
        assertThat(outcome.get("responses")).extracting(a -> a.get("responded_by").asLong())
                .containsExactly(ada.id(), bob.id());
        assertThat(outcome.get("responded_by").asLong()).isEqualTo(bob.id());
        assertThat(resumed.result().get("context").asString()).isEqualTo("kept");
        // the third person is too late
        InquiryTransitionsRefusal.assertConflict(() -> transitions.respond(inquiry.id(), eve.actor(),
                Json.tree("{\"approved\": true}"), null));
        assertThat(jdbc.sql("SELECT count(*) FROM attune.event WHERE message_type = 'ExecutionStatusChanged' "
                + "AND execution_id = ? AND envelope #>> '{payload,status}' = 'completed'").param(execution.id())
                .query(Long.class).single()).isEqualTo(1L);
    }

    @Test
    void aMissingTemplateOrVariableFailsTheExecutionWithTheReason() {
        Execution missing = report("{\"template\": \"ops.nowhere\"}");
        Execution failed = awaitStatus(missing.id(), ExecutionStatus.FAILED);
        assertThat(failed.result().get("error").asString()).contains("template ops.nowhere does not exist");

        templates.register("ops.hello", "ops/inquiries/hello.yaml", Json.tree("{\"prompt\": \"Hi {{who}}?\"}"),
                null);
        Execution noVar = report("{\"template\": \"ops.hello\", \"vars\": {}}");
        assertThat(awaitStatus(noVar.id(), ExecutionStatus.FAILED).result().get("error").asString())
                .contains("{{who}}");
    }

    @Test
    void anInvalidDefaultFailsTheExecutionAtCreation() {
        Execution execution = report("{\"prompt\": \"Go?\", \"response_schema\": " + SCHEMA
                + ", \"on_timeout\": {\"response\": {\"comments\": \"no\"}}}");
        Execution failed = awaitStatus(execution.id(), ExecutionStatus.FAILED);
        assertThat(failed.result().get("error").asString()).contains("on_timeout's response does not match");
        assertThat(inquiriesOf(execution.id())).isEmpty();
    }

    @Test
    void theTimeoutCheckerResumesADefaultedInquiryCompleted() {
        Execution execution = report("{\"prompt\": \"Go?\", \"response_schema\": " + SCHEMA
                + ", \"timeout_seconds\": 1, \"on_timeout\": {\"response\": {\"approved\": false, "
                + "\"comments\": \"nobody answered\"}}}");
        Inquiry inquiry = awaitInquiry(execution);
        Execution resumed = awaitStatus(execution.id(), ExecutionStatus.COMPLETED);
        JsonNode outcome = resumed.result().get("__inquiry");
        assertThat(outcome.get("defaulted").asBoolean()).isTrue();
        assertThat(outcome.get("status").asString()).isEqualTo("timeout");
        assertThat(outcome.get("response").get("comments").asString()).isEqualTo("nobody answered");
        Inquiry timedOut = inquiries.find(inquiry.id()).orElseThrow();
        assertThat(timedOut.status()).isEqualTo(InquiryStatus.TIMEOUT);
        assertThat(timedOut.defaulted()).isTrue();
        assertThat(audit.history(inquiry.id()).get(1).details().get("defaulted").asBoolean()).isTrue();
    }

    @Test
    void theReminderSweepRemindsOfADueInquiry() {
        Execution execution = report("{\"prompt\": \"Go?\", \"timeout_seconds\": 3600, \"remind_every_seconds\": 60}");
        Inquiry inquiry = awaitInquiry(execution);
        try (BrokerProbe probe = probe("inquiry.reminder")) {
            jdbc.sql("UPDATE attune.inquiry SET next_reminder_at = now() - interval '1 second' WHERE id = ?")
                    .param(inquiry.id()).update();
            // the scheduled sweep (every 5 s) or this one: each reminder goes out once either way
            reminders.sweep();
            List<MessageEnvelope<io.attune.model.message.MessagePayload>> events = probe.take(1, WAIT);
            assertThat(((InquiryReminder) events.get(0).payload()).inquiryId()).isEqualTo(inquiry.id());
        }
        await().atMost(WAIT).until(() -> audit.history(inquiry.id()).stream()
                .filter(e -> e.action().equals("reminder")).count() == 1);
    }
}
