package io.attune.core.inquiry;

import io.attune.core.StorableJson;
import io.attune.core.error.DomainException;
import io.attune.core.event.Outbox;
import io.attune.core.execution.Execution;
import io.attune.core.execution.ExecutionRepository;
import io.attune.core.execution.ExecutionTransitions;
import io.attune.core.identity.Actor;
import io.attune.core.secret.SecretMask;
import io.attune.model.ExecutionStatus;
import io.attune.model.InquiryStatus;
import io.attune.model.inquiry.InquiryOutcome;
import io.attune.model.inquiry.InquiryOutcome.Answer;
import io.attune.model.inquiry.InquiryRequest;
import io.attune.model.json.Json;
import io.attune.model.message.InquiryCancelled;
import io.attune.model.message.InquiryCreated;
import io.attune.model.message.InquiryEscalated;
import io.attune.model.message.InquiryResponded;
import io.attune.model.message.InquiryReminder;
import io.attune.model.message.InquiryTimedOut;
import io.attune.model.message.InquiryUpdated;
import io.attune.model.message.MessagePayload;
import io.attune.model.rest.ApiError.ErrorDetail;
import io.attune.model.rest.ErrorCode;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The one place that decides every inquiry transition — created, responded, escalated, timeout, cancelled — for whichever
 * service asks. Each method is one transaction holding the status change, the execution's change, the audit entry
 * and the events that announce them: all of it commits, or none of it.
 */
@Service
public class InquiryTransitions {
    private final InquiryRepository inquiries;
    private final ExecutionRepository executions;
    private final ExecutionTransitions executionTransitions;
    private final AuditRepository audit;
    private final JsonSchemas schemas;
    private final Outbox outbox;
    private final TransactionTemplate transactions;
    private final DecisionMetrics decisions;

    public InquiryTransitions(InquiryRepository inquiries, ExecutionRepository executions,
                              ExecutionTransitions executionTransitions, AuditRepository audit, JsonSchemas schemas,
                              Outbox outbox, TransactionTemplate transactions, DecisionMetrics decisions) {
        this.inquiries = inquiries;
        this.executions = executions;
        this.executionTransitions = executionTransitions;
        this.audit = audit;
        this.schemas = schemas;
        this.outbox = outbox;
        this.transactions = transactions;
        this.decisions = decisions;
    }

    /**
     * Opens an inquiry for an execution that reported a valid {@code __inquiry}: the inquiry is pending, the execution
     * {@code paused} with {@code result} stored, and InquiryCreated and ExecutionStatusChanged are on their way.
     * The caller holds the execution's lock and has checked that it awaited a report.
     */
    @Transactional
    public Inquiry open(Execution locked, InquiryRequest request, JsonNode result, UUID correlationId) {
        Inquiry inquiry = inquiries.insert(locked.id(), request);
        Execution paused = executions.update(locked, ExecutionTransitions.AWAITING_REPORT,
                        ExecutionStatus.PAUSED, result)
                .orElseThrow(() -> new IllegalStateException("execution " + locked.id() + " is not awaiting a report"));
        ObjectNode details = Json.object();
        details.put("prompt", inquiry.prompt());
        details.set("response_schema", inquiry.responseSchema());
        details.set("assigned_to", inquiry.assignment() == null ? null : inquiry.assignment().given());
        details.put("timeout_at", inquiry.timeoutAt() == null ? null : inquiry.timeoutAt().toString());
        if (request.allowSelfApproval()) {
            details.put("allow_self_approval", true);
        }
        if (!request.escalation().isEmpty()) {
            details.set("escalation", Json.mapper().valueToTree(request.escalation()));
        }
        policiesIn(inquiry, details);
        audit.record(inquiry.id(), "created", Actor.SYSTEM, details);
        outbox.append(new InquiryCreated(inquiry.id(), inquiry.execution(), inquiry.prompt(), inquiry.responseSchema(),
                inquiry.assignment(), inquiry.timeoutAt()), correlationId);
        executionTransitions.announce(locked, paused, correlationId);
        return inquiry;
    }

    /**
     * A person's answer. Refused with 404 when the actor may not see the inquiry, 409 when it is no longer pending or
     * its timeout has passed (even before the checker ran), 403 when it is assigned to someone else, 403
     * {@code SELF_APPROVAL} when the actor requested the execution and the inquiry does not allow that, 400 when there
     * is no response object or it holds what cannot be stored, 413 when it is over
     * {@link InquiryLimits#ANSWER_MAX_BYTES}, 422 when it fails the inquiry's schema. The answer is checked before any
     * transaction begins (a slow schema holds no lock and no connection); then one transaction makes the conditional
     * update, the audit entry and the event: of concurrent answers exactly one wins, everyone else gets 409.
     */
    public Inquiry respond(long inquiryId, Actor actor, JsonNode response, UUID correlationId) {
        Inquiry inquiry = mayRespond(inquiryId, actor);
        if (response == null || response.isNull()) {
            throw DomainException.badRequest("the body must hold the answer in \"response\"");
        }
        int size = Json.writeBytes(response).length;
        if (size > InquiryLimits.ANSWER_MAX_BYTES) {
            throw DomainException.payloadTooLarge("the response is " + size + " bytes; at most "
                    + InquiryLimits.ANSWER_MAX_BYTES + " are allowed");
        }
        if (StorableJson.containsNul(response)) {
            throw DomainException.badRequest("the response holds a U+0000 (NUL) character, which cannot be stored");
        }
        List<ErrorDetail> violations = inquiry.responseSchema() == null
                ? (response.isObject() ? List.of() : List.of(new ErrorDetail("", "response must be a JSON object")))
                : schemas.validate(inquiry.responseSchema(), response);
        if (!violations.isEmpty()) {
            throw DomainException.validation("response does not match the inquiry's response_schema",
                    SecretMask.maskDetails(inquiry.responseSchema(), response, violations));
        }
        if (inquiry.decisionField() != null && !response.at(inquiry.decisionField()).isBoolean()) {
            throw DomainException.validation("response does not match the inquiry's decision_field",
                    List.of(new ErrorDetail(inquiry.decisionField(), "must be true or false: it decides the inquiry")));
        }
        if (inquiry.approvalsRequired() > 1) {
            return transactions.execute(status -> answerQuorum(inquiry, actor, response, correlationId));
        }
        // masked outside the transaction: it depends only on the schema, which never changes
        JsonNode shown = SecretMask.mask(inquiry.responseSchema(), response);
        return transactions.execute(status -> decide(inquiry, actor, response, shown, null, correlationId));
    }

    /**
     * Every check of {@link #respond} that does not look at the answer (visibility 404, pending 409, assignee 403,
     * self-approval 403): the inquiry when the actor may answer it now. Pages that offer a form (signed links) ask
     * this first, so that they refuse exactly as the answer would. One query reads all it needs.
     */
    public Inquiry mayRespond(long inquiryId, Actor actor) {
        InquiryRepository.AnswerCheck check = inquiries.forAnswer(inquiryId, actor.id())
                .filter(c -> actor.canSee(c.inquiry().assignment()))
                .orElseThrow(() -> DomainException.notFound("inquiry " + inquiryId + " not found"));
        Inquiry inquiry = check.inquiry();
        if (inquiry.status() != InquiryStatus.PENDING) {
            throw conflict(inquiry);
        }
        if (check.pastTimeout()) {
            throw DomainException.conflict("inquiry " + inquiry.id() + " timed out at " + inquiry.timeoutAt());
        }
        if (!actor.mayAnswer(inquiry.assignment())) {
            throw notEligible(inquiryId);
        }
        if (actor.id() != null && check.refusedSelfApproval()) {
            throw new DomainException(ErrorCode.SELF_APPROVAL, "you requested execution " + inquiry.execution()
                    + ", so someone else must answer its inquiry " + inquiryId, List.of());
        }
        return inquiry;
    }

    /**
     * One answer to an inquiry that needs {@code approvals_required} of them (docs/policies.md#quorum). The inquiry
     * is locked first, so answers to it are taken one at a time: each is kept (a person's second answer is 409); a
     * {@code false} at {@code decision_field} decides at once; the answer that brings the approvals to the quorum
     * decides too; any other leaves the inquiry pending with an audit entry {@code responded} and an InquiryUpdated
     * event. Of two answers racing for the last slot the second finds the inquiry decided: 409, nothing of it kept.
     */
    private Inquiry answerQuorum(Inquiry before, Actor actor, JsonNode response, UUID correlationId) {
        long inquiryId = before.id();
        Inquiry locked = inquiries.lockPending(inquiryId)
                .orElseThrow(() -> conflict(inquiries.find(inquiryId).orElse(before)));
        if (!actor.mayAnswer(locked.assignment())) {
            throw notEligible(inquiryId); // escalated to others since the checks before the lock
        }
        Answer answer = inquiries.recordAnswer(inquiryId, actor.id(), response)
                .orElseThrow(() -> DomainException.conflict("you have already answered inquiry " + inquiryId
                        + "; it needs " + locked.approvalsRequired() + " different people"));
        boolean rejected = locked.decisionField() != null && !response.at(locked.decisionField()).asBoolean(false);
        int approvals = inquiries.approvals(inquiryId, locked.decisionField());
        ObjectNode quorum = Json.object();
        quorum.put("approvals", approvals);
        quorum.put("approvals_required", locked.approvalsRequired());
        if (rejected || approvals >= locked.approvalsRequired()) {
            quorum.put("decided_by", rejected ? "rejection" : "quorum");
            return decide(locked, actor, response, SecretMask.mask(locked.responseSchema(), response), quorum,
                    correlationId);
        }
        ObjectNode details = Json.object();
        details.set("response", SecretMask.mask(locked.responseSchema(), response));
        details.put("status", InquiryStatus.PENDING.wire());
        details.set("quorum", quorum);
        audit.record(inquiryId, "responded", actor, details);
        outbox.append(new InquiryUpdated(inquiryId, locked.execution(), actor.id(), answer.respondedAt(), approvals,
                locked.approvalsRequired()), correlationId);
        return inquiries.find(inquiryId).orElseThrow();
    }

    /**
     * The deciding answer, in the caller's transaction: the conditional update and InquiryResponded in one statement
     * (the database picks the one winner; a refused answer stores no event), then the audit entry and the figures.
     * Only the inquiry row keeps the answer in clear: the executor resumes the execution from that row, so the
     * history and the event (stored in attune.event, replayed to notifiers) hold it masked ({@code shown}).
     */
    private Inquiry decide(Inquiry before, Actor actor, JsonNode response, JsonNode shown, ObjectNode quorum,
                           UUID correlationId) {
        // responded_at is the update's own moment: the statement writes it into the event
        Outbox.Row event = outbox.row(new InquiryResponded(before.id(), before.execution(), shown, actor.id(),
                java.time.Instant.EPOCH), correlationId);
        Inquiry responded = inquiries.markRespondedAnnounced(before.id(), response, actor.id(), event)
                .orElseThrow(() -> refusedAnswer(inquiries.find(before.id()).orElse(before), actor));
        ObjectNode details = Json.object();
        details.set("response", shown);
        if (quorum != null) {
            details.set("quorum", quorum);
        }
        audit.record(responded.id(), "responded", actor, details);
        decisions.decided(responded);
        return responded;
    }

    /**
     * An admin's cancellation: the inquiry and its execution become {@code cancelled}. 409 unless pending, and 409 once
     * its timeout has passed, even before the checker ran — by the same clock and rule as an answer.
     */
    @Transactional
    public Inquiry cancel(long inquiryId, Actor actor, UUID correlationId) {
        if (!actor.isAdmin()) {
            throw DomainException.forbidden("only an admin may cancel an inquiry");
        }
        Inquiry inquiry = visible(inquiryId, actor);
        Inquiry cancelled = inquiries.markCancelled(inquiryId)
                .orElseThrow(() -> conflict(inquiries.find(inquiryId).orElse(inquiry)));
        audit.record(inquiryId, "cancelled", actor, null);
        decisions.decided(cancelled);
        outbox.append(new InquiryCancelled(cancelled.id(), cancelled.execution(), actor.id()), correlationId);
        executionTransitions.finishPaused(Map.of(cancelled.execution(),
                InquiryOutcome.cancelled(cancelled.id(), cancelled.prompt(), actor.id())), ExecutionStatus.CANCELLED,
                correlationId);
        return cancelled;
    }

    /**
     * Cancels the pending inquiry of an execution that is being cancelled with its workflow; who may do that was
     * decided by the caller (an admin or the workflow's requester). The inquiry and the execution become
     * {@code cancelled}, as with {@link #cancel}. Empty when the execution waits on no inquiry.
     */
    @Transactional
    public Optional<Inquiry> cancelPendingOf(long executionId, Actor actor, UUID correlationId) {
        Optional<Inquiry> cancelled = inquiries.pendingOf(executionId).flatMap(i -> inquiries.markCancelled(i.id()));
        cancelled.ifPresent(inquiry -> {
            audit.record(inquiry.id(), "cancelled", actor, null);
            outbox.append(new InquiryCancelled(inquiry.id(), inquiry.execution(), actor.id()), correlationId);
            executionTransitions.finishPaused(Map.of(inquiry.execution(),
                    InquiryOutcome.cancelled(inquiry.id(), inquiry.prompt(), actor.id())), ExecutionStatus.CANCELLED,
                    correlationId);
        });
        return cancelled;
    }

    /**
     * Times out up to {@code limit} pending inquiries whose {@code timeout_at} has passed, with their executions;
     * returns how many. Safe to run in several processes at once: each inquiry is taken by exactly one of them.
     */
    @Transactional
    public int timeOutExpired(int limit, UUID correlationId) {
        List<Inquiry> expired = inquiries.markTimedOut(limit);
        if (expired.isEmpty()) {
            return 0;
        }
        Map<Long, JsonNode> details = new LinkedHashMap<>();
        Map<Long, InquiryOutcome> timedOut = new LinkedHashMap<>();
        Map<Long, InquiryOutcome> defaulted = new LinkedHashMap<>();
        List<MessagePayload> events = new ArrayList<>();
        for (Inquiry inquiry : expired) {
            ObjectNode detail = Json.object();
            detail.put("timeout_at", inquiry.timeoutAt().toString());
            if (inquiry.defaulted()) {
                // on_timeout: the inquiry timed out, the execution goes on with the default answer
                JsonNode answer = inquiry.onTimeout().get("response");
                detail.put("defaulted", true);
                detail.set("response", SecretMask.mask(inquiry.responseSchema(), answer));
                defaulted.put(inquiry.execution(), InquiryOutcome.defaulted(inquiry.id(), inquiry.prompt(),
                        inquiry.timeoutAt(), answer, inquiry.quorumAnswers()));
            } else {
                // a quorum that was not reached: the approvals it had are kept in the record too
                timedOut.put(inquiry.execution(), new InquiryOutcome(inquiry.id(), inquiry.prompt(),
                        InquiryStatus.TIMEOUT, null, null, null, inquiry.timeoutAt(), null, inquiry.quorumAnswers(),
                        null));
            }
            details.put(inquiry.id(), detail);
            events.add(new InquiryTimedOut(inquiry.id(), inquiry.execution(), inquiry.timeoutAt(),
                    inquiry.defaulted() ? Boolean.TRUE : null));
            decisions.decided(inquiry);
        }
        audit.recordAll(details, "timeout", Actor.SYSTEM);
        outbox.appendAll(events, correlationId);
        executionTransitions.finishPaused(timedOut, ExecutionStatus.TIMEOUT, correlationId);
        executionTransitions.finishPaused(defaulted, ExecutionStatus.COMPLETED, correlationId);
        return expired.size();
    }

    /**
     * Reassigns up to {@code limit} pending inquiries whose next escalation step is due, each with its audit entry
     * {@code escalated} and InquiryEscalated; returns how many. Safe in several processes at once (each inquiry is
     * taken by one), and against answers: an answer that took the row first leaves it no longer pending, and an
     * answer after the reassignment is judged by the new assignees ({@link InquiryRepository#markRespondedAnnounced}).
     */
    @Transactional
    public int escalateDue(int limit, UUID correlationId) {
        List<InquiryRepository.Escalated> escalated = inquiries.escalateDue(limit);
        if (escalated.isEmpty()) {
            return 0;
        }
        Map<Long, JsonNode> details = new LinkedHashMap<>();
        List<MessagePayload> events = new ArrayList<>();
        for (InquiryRepository.Escalated e : escalated) {
            Inquiry inquiry = e.inquiry();
            ObjectNode detail = Json.object();
            detail.put("step", e.step());
            detail.set("assigned_to", inquiry.assignment() == null ? null : inquiry.assignment().given());
            detail.set("previous_assigned_to", e.previous() == null ? null : e.previous().given());
            details.put(inquiry.id(), detail);
            events.add(new InquiryEscalated(inquiry.id(), inquiry.execution(), inquiry.assignment(), e.previous(),
                    e.step(), inquiry.updated()));
        }
        audit.recordAll(details, "escalated", Actor.SYSTEM);
        outbox.appendAll(events, correlationId);
        return escalated.size();
    }

    /**
     * Reminds of up to {@code limit} pending inquiries whose reminder is due (docs/policies.md#reminders): an audit
     * entry {@code reminder} and an InquiryReminder event each, and the next reminder a period later. Returns how
     * many. Safe in several processes at once: each due reminder is taken by exactly one of them.
     */
    @Transactional
    public int remindDue(int limit, UUID correlationId) {
        List<InquiryRepository.DueReminder> due = inquiries.advanceDueReminders(limit);
        if (due.isEmpty()) {
            return 0;
        }
        Map<Long, JsonNode> details = new LinkedHashMap<>();
        List<MessagePayload> events = new ArrayList<>();
        for (InquiryRepository.DueReminder reminder : due) {
            ObjectNode detail = Json.object();
            detail.put("reminder", reminder.reminder());
            detail.put("timeout_at", reminder.timeoutAt() == null ? null : reminder.timeoutAt().toString());
            details.put(reminder.inquiry(), detail);
            events.add(new InquiryReminder(reminder.inquiry(), reminder.execution(), reminder.reminder(),
                    reminder.timeoutAt()));
        }
        audit.recordAll(details, "reminder", Actor.SYSTEM);
        outbox.appendAll(events, correlationId);
        return due.size();
    }

    /** The policies an inquiry was created with, for its "created" history entry (only those set). */
    private static void policiesIn(Inquiry inquiry, ObjectNode details) {
        if (inquiry.approvalsRequired() > 1) {
            details.put("approvals_required", inquiry.approvalsRequired());
        }
        if (inquiry.decisionField() != null) {
            details.put("decision_field", inquiry.decisionField());
        }
        if (inquiry.onTimeout() != null) {
            ObjectNode shown = Json.object();
            shown.set("response", SecretMask.mask(inquiry.responseSchema(), inquiry.onTimeout().get("response")));
            details.set("on_timeout", shown);
        }
        if (inquiry.remindEverySeconds() != null) {
            details.put("remind_every_seconds", inquiry.remindEverySeconds());
        }
    }

    /** The inquiry if the actor may see it; otherwise 404, exactly as if it did not exist. */
    public Inquiry visible(long inquiryId, Actor actor) {
        return inquiries.find(inquiryId)
                .filter(i -> actor.canSee(i.assignment()))
                .orElseThrow(() -> DomainException.notFound("inquiry " + inquiryId + " not found"));
    }

    /** Why an answer's conditional update took nothing: no longer pending or past its timeout, or reassigned. */
    private DomainException refusedAnswer(Inquiry current, Actor actor) {
        // the database's view of who may answer (membership as it is now) decided; the actor's groups may be
        // a few seconds old
        if (current.status() == InquiryStatus.PENDING && !inquiries.isPastTimeout(current.id())) {
            return notEligible(current.id());
        }
        return conflict(current);
    }

    private static DomainException notEligible(long inquiryId) {
        return DomainException.forbidden("inquiry " + inquiryId
                + " is assigned to someone else; only its assignees (or members of its groups) may respond");
    }

    private static DomainException conflict(Inquiry current) {
        if (current.status() == InquiryStatus.PENDING) {
            return DomainException.conflict("inquiry " + current.id() + " timed out at " + current.timeoutAt());
        }
        return DomainException.conflict("inquiry " + current.id() + " is already " + current.status().wire());
    }
}
