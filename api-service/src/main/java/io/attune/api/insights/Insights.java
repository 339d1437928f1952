package io.attune.api.insights;

import io.attune.core.error.DomainException;
import io.attune.model.insights.InsightGrouping;
import io.attune.model.insights.InsightRow;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The decision figures of the inquiries created in a period, per key, computed by Postgres from the stored data
 * (docs/audit.md): the period's inquiries are read from idx_inquiry_created_insights alone, the escalated ones from
 * a small partial index of the trail. Percentiles are rounded to the millisecond.
 */
@Service
public class Insights {
    private static final String FIGURES = """
            SELECT %s AS key,
                   count(*) AS inquiries,
                   count(*) FILTER (WHERE s.status = 'responded' AND NOT s.defaulted) AS answered,
                   count(*) FILTER (WHERE s.status = 'timeout' AND NOT s.defaulted) AS timed_out,
                   count(*) FILTER (WHERE s.status = 'cancelled') AS cancelled,
                   count(*) FILTER (WHERE s.defaulted) AS defaulted,
                   count(esc.inquiry) AS escalated,
                   round(percentile_cont(0.5) WITHIN GROUP (ORDER BY s.decision_seconds)
                       FILTER (WHERE s.status = 'responded' AND NOT s.defaulted)::numeric, 3) AS p50,
                   round(percentile_cont(0.9) WITHIN GROUP (ORDER BY s.decision_seconds)
                       FILTER (WHERE s.status = 'responded' AND NOT s.defaulted)::numeric, 3) AS p90
            FROM (SELECT i.id, i.assigned_to, i.assignee_keys, i.execution, i.status, i.defaulted, i.created,
                         extract(epoch FROM i.responded_at - i.created)::float8 AS decision_seconds
                  FROM attune.inquiry i
                  WHERE i.created >= :from AND i.created < :to) s
            LEFT JOIN (SELECT DISTINCT inquiry FROM attune.inquiry_audit WHERE action = 'escalated') esc
                   ON esc.inquiry = s.id
            %s
            GROUP BY 1
            ORDER BY 1 NULLS FIRST
            """;

    private final JdbcClient jdbc;

    public Insights(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One row per key; inquiries with {@code from <= created < to}. */
    public List<InsightRow> figures(Instant from, Instant to, InsightGrouping grouping) {
        String sql = switch (grouping) {
            // An inquiry counts once for each user it lists (docs/policies.md); null: none listed.
            case ASSIGNEE -> FIGURES.formatted("who.login",
                    "LEFT JOIN LATERAL (SELECT substr(k, 3)::bigint AS id FROM unnest(s.assignee_keys) k "
                            + "WHERE k LIKE 'u:%') listed ON true LEFT JOIN attune.identity who ON who.id = listed.id");
            case ACTION_REF -> FIGURES.formatted("e.action_ref",
                    "JOIN attune.execution e ON e.id = s.execution");
            case DAY -> FIGURES.formatted("to_char(s.created AT TIME ZONE 'UTC', 'YYYY-MM-DD')", "");
            // An inquiry counts once in each group it lists and each group of a user it lists; null: none.
            case GROUP -> {
                requireGroups();
                yield FIGURES.formatted("g.name", "LEFT JOIN LATERAL (SELECT substr(k, 3) AS name FROM "
                        + "unnest(s.assignee_keys) k WHERE k LIKE 'g:%' UNION SELECT ig.name FROM unnest(s.assignee_keys) k "
                        + "JOIN attune.group_member gm ON k = 'u:' || gm.identity_id "
                        + "JOIN attune.identity_group ig ON ig.id = gm.group_id) g ON true");
            }
        };
        return jdbc.sql(sql)
                .param("from", OffsetDateTime.ofInstant(from, ZoneOffset.UTC))
                .param("to", OffsetDateTime.ofInstant(to, ZoneOffset.UTC))
                .query((rs, n) -> new InsightRow(rs.getString("key"), rs.getLong("inquiries"),
                        rs.getLong("answered"), rs.getLong("timed_out"), rs.getLong("cancelled"),
                        rs.getLong("defaulted"), rs.getLong("escalated"), nullableDouble(rs, "p50"),
                        nullableDouble(rs, "p90")))
                .list();
    }

    private void requireGroups() {
        Boolean present = jdbc.sql("SELECT to_regclass('attune.group_member') IS NOT NULL").query(Boolean.class).single();
        if (!Boolean.TRUE.equals(present)) {
            throw DomainException.badRequest("group_by=group needs identity groups, which this database does not have "
                    + "yet (they come with the identities and groups migration)");
        }
    }

    private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }
}
