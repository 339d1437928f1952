package io.attune.core.inquiry;

import io.attune.core.identity.Actor;
import io.attune.model.json.Json;
import io.attune.model.rest.AuditEntryView;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;

import java.sql.Types;
import java.util.List;
import java.util.Map;

import static io.attune.core.JsonColumns.instant;
import static io.attune.core.JsonColumns.json;
import static io.attune.core.JsonColumns.nullableLong;

/** The audit trail: who did what to an inquiry, and when. Written only by {@link InquiryTransitions}. */
@Repository
public class AuditRepository {
    private static final String INSERT = "INSERT INTO attune.inquiry_audit (inquiry, action, actor_id, actor, details) "
            + "VALUES (?, ?::attune.inquiry_action_enum, ?, ?, ?::jsonb)";

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    public AuditRepository(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    public void record(long inquiry, String action, Actor actor, JsonNode details) {
        recordAll(java.util.Collections.singletonMap(inquiry, details), action, actor);
    }

    /** One entry per inquiry, all with the same action and actor (the timeout sweep). */
    public void recordAll(Map<Long, JsonNode> detailsByInquiry, String action, Actor actor) {
        batch.batchUpdate(INSERT, List.copyOf(detailsByInquiry.entrySet()), 1000, (ps, entry) -> {
            ps.setLong(1, entry.getKey());
            ps.setString(2, action);
            if (actor.isSystem()) {
                ps.setNull(3, Types.BIGINT);
            } else {
                ps.setLong(3, actor.id());
            }
            ps.setString(4, actor.login());
            ps.setString(5, entry.getValue() == null ? null : Json.write(entry.getValue()));
        });
    }

    public List<AuditEntryView> history(long inquiry) {
        return jdbc.sql("SELECT id, inquiry, action::text AS action, actor_id, actor, occurred, details::text AS details "
                        + "FROM attune.inquiry_audit WHERE inquiry = ? ORDER BY id")
                .param(inquiry)
                .query((rs, n) -> new AuditEntryView(rs.getLong("id"), rs.getLong("inquiry"), rs.getString("action"),
                        nullableLong(rs, "actor_id"), rs.getString("actor"), instant(rs, "occurred"),
                        json(rs, "details")))
                .list();
    }
}
