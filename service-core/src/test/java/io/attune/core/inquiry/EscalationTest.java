package io.attune.core.inquiry;

import io.attune.core.error.DomainException;
import io.attune.core.identity.Actor;
import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import io.attune.model.InquiryStatus;
import io.attune.model.json.Json;
import io.attune.model.message.InquiryEscalated;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessagePayload;
import io.attune.model.rest.AuditEntryView;
import io.attune.model.rest.ErrorCode;
import io.attune.testsupport.BrokerProbe;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Escalation: validated at creation, taken by the sweep with its audit entry and event, and racing answers. */
class EscalationTest extends GroupsTestSupport {
    static final JsonNode YES = Json.tree("{\"approved\": true}");

    @Autowired
    AuditRepository audit;

    /** Moves the inquiry's creation (and so its escalation schedule) into the past. */
    void age(long inquiryId, int seconds) {
        jdbc.sql("UPDATE attune.inquiry SET created = created - make_interval(secs => ?), "
                        + "escalate_at = escalate_at - make_interval(secs => ?) WHERE id = ?")
                .params(seconds, seconds, inquiryId).update();
    }

    int sweepAll() {
        int total = 0;
        int batch;
        while ((batch = transitions.escalateDue(1000, UUID.randomUUID())) > 0) {
            total += batch;
        }
        return total;
    }

    @Test
    void invalidEscalationsAreRefusedWithTheirPaths() {
        for (String bad : List.of("{}", "[]", "[{\"after_seconds\": 0, \"assign_to\": 1}]",
                "[{\"after_seconds\": 60}]", "[{\"after_seconds\": 60, \"assign_to\": {\"group\": \"no-such-group\"}}]",
                "[{\"after_seconds\": 60, \"assign_to\": 1, \"notify\": true}]",
                "[{\"after_seconds\": 60, \"assign_to\": 1}, {\"after_seconds\": 30, \"assign_to\": 1}]")) {
            InquiryRequestValidator.Result result = validator.validate(Json.tree(
                    "{\"prompt\": \"Go?\", \"escalation\": " + bad + "}"));
            assertThat(result.isValid()).as(bad).isFalse();
            assertThat(result.problems()).as(bad).allSatisfy(p -> assertThat(p.path()).startsWith("/escalation"));
        }
    }

    @Test
    void aDueStepReassignsAuditsAndAnnouncesAndTheNextStepFollows() {
        Identity bob = identity(Role.USER);
        Identity ada = identity(Role.USER);
        Identity lead = identity(Role.USER);
        String sre = group(ada);
        Inquiry inquiry = open("{\"prompt\": \"Deploy?\", \"assigned_to\": " + bob.id() + ", \"escalation\": ["
                + "{\"after_seconds\": 600, \"assign_to\": {\"group\": \"" + sre + "\"}},"
                + "{\"after_seconds\": 1200, \"assign_to\": [{\"user\": " + lead.id() + "}, {\"group\": \"" + sre
                + "\"}]}]}");
        assertThat(sweepAll()).isZero(); // not due yet
        age(inquiry.id(), 601);
        try (BrokerProbe probe = new BrokerProbe(environment, "inquiry.escalated")) {
            assertThat(sweepAll()).isEqualTo(1);
            MessageEnvelope<MessagePayload> event = probe.take(1, Duration.ofSeconds(10)).get(0);
            InquiryEscalated escalated = (InquiryEscalated) event.payload();
            assertThat(escalated.inquiryId()).isEqualTo(inquiry.id());
            assertThat(escalated.step()).isEqualTo(1);
            assertThat(escalated.assignedTo().groups()).containsExactly(sre);
            assertThat(escalated.previousAssignedTo().users()).containsExactly(bob.id());
        }
        Inquiry now = inquiries.find(inquiry.id()).orElseThrow();
        assertThat(now.assignedTo()).isNull();
        assertThat(now.assignment().groups()).containsExactly(sre);
        assertThat(now.status()).isEqualTo(InquiryStatus.PENDING);
        List<AuditEntryView> history = audit.history(inquiry.id());
        assertThat(history).extracting(AuditEntryView::action).containsExactly("created", "escalated");
        assertThat(history.get(1).details().get("previous_assigned_to").asLong()).isEqualTo(bob.id());
        assertThat(history.get(1).details().get("step").asInt()).isEqualTo(1);
        assertThat(sweepAll()).as("the second step is not due yet").isZero();

        assertRefused(() -> transitions.respond(inquiry.id(), fresh(bob), YES, null), ErrorCode.NOT_FOUND);

        age(inquiry.id(), 600);
        assertThat(sweepAll()).isEqualTo(1);
        assertThat(inquiries.find(inquiry.id()).orElseThrow().assignment().users()).containsExactly(lead.id());
        assertThat(sweepAll()).as("no third step").isZero();
        assertThat(transitions.respond(inquiry.id(), fresh(lead), YES, null).respondedBy()).isEqualTo(lead.id());
        assertThat(audit.history(inquiry.id())).extracting(AuditEntryView::action)
                .containsExactly("created", "escalated", "escalated", "responded");
    }

    @Test
    void anAnsweredOrExpiredInquiryIsNotEscalated() {
        Identity bob = identity(Role.USER);
        Inquiry answered = open("{\"prompt\": \"A?\", \"escalation\": [{\"after_seconds\": 60, \"assign_to\": "
                + bob.id() + "}]}");
        Inquiry expired = open("{\"prompt\": \"B?\", \"timeout_seconds\": 30, \"escalation\": [{\"after_seconds\": "
                + "60, \"assign_to\": " + bob.id() + "}]}");
        transitions.respond(answered.id(), fresh(bob), YES, null);
        age(answered.id(), 61);
        age(expired.id(), 61);
        jdbc.sql("UPDATE attune.inquiry SET timeout_at = now() - interval '1 second' WHERE id = ?")
                .param(expired.id()).update();
        assertThat(sweepAll()).isZero();
        assertThat(audit.history(expired.id())).extracting(AuditEntryView::action).containsExactly("created");
    }

    /**
     * The previous assignee answers while the sweep reassigns the inquiry away from them: for each inquiry exactly
     * one of the two happens first — answered by bob and never escalated, or escalated and bob refused with 403 —
     * and the database's state, the audit and bob's result all tell the same story.
     */
    @Test
    void anAnswerRacingTheEscalationSeesOneOrder() throws Exception {
        Identity bob = identity(Role.USER);
        Identity ada = identity(Role.USER);
        String sre = group(ada);
        int count = 40;
        List<Inquiry> racing = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Inquiry inquiry = open("{\"prompt\": \"Race " + i + "?\", \"assigned_to\": " + bob.id()
                    + ", \"escalation\": [{\"after_seconds\": 60, \"assign_to\": {\"group\": \"" + sre + "\"}}]}");
            age(inquiry.id(), 61);
            racing.add(inquiry);
        }
        Actor bobActor = fresh(bob);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> sweeps = new ArrayList<>();
            for (int s = 0; s < 2; s++) {
                sweeps.add(pool.submit(() -> {
                    start.await();
                    int total = 0;
                    for (int round = 0; round < 40; round++) {
                        total += transitions.escalateDue(1, UUID.randomUUID());
                    }
                    return total;
                }));
            }
            List<Future<ErrorCode>> answers = new ArrayList<>();
            for (Inquiry inquiry : racing) {
                answers.add(pool.submit(() -> {
                    start.await();
                    try {
                        transitions.respond(inquiry.id(), bobActor, YES, null);
                        return null;
                    } catch (DomainException refused) {
                        return refused.code();
                    }
                }));
            }
            start.countDown();
            for (Future<Integer> sweep : sweeps) {
                sweep.get();
            }
            sweepAll(); // whatever the racing sweeps left pending and due
            int answeredByBob = 0;
            int escalated = 0;
            for (int i = 0; i < count; i++) {
                ErrorCode bobGot = answers.get(i).get();
                Inquiry now = inquiries.find(racing.get(i).id()).orElseThrow();
                List<String> actions = audit.history(now.id()).stream().map(AuditEntryView::action).toList();
                if (bobGot == null) {
                    answeredByBob++;
                    assertThat(now.status()).isEqualTo(InquiryStatus.RESPONDED);
                    assertThat(now.respondedBy()).isEqualTo(bob.id());
                    assertThat(actions).containsExactly("created", "responded");
                } else {
                    escalated++;
                    // refused because it was no longer his: 403 when the answer's update saw the new assignees,
                    // 404 when the reassignment was already visible before it
                    assertThat(bobGot).isIn(ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND);
                    assertThat(now.status()).isEqualTo(InquiryStatus.PENDING);
                    assertThat(now.assignment().groups()).containsExactly(sre);
                    assertThat(actions).containsExactly("created", "escalated");
                }
            }
            assertThat(answeredByBob + escalated).isEqualTo(count);
        } finally {
            pool.shutdownNow();
        }
    }

    static void assertRefused(Runnable call, ErrorCode code) {
        org.assertj.core.api.Assertions.assertThatThrownBy(call::run).isInstanceOfSatisfying(DomainException.class,
                e -> assertThat(e.code()).isEqualTo(code));
    }
}
