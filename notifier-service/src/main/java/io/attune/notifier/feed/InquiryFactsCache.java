package io.attune.notifier.feed;

import io.attune.notifier.notification.InquiryFacts;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.attune.core.JsonColumns;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Optional;

/**
 * The immutable facts of recently notified inquiries (bounded), so that a responded / timeout / cancelled event —
 * whose payload lacks prompt, assignee and execution — rarely costs a query.
 */
@Component
public class InquiryFactsCache {
    /** Room for the inquiries of a busy day (a few hundred bytes each): answers to older ones cost a query. */
    private static final int CAPACITY = 100_000;
    private static final String SELECT = "SELECT id, execution, prompt, assignment::text AS assignment "
            + "FROM attune.inquiry WHERE ";

    private final JdbcClient jdbc;
    private final Cache<Long, InquiryFacts> cache = Caffeine.newBuilder().maximumSize(CAPACITY).build();

    public InquiryFactsCache(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    static io.attune.model.inquiry.Assignment assignment(tools.jackson.databind.JsonNode stored) {
        return stored == null || stored.isNull() ? null : io.attune.model.inquiry.Assignment.of(stored);
    }

    public void remember(long inquiryId, InquiryFacts facts) {
        cache.put(inquiryId, facts);
    }

    /** Reads the facts of those of these inquiries not known yet, in one query. */
    public void loadMissing(Collection<Long> inquiryIds) {
        Long[] unknown = inquiryIds.stream().distinct().filter(id -> cache.getIfPresent(id) == null)
                .toArray(Long[]::new);
        if (unknown.length == 0) {
            return;
        }
        jdbc.sql(SELECT + "id = ANY(?)")
                .param(unknown)
                .query((RowCallbackHandler) rs -> cache.put(rs.getLong("id"), facts(rs)));
    }

    /** The inquiry's facts; empty if it does not exist. A database outage is thrown, not hidden. */
    public Optional<InquiryFacts> find(long inquiryId) {
        InquiryFacts cached = cache.getIfPresent(inquiryId);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<InquiryFacts> loaded = jdbc.sql(SELECT + "id = ?")
                .param(inquiryId)
                .query((rs, n) -> facts(rs))
                .optional();
        loaded.ifPresent(facts -> cache.put(inquiryId, facts));
        return loaded;
    }

    private static InquiryFacts facts(ResultSet rs) throws SQLException {
        return new InquiryFacts(rs.getLong("execution"), rs.getString("prompt"),
                assignment(JsonColumns.json(rs, "assignment")));
    }
}
