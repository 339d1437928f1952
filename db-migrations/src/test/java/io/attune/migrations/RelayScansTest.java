package io.attune.migrations;

import io.attune.testsupport.TestDatabase;
import io.attune.testsupport.TestServices;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox relay's two queries after many events went through. Giving an event its id leaves a dead entry in the
 * partial index of events without one (V25), and until a vacuum only the relay's own scans can mark them dead: a
 * drain must read those entries once, not at every drain until the next vacuum. The published ones (V27) are read
 * from the mark on, past none of them.
 */
class RelayScansTest {
    private static final int EVENTS = 3_000;
    private static TestDatabase database;

    @BeforeAll
    static void eventsStoredSequencedAndPublished() throws SQLException {
        database = TestServices.get().newMigratedDatabase();
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO attune.event (message_id, message_type, routing_key, execution_id, envelope) "
                    + "SELECT gen_random_uuid(), 'ExecutionRequested', 'execution.requested', g, '{}' "
                    + "FROM generate_series(1, " + EVENTS + ") g");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM attune.sequence_events(" + EVENTS + ")")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(EVENTS);
            }
            s.execute("UPDATE attune.event_relay SET published_through = (SELECT max(id) FROM attune.event)");
        }
    }

    @Test
    void aDrainReadsTheDeadEntriesOfTheEventsGivenTheirIdsOnceNotAtEveryDrain() throws SQLException {
        String drain = "SELECT * FROM attune.sequence_events(500)";
        assertThat(entriesRead("idx_event_unsequenced", drain)).as("the first drain after them meets their dead entries")
                .isGreaterThanOrEqualTo(EVENTS);
        assertThat(entriesRead("idx_event_unsequenced", drain)).as("the next drain").isLessThan(10);
    }

    @Test
    void theEventsLeftUnpublishedAreReadFromTheMarkOnNotPastThePublishedOnes() throws SQLException {
        String drain = "SELECT * FROM attune.unpublished_events(500)";
        assertThat(entriesRead("event_id_key", drain)).as("every event is published").isLessThan(10);
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("UPDATE attune.event_relay SET published_through = published_through - 5");
            try (ResultSet rs = s.executeQuery(drain)) {
                int rows = 0;
                while (rs.next()) {
                    rows++;
                }
                assertThat(rows).as("the five after the mark").isEqualTo(5);
            }
            s.execute("UPDATE attune.event_relay SET published_through = published_through + 5");
        }
    }

    /** How many entries of {@code index} the statement read, from the statistics its connection reports. */
    private static long entriesRead(String index, String statement) throws SQLException {
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            long before = indexEntriesRead(s, index);
            s.execute(statement);
            s.execute("SELECT pg_stat_force_next_flush()");
            return indexEntriesRead(s, index) - before;
        }
    }

    private static long indexEntriesRead(Statement s, String index) throws SQLException {
        s.execute("SELECT pg_stat_clear_snapshot()");
        try (ResultSet rs = s.executeQuery(
                "SELECT idx_tup_read FROM pg_stat_user_indexes WHERE indexrelname = '" + index + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
