package io.attune.api.insights;

import io.attune.api.ApiClient.Response;
import io.attune.api.ApiIntegrationTest;
import io.attune.core.identity.Role;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /api/v1/insights?group_by=group against figures worked out by hand (created 2026-02-01). Groups: g-ops has ada
 * and bob, g-sec has ada; carl is in no group.
 * <pre>
 *   inquiry  assignee    outcome                         decision
 *   a1       ada         responded                        60 s
 *   a2       ada         responded, was escalated        120 s
 *   a3       ada         timeout
 *   b1       bob         responded                        30 s
 *   b2       bob         cancelled
 *   c1       carl        responded                       300 s
 *   u1       nobody      timeout, went on with defaults (defaulted)
 * </pre>
 * ada's inquiries count in both of her groups (g-ops 5 = 3 + 2, g-sec 3), so the groups' rows add up to more than
 * the 7 inquiries; carl's and the unassigned one share the row without a group. percentile_cont interpolates: g-ops
 * p90 over 30, 60, 120 is 60 + 0.8 × 60 = 108; g-sec p90 over 60, 120 is 60 + 0.9 × 60 = 114.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InsightsGroupsApiTest extends ApiIntegrationTest {
    String admin;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        start(registry);
    }

    @BeforeAll
    void seed() {
        admin = token(admin());
        long ada = identities.create("g-ada", "Ada", "x", EnumSet.of(Role.USER)).id();
        long bob = identities.create("g-bob", "Bob", "x", EnumSet.of(Role.USER)).id();
        long carl = identities.create("g-carl", "Carl", "x", EnumSet.of(Role.USER)).id();
        group("g-ops", ada, bob);
        group("g-sec", ada);
        inquiry(ada, "2026-02-01T10:00:00Z", "responded", 60, false);
        long escalated = inquiry(ada, "2026-02-01T11:00:00Z", "responded", 120, false);
        inquiry(ada, "2026-02-01T12:00:00Z", "timeout", null, false);
        inquiry(bob, "2026-02-01T13:00:00Z", "responded", 30, false);
        inquiry(bob, "2026-02-01T14:00:00Z", "cancelled", null, false);
        inquiry(carl, "2026-02-01T15:00:00Z", "responded", 300, false);
        inquiry(null, "2026-02-01T16:00:00Z", "timeout", null, true);
        jdbc.sql("INSERT INTO attune.inquiry_audit (inquiry, action, actor) VALUES (?, 'escalated', 'system')")
                .param(escalated).update();
    }

    long group(String name, long... members) {
        long id = jdbc.sql("INSERT INTO attune.identity_group (name) VALUES (?) RETURNING id").param(name)
                .query(Long.class).single();
        for (long member : members) {
            jdbc.sql("INSERT INTO attune.group_member (group_id, identity_id) VALUES (?, ?)").params(id, member)
                    .update();
        }
        return id;
    }

    long inquiry(Long assignee, String created, String status, Integer decisionSeconds, boolean defaulted) {
        long execution = jdbc.sql("INSERT INTO attune.execution (action_ref, status) VALUES ('a.deploy', 'completed') "
                + "RETURNING id").query(Long.class).single();
        return jdbc.sql("INSERT INTO attune.inquiry (execution, prompt, assigned_to, status, response, responded_at, "
                        + "created, defaulted) VALUES (:execution, 'Approve?', :assignee, :status::attune.inquiry_status_enum, "
                        + "CASE WHEN :answered THEN '{\"approved\": true}'::jsonb END, "
                        + ":created::timestamptz + make_interval(secs => :seconds), :created::timestamptz, :defaulted) "
                        + "RETURNING id")
                .param("execution", execution).param("assignee", assignee).param("status", status)
                .param("answered", status.equals("responded")).param("created", created)
                .param("seconds", decisionSeconds).param("defaulted", defaulted)
                .query(Long.class).single();
    }

    @Test
    void aMemberOfTwoGroupsCountsInEachAndTheUnassignedHaveNoGroup() {
        Response response = api().get("/api/v1/insights?from=2026-02-01T00:00:00Z&to=2026-02-02T00:00:00Z"
                + "&group_by=group", admin);
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        //                                                          key inq ans to can def esc p50  p90
        assertThat(response.data()).extracting(InsightsApiTest::row).containsExactly(
                "- 2 1 0 0 1 0 300.0 300.0",
                "g-ops 5 3 1 1 0 1 60.0 108.0",
                "g-sec 3 2 1 0 0 1 90.0 114.0");
    }
}
