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
import io.attune.model.inquiry.InquiryRequest;
import io.attune.model.json.Json;
import io.attune.model.message.InquiryCancelled;
import io.attune.model.message.InquiryCreated;
import io.attune.model.message.InquiryEscalated;
import io.attune.model.message.InquiryResponded;
import io.attune.model.message.InquiryTimedOut;
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
        Inquiry inquiry = inquiries.insert(locked.id(), request.prompt(), request.responseSchema(),
                request.assignedTo(), request.timeoutSeconds(), request.allowSelfApproval(), request.escalation());
        Execution paused = executions.update(locked.id(), ExecutionTransitions.AWAITING_REPORT,
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
        return transactions.execute(status -> {
            Inquiry responded = inquiries.markResponded(inquiryId, response, actor.id())
                    .orElseThrow(() -> refusedAnswer(inquiries.find(inquiryId).orElse(inquiry), actor));
            // Only the inquiry row keeps the answer in clear: the executor resumes the execution from that row, so
            // the history and the event (stored in attune.event, replayed to notifiers) hold it masked.
            JsonNode shown = SecretMask.mask(responded.responseSchema(), response);
            ObjectNode details = Json.object();
            details.set("response", shown);
            audit.record(inquiryId, "responded", actor, details);
            decisions.decided(responded);
            outbox.append(new InquiryResponded(responded.id(), responded.execution(), shown,
                    responded.respondedBy(), responded.respondedAt()), correlationId);
            return responded;
        });
    }

    /**
     * Every check of {@link #respond} that does not look at the answer (visibility 404, pending 409, assignee 403,
     * self-approval 403): the inquiry when the actor may answer it now. Pages that offer a form (signed links) ask
     * this first, so that they refuse exactly as the answer would.
     */
    public Inquiry mayRespond(long inquiryId, Actor actor) {
        Inquiry inquiry = visible(inquiryId, actor);
        refuseUnlessPending(inquiry);
        if (!actor.mayAnswer(inquiry.assignment())) {
            throw notEligible(inquiryId);
        }
        if (actor.id() != null && inquiries.isRefusedSelfApproval(inquiryId, actor.id())) {
            throw new DomainException(ErrorCode.SELF_APPROVAL, "you requested execution " + inquiry.execution()
                    + ", so someone else must answer its inquiry " + inquiryId, List.of());
        }
        return inquiry;
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
        Map<Long, InquiryOutcome> outcomes = new LinkedHashMap<>();
        List<MessagePayload> events = new ArrayList<>();
        for (Inquiry inquiry : expired) {
            ObjectNode detail = Json.object();
            detail.put("timeout_at", inquiry.timeoutAt().toString());
            details.put(inquiry.id(), detail);
            outcomes.put(inquiry.execution(), InquiryOutcome.timedOut(inquiry.id(), inquiry.prompt(),
                    inquiry.timeoutAt()));
            events.add(new InquiryTimedOut(inquiry.id(), inquiry.execution(), inquiry.timeoutAt()));
            decisions.decided(inquiry);
        }
        audit.recordAll(details, "timeout", Actor.SYSTEM);
        outbox.appendAll(events, correlationId);
        executionTransitions.finishPaused(outcomes, ExecutionStatus.TIMEOUT, correlationId);
        return expired.size();
    }

    /**
     * Reassigns up to {@code limit} pending inquiries whose next escalation step is due, each with its audit entry
     * {@code escalated} and InquiryEscalated; returns how many. Safe in several processes at once (each inquiry is
     * taken by one), and against answers: an answer that took the row first leaves it no longer pending, and an
     * answer after the reassignment is judged by the new assignees ({@link InquiryRepository#markResponded}).
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

    /** The inquiry if the actor may see it; otherwise 404, exactly as if it did not exist. */
    public Inquiry visible(long inquiryId, Actor actor) {
        return inquiries.find(inquiryId)
                .filter(i -> actor.canSee(i.assignment()))
                .orElseThrow(() -> DomainException.notFound("inquiry " + inquiryId + " not found"));
    }

    private void refuseUnlessPending(Inquiry inquiry) {
        if (inquiry.status() != InquiryStatus.PENDING) {
            throw conflict(inquiry);
        }
        if (inquiries.isPastTimeout(inquiry.id())) {
            throw DomainException.conflict("inquiry " + inquiry.id() + " timed out at " + inquiry.timeoutAt());
        }
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
