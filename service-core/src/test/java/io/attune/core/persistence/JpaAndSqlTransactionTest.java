package io.attune.core.persistence;

import io.attune.core.CoreIntegrationTest;
import io.attune.core.execution.Execution;
import io.attune.core.identity.GroupRepository;
import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The reads through JPA and the writes and locks in SQL share one transaction: a read sees the writes made before it
 * in the same transaction (never an entity kept from an earlier read), a rollback takes them back, and a row lock
 * taken in SQL holds until that transaction ends.
 */
class JpaAndSqlTransactionTest extends CoreIntegrationTest {
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    GroupRepository groups;

    @Test
    void aReadAfterAnSqlWriteInTheSameTransactionSeesTheWrite() {
        Identity ada = identity(Role.USER);
        String renamed = transactions.execute(tx -> {
            Identity before = identities.findById(ada.id()).orElseThrow();
            identities.update(new Identity(before.id(), before.login(), "Ada (ops)", before.passwordHash(),
                    before.roles(), before.groups(), before.disabled(), before.attributes(), before.created(),
                    before.updated()));
            return identities.findById(ada.id()).orElseThrow().displayName();
        });
        assertThat(renamed).isEqualTo("Ada (ops)");

        Identity bob = identity(Role.USER);
        String name = "g-jpa-" + ada.id();
        long group = groups.create(name);
        List<Long> members = transactions.execute(tx -> {
            assertThat(groups.find(name).orElseThrow().members()).isEmpty();
            groups.replaceMembers(group, List.of(bob.id(), ada.id()));
            assertThat(identities.findById(bob.id()).orElseThrow().groups()).containsExactly(name);
            return groups.find(name).orElseThrow().members();
        });
        assertThat(members).containsExactly(Math.min(ada.id(), bob.id()), Math.max(ada.id(), bob.id()));
    }

    @Test
    void aRollbackTakesBackTheSqlWritesThatJpaReadsSaw() {
        Identity ada = identity(Role.USER);
        transactions.executeWithoutResult(tx -> {
            Identity before = identities.findById(ada.id()).orElseThrow();
            identities.update(new Identity(before.id(), before.login(), "never committed", before.passwordHash(),
                    before.roles(), before.groups(), before.disabled(), before.attributes(), before.created(),
                    before.updated()));
            assertThat(identities.findById(ada.id()).orElseThrow().displayName()).isEqualTo("never committed");
            tx.setRollbackOnly();
        });
        assertThat(identities.findById(ada.id()).orElseThrow().displayName()).isEqualTo(ada.displayName());
    }

    @Test
    void aRowLockTakenInSqlHoldsUntilTheTransactionOfTheJpaReadsEnds() throws Exception {
        Execution execution = runningExecution();
        CompletableFuture<Void> locked = new CompletableFuture<>();
        CompletableFuture<Void> release = new CompletableFuture<>();
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> transactions.executeWithoutResult(tx -> {
            executions.lock(execution.id()).orElseThrow();
            assertThat(executions.find(execution.id())).isPresent();
            locked.complete(null);
            release.join();
        }));
        locked.get(30, TimeUnit.SECONDS);
        try {
            assertThatThrownBy(() -> transactions.executeWithoutResult(tx -> jdbc.sql(
                    "SELECT id FROM attune.execution WHERE id = ? FOR UPDATE NOWAIT").param(execution.id())
                    .query(Long.class).single()))
                    .isInstanceOf(DataAccessException.class);
        } finally {
            release.complete(null);
            holder.get(30, TimeUnit.SECONDS);
        }
        Long free = transactions.execute(tx -> jdbc.sql("SELECT id FROM attune.execution WHERE id = ? FOR UPDATE NOWAIT")
                .param(execution.id()).query(Long.class).single());
        assertThat(free).isEqualTo(execution.id());
    }
}
