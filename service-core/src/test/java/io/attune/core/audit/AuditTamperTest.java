package io.attune.core.audit;

import io.attune.core.CoreIntegrationTest;
import io.attune.core.identity.Actor;
import io.attune.model.audit.AuditVerification;
import io.attune.model.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever is done to the trail's rows behind the suite's back, verify names the entry where the chain breaks. */
class AuditTamperTest extends CoreIntegrationTest {
    @Autowired
    AuditTrail trail;
    @Autowired
    AuditLog log;
    @Autowired
    TransactionTemplate transactions;

    List<Long> ids;

    @BeforeEach
    void tenEntries() {
        if (jdbc.sql("SELECT count(*) FROM attune.inquiry_audit").query(Long.class).single() == 0) {
            for (int i = 0; i < 10; i++) {
                int n = i;
                transactions.executeWithoutResult(tx -> trail.record(AuditSubject.identity(n), "updated",
                        Actor.SYSTEM, Json.tree("{\"roles\": [\"user\"], \"n\": " + n + "}")));
            }
            jdbc.sql("CREATE TABLE attune.audit_backup AS SELECT * FROM attune.inquiry_audit").update();
            jdbc.sql("CREATE TABLE attune.head_backup AS SELECT * FROM attune.audit_chain_head").update();
        }
        ids = jdbc.sql("SELECT id FROM attune.inquiry_audit ORDER BY seq").query(Long.class).list();
        assertThat(log.verify().valid()).isTrue();
    }

    @AfterEach
    void restore() {
        jdbc.sql("DELETE FROM attune.inquiry_audit").update();
        jdbc.sql("INSERT INTO attune.inquiry_audit SELECT * FROM attune.audit_backup").update();
        jdbc.sql("DELETE FROM attune.audit_chain_head").update();
        jdbc.sql("INSERT INTO attune.audit_chain_head SELECT * FROM attune.head_backup").update();
    }

    @Test
    void anEditedDetail() {
        sql("UPDATE attune.inquiry_audit SET details = '{\"roles\": [\"admin\"], \"n\": 4}' WHERE id = ?", ids.get(4));
        assertBrokenAt(ids.get(4));
    }

    @Test
    void anEditedActorOrTime() {
        sql("UPDATE attune.inquiry_audit SET occurred = occurred + interval '1 microsecond' WHERE id = ?", ids.get(6));
        assertBrokenAt(ids.get(6));
    }

    @Test
    void anEditedEntryWhoseHashWasRecomputedBreaksTheNextLink() {
        // The forger recomputes the entry's own hash, but the next entry was hashed over the old one.
        sql("UPDATE attune.inquiry_audit SET hash = repeat('a', 64) WHERE id = ?", ids.get(3));
        assertBrokenAt(ids.get(3));
    }

    @Test
    void aDeletedEntry() {
        sql("DELETE FROM attune.inquiry_audit WHERE id = ?", ids.get(5));
        assertBrokenAt(ids.get(6));
    }

    @Test
    void theLastEntryDeleted() {
        sql("DELETE FROM attune.inquiry_audit WHERE id = ?", ids.get(9));
        assertBrokenAt(ids.get(9));
    }

    @Test
    void twoEntriesSwapped() {
        sql("UPDATE attune.inquiry_audit SET seq = 1000000 WHERE id = ?", ids.get(2));
        sql("UPDATE attune.inquiry_audit SET seq = 3 WHERE id = ?", ids.get(7));
        sql("UPDATE attune.inquiry_audit SET seq = 8 WHERE id = ?", ids.get(2));
        assertBrokenAt(ids.get(7));
    }

    @Test
    void anEntrySlippedInBesideTheChain() {
        long forged = jdbc.sql("INSERT INTO attune.inquiry_audit (entity_type, entity_id, action, actor) "
                + "VALUES ('identity', '1', 'updated', 'system') RETURNING id").query(Long.class).single();
        assertBrokenAt(forged);
    }

    private void sql(String statement, Object... params) {
        var spec = jdbc.sql(statement);
        for (Object p : params) {
            spec = spec.param(p);
        }
        spec.update();
    }

    private void assertBrokenAt(long id) {
        AuditVerification result = log.verify();
        assertThat(result.valid()).isFalse();
        assertThat(result.firstBroken()).isEqualTo(id);
    }
}
