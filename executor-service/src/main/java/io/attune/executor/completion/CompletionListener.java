package io.attune.executor.completion;

import io.attune.core.error.DomainException;
import io.attune.core.error.Failures;
import io.attune.core.execution.Execution;
import io.attune.core.execution.ExecutionRepository;
import io.attune.core.execution.ExecutionTransitions;
import io.attune.core.execution.LockOrder;
import io.attune.core.execution.StorableResult;
import io.attune.core.inquiry.Inquiry;
import io.attune.core.inquiry.InquiryRequestValidator;
import io.attune.core.inquiry.InquiryTransitions;
import io.attune.model.ExecutionStatus;
import io.attune.model.inquiry.InquiryRequest;
import io.attune.model.json.Json;
import io.attune.model.message.ExecutionCompleted;
import io.attune.model.message.MalformedMessageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The completion listener: stores a worker's report, or opens the inquiry its result asks for.
 * Whatever it decides — inquiry opened, execution failed, report stored — commits in one transaction with the
 * events that announce it.
 */
@Service
public class CompletionListener {
    private static final Logger log = LoggerFactory.getLogger(CompletionListener.class);
    /** The statuses a worker may report (docs/protocol.md §2, ExecutionCompleted). */
    static final Set<ExecutionStatus> REPORTABLE = EnumSet.of(ExecutionStatus.COMPLETED, ExecutionStatus.FAILED,
            ExecutionStatus.TIMEOUT);

    /** What became of a report. */
    public enum Outcome { INQUIRY_CREATED, INQUIRY_INVALID, STORED, UNSTORABLE, DUPLICATE }

    private final ExecutionRepository executions;
    private final ExecutionTransitions executionTransitions;
    private final InquiryTransitions inquiryTransitions;
    private final InquiryRequestValidator validator;
    private final TransactionTemplate transactions;

    public CompletionListener(ExecutionRepository executions, ExecutionTransitions executionTransitions,
                              InquiryTransitions inquiryTransitions, InquiryRequestValidator validator,
                              TransactionTemplate transactions) {
        this.executions = executions;
        this.executionTransitions = executionTransitions;
        this.inquiryTransitions = inquiryTransitions;
        this.validator = validator;
        this.transactions = transactions;
    }

    /**
     * Handles one ExecutionCompleted. The execution stays locked until the commit, so concurrent copies of the same
     * report (redelivery, duplicates, several replicas) queue up and all but the first find it no longer awaiting a
     * report. An unknown execution throws (retried a bounded number of times, then dead-lettered); a status a worker
     * may not report can never succeed and is dead-lettered at once.
     * <p>
     * Every report ends its execution: a result too large to keep fails it with the reason; U+0000 characters are
     * replaced (and noted in the result); and should the database still refuse what the report holds, the execution
     * fails, in a transaction of its own, with the database's reason instead of waiting for ever.
     */
    public Outcome onCompleted(ExecutionCompleted report, UUID correlationId) {
        Checked checked = checked(report);
        try {
            return transactions.execute(tx -> store(report, checked, correlationId, lock(report)));
        } catch (RuntimeException e) {
            if (!Failures.isUnstorableValue(e)) {
                throw e;
            }
            String reason = Failures.databaseMessage(e);
            log.warn("Execution {}: its result could not be stored ({}); failing it", report.executionId(), reason);
            return transactions.execute(tx -> {
                Execution locked = awaitingReport(report, lock(report));
                if (locked == null) {
                    return Outcome.DUPLICATE;
                }
                executionTransitions.finish(locked, ExecutionStatus.FAILED, StorableResult.unkeepable(reason),
                        correlationId);
                return Outcome.UNSTORABLE;
            });
        }
    }

    /**
     * Several reports in one transaction: each decided exactly as {@link #onCompleted} alone would, their executions
     * locked in id order (two batches never wait on each other in a cycle), one commit and one audit-chain append
     * for all. Whatever {@link #onCompleted} would refuse or retry (a status a worker may not report, an unknown
     * execution, a result the database refuses) throws here for the whole batch: nothing of it is kept, and the
     * caller handles each report on its own. The outcomes are in the reports' order.
     */
    public List<Outcome> onCompletedAll(List<ExecutionCompleted> reports, List<UUID> correlationIds) {
        int n = reports.size();
        List<Checked> checked = reports.stream().map(this::checked).toList();
        Outcome[] outcomes = new Outcome[n];
        transactions.executeWithoutResult(tx -> {
            // every execution of the batch locked in one statement; a second report of the same execution in the
            // batch finds it as the first one left it
            Map<Long, Execution> locked = executions.lockAll(
                    reports.stream().map(ExecutionCompleted::executionId).distinct().toList());
            for (int i : LockOrder.byExecution(reports, ExecutionCompleted::executionId)) {
                ExecutionCompleted report = reports.get(i);
                Execution execution = locked.remove(report.executionId());
                outcomes[i] = store(report, checked.get(i), correlationIds.get(i),
                        execution != null ? execution : lock(report));
            }
        });
        return List.of(outcomes);
    }

    /** What is checked of a report before its transaction: the result as it can be kept, and any __inquiry. */
    private record Checked(StorableResult storable, InquiryRequestValidator.Result validation) {
    }

    /**
     * A status a worker may not report can never succeed (dead-lettered); the result and any __inquiry are checked
     * before the transaction, so that a 64 KiB schema holds no lock.
     */
    private Checked checked(ExecutionCompleted report) {
        if (report.status() == null || !REPORTABLE.contains(report.status())) {
            throw new MalformedMessageException("ExecutionCompleted status must be completed, failed or timeout, not "
                    + (report.status() == null ? "missing" : report.status().wire()));
        }
        StorableResult storable = StorableResult.of(report.result());
        JsonNode request = storable.refused() ? null : inquiryRequest(report.status(), storable.result());
        return new Checked(storable, request == null ? null : validator.validate(request));
    }

    /** Decides one report; {@code execution} is its execution as locked in this transaction. */
    private Outcome store(ExecutionCompleted report, Checked checked, UUID correlationId, Execution execution) {
        StorableResult storable = checked.storable();
        InquiryRequestValidator.Result validation = checked.validation();
        Execution locked = awaitingReport(report, execution);
        if (locked == null) {
            return Outcome.DUPLICATE;
        }
        if (storable.refused()) {
            executionTransitions.finish(locked, ExecutionStatus.FAILED, storable.result(), correlationId);
            log.info("Execution {} failed: {}", locked.id(), storable.refusal());
            return Outcome.UNSTORABLE;
        }
        JsonNode result = storable.result();
        if (validation == null) {
            executionTransitions.finish(locked, report.status(), result, correlationId);
            log.info("Execution {} {}", locked.id(), report.status().wire());
            return Outcome.STORED;
        }
        if (!validation.isValid()) {
            executionTransitions.finish(locked, ExecutionStatus.FAILED, explained(result, validation), correlationId);
            log.info("Execution {} failed: {}", locked.id(), validation.summary());
            return Outcome.INQUIRY_INVALID;
        }
        Inquiry inquiry = inquiryTransitions.open(locked, validation.request(), result, correlationId);
        log.info("Execution {} paused on inquiry {}", locked.id(), inquiry.id());
        return Outcome.INQUIRY_CREATED;
    }

    /** The report's execution, locked until the commit; an unknown one throws (retried, then dead-lettered). */
    private Execution lock(ExecutionCompleted report) {
        return executions.lock(report.executionId())
                .orElseThrow(() -> DomainException.notFound("execution " + report.executionId() + " does not exist"));
    }

    /** The locked execution if it still awaits a report; null for a duplicate report. */
    private Execution awaitingReport(ExecutionCompleted report, Execution locked) {
        if (!ExecutionTransitions.AWAITING_REPORT.contains(locked.status())) {
            if (ExecutionTransitions.isWorkerLost(locked)) {
                // The worker was declared lost and came back (a pause, a partition): the failure already announced
                // stands, so that nobody sees an execution end twice.
                log.warn("ExecutionCompleted ({}) for execution {} arrived after it was failed as worker lost: "
                        + "ignored, the execution stays failed", report.status().wire(), locked.id());
                return null;
            }
            log.info("ExecutionCompleted for execution {} which is already {}: a duplicate, ignored", locked.id(),
                    locked.status().wire());
            return null;
        }
        return locked;
    }

    /**
     * The {@code __inquiry} of a completed execution's result; null when there is none. An explicit
     * {@code "__inquiry": null} counts as none (an action with nothing to ask), anything else is validated.
     */
    private static JsonNode inquiryRequest(ExecutionStatus status, JsonNode result) {
        if (status != ExecutionStatus.COMPLETED || result == null || !result.isObject()) {
            return null;
        }
        JsonNode request = result.get(InquiryRequest.KEY);
        return request == null || request.isNull() ? null : request;
    }

    /**
     * The result a failed execution keeps: the reported result as it was (the faulty {@code __inquiry} included),
     * plus {@code error} naming every problem and {@code inquiry_errors} listing each with its JSON pointer into
     * {@code __inquiry}.
     */
    static ObjectNode explained(JsonNode reported, InquiryRequestValidator.Result validation) {
        ObjectNode result = (ObjectNode) reported.deepCopy();
        result.put("error", validation.summary());
        result.set("inquiry_errors", Json.mapper().valueToTree(validation.problems()));
        return result;
    }
}
