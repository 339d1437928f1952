package io.attune.core;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What a component holds for the current transaction until it commits (the audit trail's entries, the outbox's
 * events): a synchronization of the transaction, found among its synchronizations or registered on first use.
 */
public final class TransactionScoped {
    private TransactionScoped() {
    }

    /**
     * The current transaction's synchronization of {@code type} that {@code ours} accepts, or the one {@code create}
     * makes, registered with the transaction. Only the current transaction's synchronizations are listed (a suspended
     * outer one's are not), so a nested REQUIRES_NEW transaction gets its own.
     *
     * @throws IllegalStateException with {@code outside} when no transaction is active
     */
    public static <S extends TransactionSynchronization> S find(Class<S> type, Predicate<S> ours, Supplier<S> create,
                                                                String outside) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()
                || !TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException(outside);
        }
        for (TransactionSynchronization registered : TransactionSynchronizationManager.getSynchronizations()) {
            if (type.isInstance(registered) && ours.test(type.cast(registered))) {
                return type.cast(registered);
            }
        }
        S created = create.get();
        TransactionSynchronizationManager.registerSynchronization(created);
        return created;
    }
}
