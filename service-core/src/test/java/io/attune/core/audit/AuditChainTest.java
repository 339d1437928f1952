package io.attune.core.audit;

import io.attune.core.CoreIntegrationTest;
import io.attune.core.identity.Actor;
import io.attune.core.identity.Role;
import io.attune.model.audit.AuditEntry;
import io.attune.model.audit.AuditVerification;
import io.attune.model.json.Json;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditChainTest extends CoreIntegrationTest {
    @Autowired
    AuditTrail trail;
    @Autowired
    AuditLog log;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    ChainAppender appender;

    Actor admin() {
        var identity = identity(Role.ADMIN);
        return new Actor(identity.id(), identity.login(), Set.of(Role.ADMIN));
    }

    @Test
    void concurrentWritersOnSeparateConnectionsMakeOneChainWithoutGaps() throws Exception {
        Actor ada = admin();
        long before = log.verify().entries();
        int writers = 6;
        int transactionsEach = 40;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> written = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            written.add(pool.submit((Callable<Integer>) () -> {
                start.await();
                int committed = 0;
                for (int t = 0; t < transactionsEach; t++) {
                    int entries = 1 + ThreadLocalRandom.current().nextInt(3);
                    boolean rollBack = t % 7 == 3;
                    try {
                        transactions.executeWithoutResult(tx -> {
                            for (int e = 0; e < entries; e++) {
                                trail.record(AuditSubject.group("team-" + writer), "updated", ada,
                                        Json.tree("{\"members\": [" + e + "]}"));
                            }
                            if (rollBack) {
                                throw new IllegalStateException("rolled back on purpose");
                            }
                        });
                        committed += entries;
                    } catch (IllegalStateException expected) {
                        // nothing of this transaction may be in the chain
                    }
                }
                return committed;
            }));
        }
        start.countDown();
        int committed = 0;
        for (Future<Integer> f : written) {
            committed += f.get();
        }
        pool.shutdown();

        AuditVerification result = log.verify();
        assertThat(result.valid()).isTrue();
        assertThat(result.entries()).isEqualTo(before + committed);
        List<Long> seqs = jdbc.sql("SELECT seq FROM attune.inquiry_audit WHERE seq IS NOT NULL ORDER BY id")
                .query(Long.class).list();
        assertThat(seqs).hasSize((int) result.entries());
        for (int i = 0; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).as("ids follow the chain's order").isEqualTo(i + 1L);
        }
    }

    @Test
    void theHeadMovesWithEveryCommitAndNotWithARollback() {
        Actor ada = admin();
        transactions.executeWithoutResult(tx -> trail.record(AuditSubject.identity(42), "created", ada,
                Json.tree("{\"login\": \"bob\"}")));
        AuditVerification committed = log.verify();
        assertThatThrownBy(() -> transactions.executeWithoutResult(tx -> {
            trail.record(AuditSubject.identity(43), "created", ada, null);
            throw new IllegalStateException("no");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(log.verify()).isEqualTo(committed);
        AuditEntry last = log.page(0, 1000).stream().reduce((a, b) -> b).orElseThrow();
        assertThat(last.hash()).isEqualTo(committed.head());
        assertThat(last.entityType()).isEqualTo("identity");
        assertThat(last.entityId()).isEqualTo("42");
        assertThat(last.details().get("login").asString()).isEqualTo("bob");
    }

    @Test
    void aBatchIsAppendedInItsOrderAtTheCommitAndNothingStaysStaged() {
        Actor ada = admin();
        long before = log.verify().entries();
        List<AuditTrail.PendingEntry> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            batch.add(new AuditTrail.PendingEntry(AuditSubject.group("batch-" + i), "updated", ada,
                    i % 2 == 0 ? null : Json.tree("{\"n\": " + i + ".50, \"name\": \"\u00e9\\u2028\"}")));
        }
        transactions.executeWithoutResult(tx -> {
            trail.recordAll(batch);
            assertThat(jdbc.sql("SELECT count(*) FROM attune.inquiry_audit WHERE entity_id LIKE 'batch-%'")
                    .query(Long.class).single()).as("appended at the commit, not before").isZero();
        });

        AuditVerification result = log.verify();
        assertThat(result.valid()).isTrue();
        assertThat(result.entries()).isEqualTo(before + 1000);
        assertThat(jdbc.sql("SELECT entity_id FROM attune.inquiry_audit WHERE entity_id LIKE 'batch-%' ORDER BY seq")
                .query(String.class).list()).first().isEqualTo("batch-0");
        assertThat(jdbc.sql("SELECT entity_id FROM attune.inquiry_audit WHERE entity_id LIKE 'batch-%' ORDER BY seq")
                .query(String.class).list()).last().isEqualTo("batch-999");
        assertThat(jdbc.sql("SELECT count(*) FROM attune.audit_pending").query(Long.class).single()).isZero();
    }

    /** Each staging is one row of arrays (V23): two in one transaction are chained in the order they were staged. */
    @Test
    void twoStagingsInOneTransactionAreChainedInTheirOrder() {
        Actor ada = admin();
        long before = log.verify().entries();
        transactions.executeWithoutResult(tx -> {
            appender.append(List.of(new AuditTrail.PendingEntry(AuditSubject.group("first-a"), "updated", ada, null),
                    new AuditTrail.PendingEntry(AuditSubject.group("first-b"), "updated", ada, null)));
            appender.append(List.of(new AuditTrail.PendingEntry(AuditSubject.group("second"), "updated", ada,
                    Json.tree("{\"members\": []}"))));
        });
        AuditVerification result = log.verify();
        assertThat(result.valid()).isTrue();
        assertThat(result.entries()).isEqualTo(before + 3);
        assertThat(jdbc.sql("SELECT entity_id FROM attune.inquiry_audit WHERE entity_id IN ('first-a', 'first-b', "
                + "'second') ORDER BY seq").query(String.class).list()).containsExactly("first-a", "first-b", "second");
    }

    /** A staging whose columns disagree, or an entry without its canonical body, is refused and chains nothing. */
    @Test
    void aMalformedStagingIsRefusedAndTheChainStaysAsItWas() {
        AuditVerification before = log.verify();
        String stage = "INSERT INTO attune.audit_pending (entity_types, entity_ids, inquiries, actions, actor_ids, "
                + "actors, details, body_heads) VALUES (ARRAY['group', 'group'], ARRAY['x', 'y'], '{NULL,NULL}', "
                + "'{updated,updated}', '{NULL,NULL}', ARRAY['ada', 'ada'], '{NULL,NULL}', ?::text[])";
        assertThatThrownBy(() -> transactions.executeWithoutResult(tx -> jdbc.sql(stage)
                .param(new String[] {"{\"action\":\"updated\""}).update()))
                .hasMessageContaining("audit_pending");
        assertThatThrownBy(() -> transactions.executeWithoutResult(tx -> jdbc.sql(stage)
                .param(new String[] {"{\"action\":\"updated\"", "not a body"}).update()))
                .hasMessageContaining("has no canonical body");
        assertThat(log.verify()).isEqualTo(before);
        assertThat(jdbc.sql("SELECT count(*) FROM attune.audit_pending").query(Long.class).single()).isZero();
    }

    /** The database writes {@code occurred} into the hashed body itself: exactly as Java's ISO_INSTANT does. */
    @Test
    void theDatabaseWritesTheMomentAsJavaDoes() {
        for (String moment : List.of("2026-01-15T10:30:00Z", "2026-01-15T10:30:00.100Z", "2026-01-15T10:30:00.120Z",
                "2026-01-15T10:30:00.123400Z", "2026-01-15T10:30:00.000001Z", "1999-12-31T23:59:59.999999Z")) {
            Instant instant = Instant.parse(moment);
            assertThat(jdbc.sql("SELECT attune.iso_instant(?)").param(OffsetDateTime.ofInstant(instant, ZoneOffset.UTC))
                    .query(String.class).single()).isEqualTo(DateTimeFormatter.ISO_INSTANT.format(instant));
        }
    }

    @Test
    void anEntryIsOnlyEverWrittenWithTheChangeItRecords() {
        Actor ada = admin();
        assertThatThrownBy(() -> trail.record(AuditSubject.channel(1), "deleted", ada, null))
                .isInstanceOf(IllegalStateException.class);
    }
}
