package io.attune.core.event;

import io.attune.core.CoreIntegrationTest;
import io.attune.testsupport.StoredEvents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention: published events past it are deleted in batches until none is left, whatever the backlog; unpublished
 * ones never; several pruners at once delete each event once. The context's own pruner is off, so that only the
 * test's pruners (retention one hour, small batches) run.
 */
@TestPropertySource(properties = {"attune.event.prune-enabled=false", "attune.outbox.relay-enabled=false"})
class EventPrunerTest extends CoreIntegrationTest {
    private static final RetentionSettings ONE_HOUR = new RetentionSettings(Duration.ofHours(1), Duration.ofSeconds(1),
            1_000, true, Duration.ofMinutes(1));

    /** Recorded as published by the relay (V27); null for an event without an id. */
    private static final String PUBLISHED = "id <= (SELECT published_through FROM attune.event_relay)";

    @Autowired
    DataSource dataSource;

    @BeforeEach
    void emptyTrail() {
        jdbc.sql("DELETE FROM attune.event").update();
        jdbc.sql("UPDATE attune.event_retention SET pruned_through = 0").update();
        jdbc.sql("UPDATE attune.event_relay SET published_through = 0").update();
    }

    @Test
    void aBacklogBeyondAnyFixedQuotaIsPrunedInOneRunAndRecentOrUnpublishedEventsStay() throws Exception {
        long oldest = insertPublished(25_000, "2 days");
        long newestOld = oldest + 25_000 - 1;
        insertPublished(300, "1 minute");
        // assigned an id but not yet confirmed by the broker (the relay publishes in id order, so every later one too)
        long unpublished = insertEvents(200, "id", "now() - interval '3 days'", "now() - interval '3 days'");
        insertEvents(100, "NULL", "NULL", "now() - interval '3 days'"); // not even sequenced

        long pruned = pruner(ONE_HOUR).prune();

        assertThat(pruned).isEqualTo(25_000);
        assertThat(count(PUBLISHED + " AND sequenced_at < now() - interval '1 hour'")).isZero();
        assertThat(count(PUBLISHED + " AND sequenced_at >= now() - interval '1 hour'")).isEqualTo(300);
        assertThat(count("NOT coalesce(" + PUBLISHED + ", false)")).isEqualTo(300);
        assertThat(count("id = " + unpublished)).isEqualTo(1);
        assertThat(prunedThrough()).isEqualTo(newestOld);

        assertThat(pruner(ONE_HOUR).prune()).as("nothing left to prune").isZero();
        assertThat(prunedThrough()).isEqualTo(newestOld);
    }

    @Test
    void eventsPublishedLaterArePrunedOnceTheyAgePastTheRetention() throws Exception {
        insertPublished(1_500, "2 hours");
        long recent = insertPublished(10, "10 minutes");
        EventPruner pruner = pruner(ONE_HOUR);
        assertThat(pruner.prune()).isEqualTo(1_500);

        jdbc.sql("UPDATE attune.event SET sequenced_at = sequenced_at - interval '1 hour'").update();
        assertThat(pruner.prune()).isEqualTo(10);
        assertThat(prunedThrough()).isEqualTo(recent + 9);
        assertThat(count("true")).isZero();
    }

    @Test
    void aPrunerWhoseDeletesAutovacuumHasNotReachedVacuumsTheTableItself() throws Exception {
        jdbc.sql("ALTER TABLE attune.event SET (autovacuum_enabled = false)").update();
        try {
            insertPublished(12_000, "1 day");
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            RetentionSettings vacuumAtOnce = new RetentionSettings(Duration.ofHours(1), Duration.ofSeconds(1), 1_000,
                    true, Duration.ZERO);
            assertThat(new EventPruner(dataSource, vacuumAtOnce, meters).prune()).isEqualTo(12_000);
            assertThat(meters.get("attune.event.vacuums").counter().count()).isEqualTo(1);
            java.time.Instant vacuumed = jdbc.sql("SELECT last_vacuum FROM pg_stat_user_tables "
                    + "WHERE relid = 'attune.event'::regclass").query(java.time.Instant.class).optional().orElse(null);
            assertThat(vacuumed).isNotNull();

            insertPublished(3_000, "1 day"); // vacuumed less than a minute ago: not again
            SimpleMeterRegistry again = new SimpleMeterRegistry();
            assertThat(new EventPruner(dataSource, ONE_HOUR, again).prune()).isEqualTo(3_000);
            assertThat(again.get("attune.event.vacuums").counter().count()).isZero();
        } finally {
            jdbc.sql("ALTER TABLE attune.event RESET (autovacuum_enabled)").update();
        }
    }

    @Test
    void severalPrunersAtOnceDeleteEachEventOnceWithoutError() throws Exception {
        insertPublished(20_000, "1 day");
        List<CompletableFuture<Long>> runs = List.of(1, 2, 3).stream()
                .map(i -> CompletableFuture.supplyAsync(() -> {
                    try {
                        long total = 0;
                        for (int round = 0; round < 3; round++) {
                            total += pruner(ONE_HOUR).prune();
                        }
                        return total;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })).toList();
        long total = 0;
        for (CompletableFuture<Long> run : runs) {
            total += run.get();
        }
        assertThat(total).isEqualTo(20_000);
        assertThat(count("true")).isZero();
    }

    private EventPruner pruner(RetentionSettings settings) {
        return new EventPruner(dataSource, settings, new SimpleMeterRegistry());
    }

    /** {@code n} published events, given their ids {@code age} ago; returns the first one's id. */
    private long insertPublished(int n, String age) {
        long first = insertEvents(n, "id", "now() - interval '" + age + "'", "now() - interval '" + age + "'");
        jdbc.sql(StoredEvents.ALL_PUBLISHED).update();
        return first;
    }

    /** {@code n} events, not published; {@code idExpression} "id" gives each the next public id, "NULL" none. */
    private long insertEvents(int n, String idExpression, String sequencedAt, String created) {
        long first = jdbc.sql("SELECT nextval('attune.event_id_seq')").query(Long.class).single();
        jdbc.sql("SELECT setval('attune.event_id_seq', ?, false)").param(first).query(Long.class).single();
        jdbc.sql("INSERT INTO attune.event (id, message_id, message_type, routing_key, execution_id, envelope, "
                        + "created, sequenced_at) "
                        + "SELECT " + ("id".equals(idExpression) ? "nextval('attune.event_id_seq')" : "NULL")
                        + ", gen_random_uuid(), 'ExecutionRequested', 'execution.requested', g, "
                        + "jsonb_build_object('payload', jsonb_build_object('execution_id', g)), "
                        + created + ", " + sequencedAt + " FROM generate_series(1, ?) g")
                .param(n).update();
        return first;
    }

    private long count(String condition) {
        return jdbc.sql("SELECT count(*) FROM attune.event WHERE " + condition).query(Long.class).single();
    }

    private long prunedThrough() {
        return jdbc.sql("SELECT pruned_through FROM attune.event_retention").query(Long.class).single();
    }
}
