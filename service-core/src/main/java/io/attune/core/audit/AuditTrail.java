package io.attune.core.audit;

import io.attune.core.TransactionScoped;
import io.attune.core.identity.Actor;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The one way into the audit trail, for every kind of change: {@code record(subject, action, actor, details)} inside
 * the transaction of the change. Entries are held until that transaction is about to commit, then staged in one
 * statement, and the database appends them to the chain at the commit itself ({@link ChainAppender}): the chain's
 * lock is taken at the very end, so it is held only for the append and the commit, never while the change itself
 * waits on other locks — which keeps it short and makes a deadlock between the chain's lock and inquiry or execution
 * row locks impossible. A transaction that rolls back appends nothing.
 *
 * <p>{@code details} must never hold a secret in clear: callers pass what may be shown to an auditor.
 */
@Service
public class AuditTrail {
    private final ChainAppender appender;

    public AuditTrail(ChainAppender appender) {
        this.appender = appender;
    }

    /** One entry, appended when the current transaction commits. */
    public void record(AuditSubject subject, String action, Actor actor, JsonNode details) {
        pending().entries.add(new PendingEntry(subject, action, actor, details));
    }

    /** Several entries (the timeout sweep's batch), appended in this order when the transaction commits. */
    public void recordAll(List<PendingEntry> entries) {
        pending().entries.addAll(entries);
    }

    private PendingAppend pending() {
        return TransactionScoped.find(PendingAppend.class, append -> append.owner == this,
                () -> new PendingAppend(this), "an audit entry is written in the transaction of the change it records");
    }

    /** An entry waiting for its transaction's commit. */
    public record PendingEntry(AuditSubject subject, String action, Actor actor, JsonNode details) {
    }

    private static final class PendingAppend implements TransactionSynchronization {
        private final AuditTrail owner;
        private final List<PendingEntry> entries = new ArrayList<>();

        private PendingAppend(AuditTrail owner) {
            this.owner = owner;
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            if (!entries.isEmpty()) {
                owner.appender.append(List.copyOf(entries));
                entries.clear();
            }
        }

        @Override
        public int getOrder() {
            // Last of the transaction's work, so that every entry it records is staged in one statement.
            return LOWEST_PRECEDENCE;
        }
    }
}
