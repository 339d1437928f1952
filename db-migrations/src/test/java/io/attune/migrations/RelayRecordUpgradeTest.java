package io.attune.migrations;

import io.attune.testsupport.TestDatabase;
import io.attune.testsupport.TestServices;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V27 moves "published" from each event to the relay's one record: a trail stored before it keeps every event that
 * was not published unpublished (it goes out after the upgrade), and nothing published goes out again but what
 * followed an unpublished one, as a relay crash would have it.
 */
class RelayRecordUpgradeTest {

    @Test
    void theRecordStopsBeforeTheFirstEventThatWasNotPublished() throws SQLException {
        try (Connection c = upgradedFrom26(before -> {
            store(before, 10);
            before.execute("SELECT count(*) FROM attune.sequence_events(10)");
            before.execute("UPDATE attune.event SET published_at = now() "
                    + "WHERE id < (SELECT min(id) + 6 FROM attune.event)");
            store(before, 3); // stored, no id yet
        }); Statement s = c.createStatement()) {
            long first = single(s, "SELECT min(id) FROM attune.event");
            assertThat(single(s, "SELECT published_through FROM attune.event_relay")).isEqualTo(first + 5);
            assertThat(single(s, "SELECT count(*) FROM attune.unpublished_events(100)")).isEqualTo(4);
            assertThat(single(s, "SELECT count(*) FROM attune.event WHERE id IS NOT NULL AND sequenced_at IS NULL"))
                    .as("the retention counts for every event with an id").isZero();
            assertThat(single(s, "SELECT count(*) FROM attune.sequence_events(100) WHERE id > " + (first + 9)))
                    .isEqualTo(3);
            assertThat(single(s, "SELECT count(*) FROM attune.event WHERE sequenced_at IS NULL")).isZero();
        }
    }

    @Test
    void aTrailPublishedToTheEndIsRecordedAsPublishedToItsLastId() throws SQLException {
        try (Connection c = upgradedFrom26(before -> {
            store(before, 4);
            before.execute("SELECT count(*) FROM attune.sequence_events(10)");
            before.execute("UPDATE attune.event SET published_at = now()");
        }); Statement s = c.createStatement()) {
            assertThat(single(s, "SELECT published_through FROM attune.event_relay"))
                    .isEqualTo(single(s, "SELECT max(id) FROM attune.event"));
            assertThat(single(s, "SELECT count(*) FROM attune.unpublished_events(100)")).isZero();
        }
    }

    /** A database at V26 with {@code trail} stored, then migrated to the latest; a connection to it. */
    private static Connection upgradedFrom26(SqlWork trail) throws SQLException {
        TestDatabase database = TestServices.get().newDatabase();
        database.migrate("26");
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            trail.run(s);
        }
        database.migrate();
        return database.connect();
    }

    private interface SqlWork {
        void run(Statement s) throws SQLException;
    }

    private static void store(Statement s, int n) throws SQLException {
        s.execute("INSERT INTO attune.event (message_id, message_type, routing_key, execution_id, envelope) "
                + "SELECT gen_random_uuid(), 'ExecutionRequested', 'execution.requested', g, '{}' "
                + "FROM generate_series(1, " + n + ") g");
    }

    private static long single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
