package io.attune.model.audit;

import io.attune.model.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database appends entries at commit from the head of their body that a service writes (migration V22): the
 * head plus the members the chain assigns must be exactly the body's canonical JSON, or the chain the database writes
 * would not verify.
 */
class AuditChainTest {
    @Test
    void theHeadAndTheAssignedMembersAreTheCanonicalBody() {
        String[] moments = {"2026-01-15T10:30:00Z", "2026-01-15T10:30:00.120Z", "2026-01-15T10:30:00.123400Z",
            "2026-01-15T10:30:00.000001Z", "2026-12-31T23:59:59.999999Z"};
        for (String moment : moments) {
            for (AuditEntry entry : new AuditEntry[] {
                new AuditEntry(101, 1L, "inquiry", "7", "created", "system", null, Instant.parse(moment), null, null),
                new AuditEntry(9_007_199_254_740_991L, 42L, "group", "ops \u00e9\u2028", "updated", "ada", 5L,
                    Instant.parse(moment), Json.tree("{\"zeta\": 1.50, \"members\": [\"b\", \"a\"], \"\u00e9\": null, "
                        + "\"id\": \"not the entry's\", \"seq\": {\"occurred\": 1E30}}"), null)}) {
                String head = AuditChain.bodyHead(entry.entityType(), entry.entityId(), entry.action(), entry.actor(),
                        entry.actorId(), entry.details());

                assertThat(AuditChain.bodyFromHead(head, entry.id(), entry.occurred(), entry.seq()))
                        .isEqualTo(CanonicalJson.write(AuditChain.body(entry)));
            }
        }
    }

    @Test
    void theHeadEndsBeforeTheIdSoTheDatabaseCanFinishIt() {
        String head = AuditChain.bodyHead("inquiry", "7", "responded", "ada", 5L, Json.tree("{\"approved\": true}"));

        assertThat(head).isEqualTo("{\"action\":\"responded\",\"actor\":\"ada\",\"actor_id\":5,"
                + "\"details\":{\"approved\":true},\"entity_id\":\"7\",\"entity_type\":\"inquiry\"");
    }
}
