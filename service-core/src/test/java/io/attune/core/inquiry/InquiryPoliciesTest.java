package io.attune.core.inquiry;

import io.attune.core.CoreIntegrationTest;
import io.attune.core.execution.Execution;
import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import io.attune.model.ExecutionStatus;
import io.attune.model.InquiryStatus;
import io.attune.model.inquiry.InquiryRequest;
import io.attune.model.json.Json;
import io.attune.model.message.InquiryReminder;
import io.attune.model.message.InquiryResponded;
import io.attune.model.message.InquiryUpdated;
import io.attune.model.rest.ErrorCode;
import io.attune.model.rest.InquiryView;
import io.attune.testsupport.BrokerProbe;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.attune.core.inquiry.InquiryTransitionsTest.APPROVAL_SCHEMA;
import static io.attune.core.inquiry.InquiryTransitionsTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

/** Quorum, default on timeout, templates and reminders (docs/policies.md), on a real Postgres and broker. */
class InquiryPoliciesTest extends CoreIntegrationTest {
    static final JsonNode SECRET_SCHEMA = Json.tree("""
            {"type": "object", "properties": {"approved": {"type": "boolean"},
             "token": {"type": "string", "secret": true}}, "required": ["approved"]}""");

    @Autowired
    InquiryTransitions transitions;
    @Autowired
    ExecutionResumption resumption;
    @Autowired
    InquiryRequestValidator validator;
    @Autowired
    InquiryTemplates templates;
    @Autowired
    AuditRepository audit;
    @Autowired
    InquiryRepository inquiries;
    @Autowired
    ResultMask resultMask;
    @Autowired
    TransactionTemplate transactions;

    Inquiry open(JsonNode asked) {
        InquiryRequestValidator.Result validation = validator.validate(asked);
        assertThat(validation.problems()).isEmpty();
        Execution execution = runningExecution();
        return transactions.execute(tx -> transitions.open(executions.lock(execution.id()).orElseThrow(),
                validation.request(), Json.tree("{\"plan\": 1}"), null));
    }

    static JsonNode quorum(int required, boolean decisionField) {
        return Json.tree("{\"prompt\": \"Deploy?\", \"response_schema\": " + Json.write(APPROVAL_SCHEMA)
                + ", \"timeout_seconds\": 3600, \"approvals_required\": " + required
                + (decisionField ? ", \"decision_field\": \"/approved\"" : "") + "}");
    }

    static JsonNode answer(boolean approved) {
        return Json.tree("{\"approved\": " + approved + "}");
    }

    Execution resume(Inquiry responded) {
        return resumption.resume(new InquiryResponded(responded.id(), responded.execution(),
                responded.response(), responded.respondedBy(), responded.respondedAt()), null).orElseThrow();
    }

    @Test
    void twoOfThreeStaysPendingUntilTheSecondApprovalThenResumesOnceWithEveryAnswer() {
        Identity ada = identity(Role.USER);
        Identity bob = identity(Role.USER);
        Inquiry inquiry = open(quorum(2, true));
        assertThat(inquiry.approvalsRequired()).isEqualTo(2);
        try (BrokerProbe probe = new BrokerProbe(environment, "inquiry.updated", "inquiry.responded")) {
            Inquiry partial = transitions.respond(inquiry.id(), ada.actor(), answer(true), null);
            assertThat(partial.status()).isEqualTo(InquiryStatus.PENDING);
            assertThat(partial.responses()).extracting(a -> a.respondedBy()).containsExactly(ada.id());
            InquiryUpdated updated = (InquiryUpdated) probe.take(1, Duration.ofSeconds(10)).get(0).payload();
            assertThat(updated.approvals()).isEqualTo(1);
            assertThat(updated.approvalsRequired()).isEqualTo(2);
            assertThat(executions.find(inquiry.execution()).orElseThrow().status()).isEqualTo(ExecutionStatus.PAUSED);

            // the same person again: 409, and nothing of it kept
            assertRefused(() -> transitions.respond(inquiry.id(), ada.actor(), answer(true), null),
                    ErrorCode.CONFLICT);
            assertThat(inquiries.find(inquiry.id()).orElseThrow().responses()).hasSize(1);

            Inquiry decided = transitions.respond(inquiry.id(), bob.actor(), answer(true), null);
            assertThat(decided.status()).isEqualTo(InquiryStatus.RESPONDED);
            assertThat(decided.respondedBy()).isEqualTo(bob.id());
            assertThat(probe.take(1, Duration.ofSeconds(10)).get(0).payload()).isInstanceOf(InquiryResponded.class);
        }
        assertThat(audit.history(inquiry.id())).extracting(e -> e.action() + "/" + e.details().path("quorum")
                .path("approvals").asInt()).containsExactly("created/0", "responded/1", "responded/2");
        assertThat(audit.history(inquiry.id()).get(1).details().get("status").asString()).isEqualTo("pending");

        Inquiry decided = inquiries.find(inquiry.id()).orElseThrow();
        Execution resumed = resume(decided);
        JsonNode record = resumed.result().get("__inquiry");
        assertThat(resumed.status()).isEqualTo(ExecutionStatus.COMPLETED);
        assertThat(record.get("responses")).hasSize(2);
        assertThat(record.get("responses").get(0).get("responded_by").asLong()).isEqualTo(ada.id());
        assertThat(record.get("responses").get(1).get("response").get("approved").asBoolean()).isTrue();
        assertThat(resumption.resume(new InquiryResponded(decided.id(), decided.execution(),
                decided.response(), decided.respondedBy(), decided.respondedAt()), null)).isEmpty();

        InquiryView view = decided.toView();
        assertThat(view.approvalsRequired()).isEqualTo(2);
        assertThat(view.decisionField()).isEqualTo("/approved");
        assertThat(view.responses()).hasSize(2);
    }

    @Test
    void aFalseAtTheDecisionFieldDecidesAtOnceAndOnlyTrueAnswersCount() {
        Identity ada = identity(Role.USER);
        Identity bob = identity(Role.USER);
        Inquiry inquiry = open(quorum(3, true));
        assertThat(transitions.respond(inquiry.id(), ada.actor(), answer(true), null).status())
                .isEqualTo(InquiryStatus.PENDING);
        Inquiry rejected = transitions.respond(inquiry.id(), bob.actor(), answer(false), null);
        assertThat(rejected.status()).isEqualTo(InquiryStatus.RESPONDED);
        assertThat(rejected.response().get("approved").asBoolean()).isFalse();
        assertThat(rejected.responses()).hasSize(2);
        assertThat(audit.history(inquiry.id()).get(2).details().get("quorum").get("decided_by").asString())
                .isEqualTo("rejection");
        assertThat(resume(rejected).result().get("__inquiry").get("response").get("approved").asBoolean())
                .isFalse();

        // an answer without a boolean at decision_field cannot decide anything: 422, even where the schema allows it
        Inquiry optional = open(Json.tree("""
                {"prompt": "Go?", "response_schema": {"type": "object", "properties": {"approved": {"type": "boolean"}}},
                 "approvals_required": 2, "decision_field": "/approved"}"""));
        assertRefused(() -> transitions.respond(optional.id(), ada.actor(), Json.object(), null),
                ErrorCode.VALIDATION_ERROR);
        assertThat(inquiries.find(optional.id()).orElseThrow().responses()).isEmpty();
    }

    @Test
    void ofConcurrentAnswersForTheLastSlotExactlyOneCompletesIt() throws Exception {
        for (int round = 0; round < 3; round++) {
            Inquiry inquiry = open(quorum(2, false));
            transitions.respond(inquiry.id(), identity(Role.USER).actor(), answer(true), null);
            List<Identity> people = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                people.add(identity(Role.USER));
            }
            assertThat(AnswersAtOnce.winners(transitions, inquiry.id(), people, answer(true))).isEqualTo(1);
            Inquiry decided = inquiries.find(inquiry.id()).orElseThrow();
            assertThat(decided.status()).isEqualTo(InquiryStatus.RESPONDED);
            assertThat(decided.responses()).hasSize(2);
            assertThat(jdbc.sql("SELECT count(*) FROM attune.inquiry_response WHERE inquiry = ?").param(inquiry.id())
                    .query(Long.class).single()).isEqualTo(2L);
            assertThat(audit.history(inquiry.id())).filteredOn(e -> e.action().equals("responded")).hasSize(2);
            assertThat(jdbc.sql("SELECT count(*) FROM attune.event WHERE message_type = 'InquiryResponded' "
                    + "AND inquiry_id = ?").param(inquiry.id()).query(Long.class).single()).isEqualTo(1L);
            // only the first answer left it pending; the losers left no "counted toward the quorum" event behind
            assertThat(jdbc.sql("SELECT count(*) FROM attune.event WHERE message_type = 'InquiryUpdated' "
                    + "AND inquiry_id = ?").param(inquiry.id()).query(Long.class).single()).isEqualTo(1L);
        }
    }

    @Test
    void aQuorumCannotBeAskedOfASingleAssigneeNorDecidedByANonBoolean() {
        Identity ada = identity(Role.USER);
        JsonNode single = Json.tree("{\"prompt\": \"Go?\", \"assigned_to\": " + ada.id()
                + ", \"approvals_required\": 2}");
        assertThat(validator.validate(single).problems()).extracting(p -> p.path())
                .containsExactly("/approvals_required");
        JsonNode notBoolean = Json.tree("{\"prompt\": \"Go?\", \"response_schema\": " + Json.write(APPROVAL_SCHEMA)
                + ", \"approvals_required\": 2, \"decision_field\": \"/comments\"}");
        assertThat(validator.validate(notBoolean).problems()).extracting(p -> p.path())
                .containsExactly("/decision_field");
        assertThat(validator.validate(Json.tree("{\"prompt\": \"Go?\", \"approvals_required\": 0}")).problems())
                .extracting(p -> p.path()).containsExactly("/approvals_required");
        assertThat(validator.validate(Json.tree("{\"prompt\": \"Go?\", \"remind_every_seconds\": 59}")).problems())
                .extracting(p -> p.path()).containsExactly("/remind_every_seconds");
    }

    @Test
    void anInvalidDefaultIsRefusedAtCreation() {
        JsonNode asked = Json.tree("{\"prompt\": \"Go?\", \"response_schema\": " + Json.write(APPROVAL_SCHEMA)
                + ", \"on_timeout\": {\"response\": {\"approved\": \"no\"}}}");
        InquiryRequestValidator.Result result = validator.validate(asked);
        assertThat(result.problems()).extracting(p -> p.path()).containsExactly("/on_timeout/response/approved");
        assertThat(result.summary()).contains("on_timeout");
        assertThat(validator.validate(Json.tree("{\"prompt\": \"Go?\", \"on_timeout\": {\"approved\": false}}"))
                .problems()).extracting(p -> p.path()).containsExactly("/on_timeout");
    }

    @Test
    void atTheTimeoutADefaultedInquiryResumesItsExecutionCompletedWithTheDefault() {
        Identity ada = identity(Role.USER);
        Inquiry plain = open(quorum(1, false));
        JsonNode asked = Json.tree("{\"prompt\": \"Rotate?\", \"response_schema\": " + Json.write(SECRET_SCHEMA)
                + ", \"timeout_seconds\": 3600, \"approvals_required\": 2, \"on_timeout\": {\"response\": "
                + "{\"approved\": false, \"token\": \"s3cr3t-default\"}}}");
        Inquiry defaulted = open(asked);
        transitions.respond(defaulted.id(), ada.actor(), Json.tree("{\"approved\": true, \"token\": \"ada-t\"}"),
                null);
        jdbc.sql("UPDATE attune.inquiry SET timeout_at = now() - interval '1 second' WHERE id IN (?, ?)")
                .params(plain.id(), defaulted.id()).update();
        assertThat(transitions.timeOutExpired(100, null)).isEqualTo(2);

        Inquiry timedOut = inquiries.find(defaulted.id()).orElseThrow();
        assertThat(timedOut.status()).isEqualTo(InquiryStatus.TIMEOUT);
        assertThat(timedOut.defaulted()).isTrue();
        Execution execution = executions.find(defaulted.execution()).orElseThrow();
        assertThat(execution.status()).isEqualTo(ExecutionStatus.COMPLETED);
        JsonNode record = execution.result().get("__inquiry");
        assertThat(record.get("defaulted").asBoolean()).isTrue();
        assertThat(record.get("status").asString()).isEqualTo("timeout");
        assertThat(record.get("response").get("token").asString()).isEqualTo("s3cr3t-default");
        assertThat(record.get("responses")).hasSize(1);
        assertThat(execution.result().get("plan").asInt()).isEqualTo(1);
        JsonNode timeoutEntry = audit.history(defaulted.id()).get(2).details();
        assertThat(timeoutEntry.get("defaulted").asBoolean()).isTrue();
        assertThat(timeoutEntry.get("response").get("token").asString()).isEqualTo("********");

        // secrets stay masked wherever the answers are shown
        String shown = Json.write(resultMask.shown(execution.result()));
        assertThat(shown).doesNotContain("s3cr3t-default").doesNotContain("ada-t");
        String view = Json.write(timedOut.toView());
        assertThat(view).doesNotContain("s3cr3t-default").doesNotContain("ada-t").contains("\"defaulted\":true");

        Inquiry plainAfter = inquiries.find(plain.id()).orElseThrow();
        assertThat(plainAfter.defaulted()).isFalse();
        assertThat(executions.find(plain.execution()).orElseThrow().status()).isEqualTo(ExecutionStatus.TIMEOUT);
    }

    @Test
    void aTemplateIsExpandedWithItsVarsAndTheInlineFieldsOnTop() {
        templates.register("ops.change", "ops/inquiries/change.yaml", Json.tree("""
                {"prompt": "Approve {{change}} on {{env}}?", "timeout_seconds": "{{hours}}",
                 "response_schema": {"type": "object", "title": "{{change}}",
                   "properties": {"approved": {"type": "boolean"}}, "required": ["approved"]},
                 "approvals_required": 2, "decision_field": "/approved"}"""), null);
        InquiryRequestValidator.Result result = validator.validate(Json.tree("""
                {"template": "ops.change", "vars": {"change": "db failover", "env": "prod", "hours": 7200},
                 "approvals_required": 3}"""));
        assertThat(result.problems()).isEmpty();
        InquiryRequest request = result.request();
        assertThat(request.prompt()).isEqualTo("Approve db failover on prod?");
        assertThat(request.timeoutSeconds()).isEqualTo(7200L);
        assertThat(request.responseSchema().get("title").asString()).isEqualTo("db failover");
        assertThat(request.approvalsRequired()).isEqualTo(3);
        assertThat(request.decisionField()).isEqualTo("/approved");

        assertThat(validator.validate(Json.tree("{\"template\": \"ops.nothing\"}")).summary())
                .contains("template ops.nothing does not exist");
        InquiryRequestValidator.Result missingVar = validator.validate(Json.tree("""
                {"template": "ops.change", "vars": {"change": "x", "hours": 60}}"""));
        assertThat(missingVar.problems()).extracting(p -> p.path()).containsExactly("/vars");
        assertThat(missingVar.summary()).contains("{{env}}");

        templates.register("ops.broken", "ops/inquiries/broken.yaml", null,
                Json.tree("[{\"file\": \"ops/inquiries/broken.yaml\", \"line\": 3, \"message\": \"not valid YAML\"}]"));
        assertThat(validator.validate(Json.tree("{\"template\": \"ops.broken\"}")).summary())
                .contains("template ops.broken is invalid").contains("broken.yaml:3");
    }

    @Test
    void aDueReminderIsSentOncePerPeriodAndAudited() {
        JsonNode asked = Json.tree("{\"prompt\": \"Still there?\", \"timeout_seconds\": 3600, "
                + "\"remind_every_seconds\": 60}");
        Inquiry inquiry = open(asked);
        Inquiry quiet = open(quorum(1, false));
        assertThat(inquiry.remindEverySeconds()).isEqualTo(60);
        assertThat(transitions.remindDue(100, null)).isZero();
        jdbc.sql("UPDATE attune.inquiry SET next_reminder_at = now() - interval '1 second', "
                + "created = now() - interval '61 seconds' WHERE id = ?").param(inquiry.id()).update();
        try (BrokerProbe probe = new BrokerProbe(environment, "inquiry.reminder")) {
            assertThat(transitions.remindDue(100, null)).isEqualTo(1);
            InquiryReminder reminder = (InquiryReminder) probe.take(1, Duration.ofSeconds(10)).get(0).payload();
            assertThat(reminder.inquiryId()).isEqualTo(inquiry.id());
            assertThat(reminder.reminder()).isEqualTo(1);
        }
        assertThat(transitions.remindDue(100, null)).isZero();
        assertThat(audit.history(inquiry.id())).extracting(e -> e.action()).containsExactly("created", "reminder");
        assertThat(audit.history(quiet.id())).extracting(e -> e.action()).containsExactly("created");
        assertThat(jdbc.sql("SELECT next_reminder_at > now() + interval '50 seconds' FROM attune.inquiry WHERE id = ?")
                .param(inquiry.id()).query(Boolean.class).single()).isTrue();

        // a decided inquiry is reminded of no more
        jdbc.sql("UPDATE attune.inquiry SET next_reminder_at = now() - interval '1 second' WHERE id = ?")
                .param(inquiry.id()).update();
        transitions.respond(inquiry.id(), identity(Role.USER).actor(), Json.object(), null);
        assertThat(transitions.remindDue(100, null)).isZero();
    }

    @Test
    void sweepsRunningSideBySideRemindOfEachDueInquiryOnce() throws Exception {
        List<Long> asked = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            asked.add(open(Json.tree("{\"prompt\": \"Still there?\", \"timeout_seconds\": 3600, "
                    + "\"remind_every_seconds\": 60}")).id());
        }
        jdbc.sql("UPDATE attune.inquiry SET next_reminder_at = now() - interval '1 second' WHERE id IN (:ids)")
                .param("ids", asked).update();
        // four executors' sweeps at once, in small batches, until nothing is due
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        var start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<Integer>> sweeps = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            sweeps.add(pool.submit(() -> {
                start.await();
                int reminded = 0;
                for (int n; (n = transitions.remindDue(3, null)) > 0; ) {
                    reminded += n;
                }
                return reminded;
            }));
        }
        start.countDown();
        int total = 0;
        for (var sweep : sweeps) {
            total += sweep.get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertThat(total).isGreaterThanOrEqualTo(asked.size());
        for (long id : asked) {
            assertThat(audit.history(id)).extracting(e -> e.action()).containsExactly("created", "reminder");
        }
        assertThat(jdbc.sql("SELECT count(*) FROM attune.event WHERE message_type = 'InquiryReminder' "
                + "AND inquiry_id IN (:ids)").param("ids", asked)
                .query(Long.class).single()).isEqualTo(asked.size());
    }
}
