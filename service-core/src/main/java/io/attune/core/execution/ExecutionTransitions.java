package io.attune.core.execution;

import io.attune.core.error.DomainException;
import io.attune.core.event.Outbox;
import io.attune.core.identity.Actor;
import io.attune.model.ExecutionStatus;
import io.attune.model.inquiry.InquiryOutcome;
import io.attune.model.json.Json;
import io.attune.model.message.ExecutionRequested;
import io.attune.model.message.ExecutionStatusChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The changes of an execution's status and the ExecutionStatusChanged event that announces each, committed
 * together. Changes caused by an inquiry (pause, resume, timeout, cancel) are made by the inquiry package through
 * {@link #finishPaused} and {@link #announce}: executions do not know inquiries.
 */
@Service
public class ExecutionTransitions {
    private static final Logger log = LoggerFactory.getLogger(ExecutionTransitions.class);
    private static final Pattern ACTION_REF = Pattern.compile("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_.-]+$");
    /** Statuses in which a worker's report is still expected. */
    public static final Set<ExecutionStatus> AWAITING_REPORT = EnumSet.of(ExecutionStatus.REQUESTED,
            ExecutionStatus.RUNNING);

    /** The action_ref of an approval request from outside (io.attune.core.external.ExternalRequests). */
    public static final String EXTERNAL_REQUEST = "external.request";

    /** The {@code error} of an execution failed because its worker stopped renewing its lease. */
    public static final String WORKER_LOST = "worker lost";

    private final ExecutionRepository executions;
    private final ExecutionLeases leases;
    private final Outbox outbox;
    private final ResultMasking resultMask;

    public ExecutionTransitions(ExecutionRepository executions, ExecutionLeases leases, Outbox outbox,
                                ResultMasking resultMask) {
        this.executions = executions;
        this.leases = leases;
        this.outbox = outbox;
        this.resultMask = resultMask;
    }

    /** A new execution in status {@code requested}, announced by ExecutionRequested for a worker to pick up. */
    @Transactional
    public Execution request(String actionRef, JsonNode parameters, Actor requestedBy, UUID correlationId) {
        if (actionRef == null || !ACTION_REF.matcher(actionRef).matches()) {
            throw DomainException.badRequest("action_ref must look like '<pack>.<action>', e.g. examples.deploy_approval");
        }
        if (EXTERNAL_REQUEST.equals(actionRef)) {
            // recorded by POST /api/v1/inquiries for a request from outside; there is nothing for a worker to run
            throw DomainException.badRequest(EXTERNAL_REQUEST + " cannot be run: ask with POST /api/v1/inquiries");
        }
        if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
            throw DomainException.badRequest("parameters must be a JSON object");
        }
        JsonNode params = parameters == null || parameters.isNull() ? Json.object() : parameters;
        Execution execution = executions.insert(actionRef, params, requestedBy == null ? null : requestedBy.id());
        outbox.append(new ExecutionRequested(execution.id(), actionRef, params), correlationId);
        return execution;
    }

    /** {@code requested} → {@code running} (a worker took it). Empty when it was not {@code requested}. */
    @Transactional
    public Optional<Execution> markRunning(long executionId, UUID correlationId) {
        Optional<Execution> before = executions.lock(executionId);
        if (before.isEmpty() || before.get().status() != ExecutionStatus.REQUESTED) {
            return Optional.empty();
        }
        return Optional.of(move(before.get(), ExecutionStatus.RUNNING, before.get().result(), correlationId));
    }

    /**
     * Stores a worker's final report (status and result) on an execution that was waiting for one. The caller has
     * locked it and checked that it is in {@link #AWAITING_REPORT}.
     */
    @Transactional
    public Execution finish(Execution locked, ExecutionStatus status, JsonNode result, UUID correlationId) {
        if (!AWAITING_REPORT.contains(locked.status())) {
            throw new IllegalStateException("execution " + locked.id() + " is " + locked.status().wire());
        }
        return move(locked, status, result, correlationId);
    }

    /**
     * {@code running} → {@code failed} for up to {@code limit} executions whose worker has not renewed its lease for
     * {@code lostAfter}: the worker died (SIGKILL, OOM, lost host) and will never report. The result says so:
     * {@code {"error": "worker lost", "worker", "lease_renewed_at", "lost_after_seconds"}}; each change is announced
     * by ExecutionStatusChanged in this transaction and the lapsed leases are removed. A report the worker still
     * sends later finds the execution no longer awaiting one and is ignored: the first ending stored wins.
     *
     * @return the executions failed (fewer than {@code limit} when no more leases have lapsed)
     */
    @Transactional
    public List<Execution> failLost(Duration lostAfter, int limit, UUID correlationId) {
        List<ExecutionLeases.Lapsed> lapsed = leases.lockLapsed(lostAfter, limit);
        List<Execution> failed = new ArrayList<>();
        for (ExecutionLeases.Lapsed lease : lapsed) {
            Execution locked = executions.lock(lease.executionId()).orElseThrow();
            if (locked.status() != ExecutionStatus.RUNNING) {
                continue; // ended otherwise meanwhile (a lease is normally gone by then): only the lease is stale
            }
            ObjectNode result = Json.object();
            result.put("error", WORKER_LOST);
            result.put("worker", lease.worker());
            result.put("lease_renewed_at", lease.renewedAt().toString());
            result.put("lost_after_seconds", lostAfter.toMillis() / 1000.0);
            failed.add(move(locked, ExecutionStatus.FAILED, result, correlationId));
            log.warn("Execution {} failed: worker lost ({} last renewed its lease at {})", locked.id(),
                    lease.worker(), lease.renewedAt());
        }
        leases.delete(lapsed.stream().map(ExecutionLeases.Lapsed::executionId).toList());
        return failed;
    }

    /** Whether a stored result is the one {@link #failLost} gives. */
    public static boolean isWorkerLost(Execution execution) {
        return execution.status() == ExecutionStatus.FAILED && execution.result() != null
                && WORKER_LOST.equals(execution.result().path("error").asString(null));
    }

    /**
     * Ends the wait of paused executions with the given inquiry outcomes, announcing each change. Executions that
     * are no longer paused are left alone.
     */
    @Transactional
    public List<Execution> finishPaused(Map<Long, InquiryOutcome> outcomes, ExecutionStatus to, UUID correlationId) {
        return finishPaused(outcomes, to, execution -> correlationId, resultMask);
    }

    /**
     * {@link #finishPaused(Map, ExecutionStatus, UUID)} for changes with causes of their own (the answers of a
     * batch): each execution's event carries {@code correlationOf} its id, and its result is shown as
     * {@code shownAs} shows it (a caller that already holds the inquiries' schemas need not have them read again).
     */
    @Transactional
    public List<Execution> finishPaused(Map<Long, InquiryOutcome> outcomes, ExecutionStatus to,
                                        Function<Long, UUID> correlationOf, ResultMasking shownAs) {
        Map<Long, JsonNode> json = new java.util.LinkedHashMap<>();
        outcomes.forEach((id, outcome) -> json.put(id, Json.mapper().valueToTree(outcome)));
        List<Execution> changed = executions.finishPaused(json, to);
        outbox.appendAll(changed.stream()
                .map(e -> new ExecutionStatusChanged(e.id(), ExecutionStatus.PAUSED, e.status(),
                        shownAs.shown(e.result())))
                .toList(), (ExecutionStatusChanged event) -> correlationOf.apply(event.executionId()));
        return changed;
    }

    /**
     * Announces a change made by the inquiry transitions in the same transaction. The event shows the result as
     * the API does (an answer's secrets masked): events are stored and relayed beyond the executor.
     */
    public void announce(Execution before, Execution after, UUID correlationId) {
        outbox.append(new ExecutionStatusChanged(after.id(), before.status(), after.status(),
                resultMask.shown(after.result())), correlationId);
    }

    private Execution move(Execution before, ExecutionStatus to, JsonNode result, UUID correlationId) {
        Execution after = executions.update(before, EnumSet.of(before.status()), to, result)
                .orElseThrow(() -> new IllegalStateException("execution " + before.id() + " changed under a lock"));
        announce(before, after, correlationId);
        return after;
    }
}
