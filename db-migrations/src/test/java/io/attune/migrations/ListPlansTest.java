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
 * The plans of a person's list over many inquiries, as Postgres chooses them from the schema's indexes and
 * statistics: a part of the list that holds nothing must not cost a walk through every inquiry.
 */
class ListPlansTest {
    private static TestDatabase database;
    private static long person;

    @BeforeAll
    static void fiftyThousandInquiriesAndNoGroupAssignments() throws SQLException {
        database = TestServices.get().newMigratedDatabase();
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO attune.identity (login, password_hash) SELECT 'approver-' || g, 'h' "
                    + "FROM generate_series(1, 5) g");
            try (ResultSet rs = s.executeQuery("SELECT min(id) FROM attune.identity")) {
                rs.next();
                person = rs.getLong(1);
            }
            // as in a real installation: most unassigned or assigned to one person, closed long ago, rows as wide as real ones
            s.execute("WITH e AS (INSERT INTO attune.execution (action_ref, status) SELECT 'examples.x', 'completed' "
                    + "FROM generate_series(1, 50000) RETURNING id) INSERT INTO attune.inquiry (execution, prompt, "
                    + "assigned_to, status) SELECT id, repeat('Approve the deployment of billing-api? ', 6), CASE WHEN id % 7 < 4 THEN NULL ELSE "
                    + "(SELECT min(id) FROM attune.identity) + id % 5 END, 'timeout' FROM e");
            // then a burst for another person, newest of all (an escalation wave, a team's deployment day)
            s.execute("WITH e AS (INSERT INTO attune.execution (action_ref, status) SELECT 'examples.x', 'completed' "
                    + "FROM generate_series(1, 20000) RETURNING id) INSERT INTO attune.inquiry (execution, prompt, "
                    + "assigned_to, status) SELECT id, 'Approve?', " + (person + 1) + ", 'timeout' FROM e");
            s.execute("ANALYZE attune.inquiry");
        }
    }

    @Test
    void theirInquiriesThroughAGroupAreReadFromTheGroupIndexWhenThereAreNone() {
        // the statement InquirySpecifications.assignedThroughGroupOrList makes, newest first, a page's worth
        String plan = explain("SELECT id FROM attune.inquiry WHERE assigned_to IS NULL AND cardinality(assignee_keys) > 0 "
                + "AND assignee_keys && attune.principals(" + person + ") ORDER BY id DESC LIMIT 50");
        assertThat(plan).contains("idx_inquiry_group_assignee_keys").doesNotContain("inquiry_pkey");
    }

    @Test
    void theirOwnInquiriesAreReadPerStatusFromTheAssigneeIndexNotPastEveryoneElses() {
        // the statement of one of the parts InquirySpecifications.assignedParts makes (all of the person's are timed
        // out here). Asked as assigned_to = person ... ORDER BY id DESC, Postgres walks inquiry_pkey backwards past the
        // other person's 20,000 newest, with or without the status
        String plan = explain("SELECT id FROM attune.inquiry WHERE assigned_to BETWEEN " + person + " AND " + person
                + " AND status = 'timeout' ORDER BY assigned_to DESC, id DESC LIMIT 50");
        assertThat(plan).contains("idx_inquiry_assignee_status_id").doesNotContain("inquiry_pkey")
                .doesNotContain("Sort");
    }

    private static String explain(String sql) {
        try (Connection c = database.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
            StringBuilder plan = new StringBuilder();
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
            return plan.toString();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
