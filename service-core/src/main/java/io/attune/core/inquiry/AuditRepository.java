package io.attune.core.inquiry;

import io.attune.core.audit.AuditSubject;
import io.attune.core.audit.AuditTrail;
import io.attune.core.identity.Actor;
import io.attune.model.rest.AuditEntryView;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.attune.core.JsonColumns.instant;
import static io.attune.core.JsonColumns.json;
import static io.attune.core.JsonColumns.nullableLong;

/**
 * An inquiry's side of the audit trail: who did what to it, and when. Written only by {@link InquiryTransitions},
 * through the suite's one chained {@link AuditTrail}.
 */
@Repository
public class AuditRepository {
    private final JdbcClient jdbc;
    private final AuditTrail trail;

    public AuditRepository(JdbcClient jdbc, AuditTrail trail) {
        this.jdbc = jdbc;
        this.trail = trail;
    }

    public void record(long inquiry, String action, Actor actor, JsonNode details) {
        trail.record(AuditSubject.inquiry(inquiry), action, actor, details);
    }

    /** One entry per inquiry, all with the same action and actor (the timeout sweep). */
    public void recordAll(Map<Long, JsonNode> detailsByInquiry, String action, Actor actor) {
        List<AuditTrail.PendingEntry> entries = new ArrayList<>(detailsByInquiry.size());
        detailsByInquiry.forEach((inquiry, details) ->
                entries.add(new AuditTrail.PendingEntry(AuditSubject.inquiry(inquiry), action, actor, details)));
        trail.recordAll(entries);
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
