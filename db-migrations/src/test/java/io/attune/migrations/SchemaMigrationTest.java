package io.attune.migrations;

import io.attune.testsupport.TestDatabase;
import io.attune.testsupport.TestServices;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchemaMigrationTest {
    private static TestDatabase database;

    @BeforeAll
    static void migrateAnEmptyDatabase() {
        database = TestServices.get().newMigratedDatabase();
    }

    @Test
    void migratingAgainChangesNothing() {
        database.migrate();
        assertThat(queryStrings("SELECT version FROM attune.flyway_schema_history WHERE success AND version IS NOT NULL ORDER BY installed_rank"))
                .startsWith("1", "2", "3").contains("6", "7", "10.1", "10.2").doesNotHaveDuplicates();
    }

    @Test
    void createsTheContractTablesAndTheIndexesTheQueriesRead() {
        assertThat(queryStrings("SELECT table_name FROM information_schema.tables WHERE table_schema = 'attune'"))
                .contains("identity", "execution", "inquiry", "inquiry_audit", "event");
        assertThat(queryStrings("SELECT indexname FROM pg_indexes WHERE schemaname = 'attune' AND tablename = 'inquiry'"))
                .contains("idx_inquiry_status", "idx_inquiry_assignee_status_id", "idx_inquiry_pending_timeout",
                        "uq_inquiry_one_pending_per_execution")
                // V27: the seed's (assigned_to, status) is the start of the one above, and its timeout_at index was
                // read by nothing once the sweep had the pending one
                .doesNotContain("idx_inquiry_assigned_status", "idx_inquiry_timeout_at");
    }

    @Test
    void unknownStatusesAreRefused() throws SQLException {
        long execution = insertExecution("requested");
        assertRefused("INSERT INTO attune.execution (action_ref, status) VALUES ('a.b', 'bogus')", "22P02");
        assertRefused("INSERT INTO attune.inquiry (execution, prompt, status) VALUES (" + execution + ", 'q', 'maybe')",
                "22P02");
        assertRefused("INSERT INTO attune.inquiry_audit (inquiry, action, actor) VALUES (1, 'approved', 'system')",
                "22P02");
        assertRefused("INSERT INTO attune.event (message_id, message_type, routing_key, execution_id, envelope) "
                + "VALUES (gen_random_uuid(), 'SomethingElse', 'x.y', 1, '{}')", "23514");
    }

    @Test
    void identitiesHaveUniqueLoginsAndOnlyKnownRoles() throws SQLException {
        execute("INSERT INTO attune.identity (login, password_hash, roles) VALUES ('ada', 'h', '{admin,user}')");
        assertRefused("INSERT INTO attune.identity (login, password_hash) VALUES ('ada', 'h')", "23505");
        assertRefused("INSERT INTO attune.identity (login, password_hash, roles) VALUES ('bob', 'h', '{root}')",
                "23514");
        assertRefused("INSERT INTO attune.identity (login, password_hash, roles) VALUES ('carl', 'h', '{}')", "23514");
        assertRefused("INSERT INTO attune.identity (login, password_hash) VALUES ('has space', 'h')", "23514");
    }

    @Test
    void foreignKeysHold() throws SQLException {
        long execution = insertExecution("paused");
        assertRefused("INSERT INTO attune.inquiry (execution, prompt) VALUES (987654321, 'q')", "23503");
        assertRefused("INSERT INTO attune.inquiry (execution, prompt, assigned_to) VALUES (" + execution
                + ", 'q', 987654321)", "23503");
        assertRefused("INSERT INTO attune.inquiry_audit (inquiry, action, actor) VALUES (987654321, 'created', 'system')",
                "23503");
    }

    @Test
    void anExecutionHasAtMostOnePendingInquiry() throws SQLException {
        long execution = insertExecution("paused");
        execute("INSERT INTO attune.inquiry (execution, prompt) VALUES (" + execution + ", 'first')");
        assertRefused("INSERT INTO attune.inquiry (execution, prompt) VALUES (" + execution + ", 'second')", "23505");

        execute("UPDATE attune.inquiry SET status = 'responded', response = '{}', responded_at = now() "
                + "WHERE execution = " + execution);
        execute("INSERT INTO attune.inquiry (execution, prompt) VALUES (" + execution + ", 'a follow-up')");
        assertThat(queryStrings("SELECT status::text FROM attune.inquiry WHERE execution = " + execution + " ORDER BY id"))
                .containsExactly("responded", "pending");
    }

    @Test
    void aRespondedInquirySaysWhatAndWhen() throws SQLException {
        long execution = insertExecution("paused");
        execute("INSERT INTO attune.inquiry (execution, prompt) VALUES (" + execution + ", 'q')");
        assertRefused("UPDATE attune.inquiry SET status = 'responded' WHERE execution = " + execution, "23514");
    }

    @Test
    void emptyPromptsAreRefused() throws SQLException {
        long execution = insertExecution("paused");
        assertRefused("INSERT INTO attune.inquiry (execution, prompt) VALUES (" + execution + ", '   ')", "23514");
    }

    @Test
    void updatedFollowsEveryChange() throws SQLException {
        long execution = insertExecution("requested");
        execute("UPDATE attune.execution SET created = now() - interval '1 hour', updated = now() - interval '1 hour'"
                + " WHERE id = " + execution);
        execute("UPDATE attune.execution SET status = 'running' WHERE id = " + execution);
        assertThat(queryStrings("SELECT (updated > created + interval '30 minutes')::text FROM attune.execution WHERE id = "
                + execution)).containsExactly("true");
    }

    @Test
    void theTallyCountsEveryInquiryByStatusAndAssignee() throws SQLException {
        execute("INSERT INTO attune.identity (login, password_hash) VALUES ('tally-ann', 'h'), ('tally-ben', 'h')");
        for (int i = 0; i < 6; i++) {
            long execution = insertExecution("paused");
            execute("INSERT INTO attune.inquiry (execution, prompt, assigned_to) VALUES (" + execution + ", 'q', "
                    + (i % 3 == 0 ? "NULL" : "(SELECT id FROM attune.identity WHERE login = 'tally-ann')") + ")");
        }
        long lastExecution = insertExecution("paused");
        execute("INSERT INTO attune.inquiry (execution, prompt, status) SELECT " + lastExecution
                + ", 'q' || g, 'timeout' FROM generate_series(1, 3) g");
        // several rows per statement, moving between statuses and assignees, and a delete
        execute("UPDATE attune.inquiry SET status = 'cancelled' WHERE id IN (SELECT id FROM attune.inquiry "
                + "WHERE status = 'pending' ORDER BY id LIMIT 2)");
        execute("UPDATE attune.inquiry SET assigned_to = (SELECT id FROM attune.identity WHERE login = 'tally-ben') "
                + "WHERE assigned_to IS NULL AND status = 'pending'");
        execute("DELETE FROM attune.inquiry WHERE execution = " + lastExecution + " AND prompt = 'q1'");

        assertThat(queryStrings(COUNTED)).hasSizeGreaterThan(3);
        assertThat(queryStrings(TALLIED)).isEqualTo(queryStrings(COUNTED));
    }

    /**
     * Each database backend counts in tally rows of its own (V24): 20 transactions changing one person's
     * inquiries at the same time never wait for each other (with V3's 16 shards two of them had to), and the
     * compaction folds their rows into one per status and assignee without changing a sum.
     */
    @Test
    void concurrentWritersNeverWaitOnTheTallyAndItsCompactionKeepsTheSums() throws SQLException {
        execute("INSERT INTO attune.identity (login, password_hash) VALUES ('tally-busy', 'h')");
        List<Long> inquiries = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long execution = insertExecution("paused");
            inquiries.add(Long.parseLong(queryStrings("INSERT INTO attune.inquiry (execution, prompt, assigned_to) "
                    + "VALUES (" + execution + ", 'q', (SELECT id FROM attune.identity WHERE login = 'tally-busy')) "
                    + "RETURNING id").get(0)));
        }
        List<Connection> open = new ArrayList<>();
        try {
            for (long inquiry : inquiries) {
                Connection c = database.connect();
                open.add(c);
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.execute("SET LOCAL lock_timeout = '2s'");
                    s.executeUpdate("UPDATE attune.inquiry SET status = 'cancelled' WHERE id = " + inquiry);
                }
            }
            for (Connection c : open) {
                c.commit();
            }
        } finally {
            for (Connection c : open) {
                c.close();
            }
        }
        assertThat(queryStrings(TALLIED)).isEqualTo(queryStrings(COUNTED));

        assertThat(Integer.parseInt(queryStrings("SELECT attune.compact_inquiry_tally()").get(0))).isPositive();
        assertThat(queryStrings("SELECT DISTINCT shard::text FROM attune.inquiry_tally")).containsExactly("0");
        assertThat(queryStrings(TALLIED)).isEqualTo(queryStrings(COUNTED));
        assertThat(queryStrings("SELECT sum(inquiries)::text FROM attune.inquiry_tally WHERE status = 'cancelled' "
                + "AND assigned_to = (SELECT id FROM attune.identity WHERE login = 'tally-busy')")).containsExactly("20");
    }

    private static final String COUNTED = "SELECT status || '/' || coalesce(assigned_to, 0) || '=' || count(*) "
            + "FROM attune.inquiry GROUP BY status, assigned_to ORDER BY 1";
    private static final String TALLIED = "SELECT status || '/' || assigned_to || '=' || sum(inquiries) "
            + "FROM attune.inquiry_tally GROUP BY status, assigned_to HAVING sum(inquiries) <> 0 ORDER BY 1";

    private long insertExecution(String status) throws SQLException {
        try (Connection c = database.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("INSERT INTO attune.execution (action_ref, status) VALUES ('examples.x', '"
                     + status + "') RETURNING id")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private void assertRefused(String sql, String sqlState) {
        assertThatThrownBy(() -> execute(sql))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(e.getMessage()).isEqualTo(sqlState));
    }

    private List<String> queryStrings(String sql) {
        try (Connection c = database.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
