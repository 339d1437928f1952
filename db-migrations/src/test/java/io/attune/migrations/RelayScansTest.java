package io.attune.migrations;

import io.attune.testsupport.TestDatabase;
import io.attune.testsupport.TestServices;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox relay's two queries (V25) after many events went through: each event leaves a dead entry in both partial
 * indexes, and until a vacuum only the relay's own scans can mark them dead. A drain must read those entries once,
 * not at every drain until the next vacuum.
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
            s.execute("UPDATE attune.event SET published_at = now()");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "ids for the events stored since, idx_event_unsequenced, SELECT * FROM attune.sequence_events(500)",
            "the events left unpublished, idx_event_unpublished, SELECT * FROM attune.unpublished_events(500)"})
    void aDrainReadsTheDeadEntriesOfTheEventsBeforeItOnceNotAtEveryDrain(String query, String index, String call)
            throws SQLException {
        assertThat(entriesRead(index, call)).as("the first drain after them meets their dead entries")
                .isGreaterThanOrEqualTo(EVENTS);
        assertThat(entriesRead(index, call)).as("the next drain").isLessThan(10);
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
