package io.attune.api.insights;

import io.attune.api.ApiClient.Response;
import io.attune.api.ApiIntegrationTest;
import io.attune.core.identity.Identity;
import io.attune.core.identity.Role;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /api/v1/insights against figures worked out by hand on a small seeded set (created 2026-01-01/02):
 * <pre>
 *   inquiry  assignee    action     outcome                         decision
 *   i1       ada         a.deploy   responded                        60 s
 *   i2       ada         a.deploy   responded                       120 s
 *   i3       ada         a.import   responded                       300 s
 *   i4       ada         a.deploy   timeout
 *   i5       ada         a.import   cancelled
 *   i6       ada         a.deploy   timeout, went on with defaults (defaulted)
 *   b1       bob         a.deploy   responded, was escalated         30 s
 *   b2       bob         a.import   pending (created 01-02)
 *   u1       nobody      a.import   responded (created 01-02)       600 s
 *   old      ada         a.deploy   responded, created 2025-12-31 (outside the period)
 * </pre>
 * percentile_cont interpolates: ada's p90 over 60, 120, 300 is 120 + 0.8 × 180 = 264.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InsightsApiTest extends ApiIntegrationTest {
    static final String PERIOD = "from=2026-01-01T00:00:00Z&to=2026-01-03T00:00:00Z";

    String admin;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        start(registry);
    }

    @BeforeAll
    void seed() {
        admin = token(admin());
        long ada = identities.create("ada", "Ada", "x", EnumSet.of(Role.USER)).id();
        long bob = identities.create("bob", "Bob", "x", EnumSet.of(Role.USER)).id();
        inquiry(ada, "a.deploy", "2026-01-01T10:00:00Z", "responded", 60, false);
        inquiry(ada, "a.deploy", "2026-01-01T11:00:00Z", "responded", 120, false);
        inquiry(ada, "a.import", "2026-01-01T12:00:00Z", "responded", 300, false);
        inquiry(ada, "a.deploy", "2026-01-01T13:00:00Z", "timeout", null, false);
        inquiry(ada, "a.import", "2026-01-01T14:00:00Z", "cancelled", null, false);
        inquiry(ada, "a.deploy", "2026-01-01T15:00:00Z", "timeout", null, true);
        long b1 = inquiry(bob, "a.deploy", "2026-01-01T16:00:00Z", "responded", 30, false);
        inquiry(bob, "a.import", "2026-01-02T09:00:00Z", "pending", null, false);
        inquiry(null, "a.import", "2026-01-02T10:00:00Z", "responded", 600, false);
        inquiry(ada, "a.deploy", "2025-12-31T23:59:59Z", "responded", 5, false);
        // an escalation, as the escalation timers of a later release will record it (twice: counted once)
        for (int i = 0; i < 2; i++) {
            jdbc.sql("INSERT INTO attune.inquiry_audit (inquiry, action, actor) VALUES (?, 'escalated', 'system')")
                    .param(b1).update();
        }
    }

    long inquiry(Long assignee, String actionRef, String created, String status, Integer decisionSeconds,
                 boolean defaulted) {
        long execution = jdbc.sql("INSERT INTO attune.execution (action_ref, status) VALUES (?, 'completed') "
                + "RETURNING id").param(actionRef).query(Long.class).single();
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

    JsonNode figures(String groupBy) {
        Response response = api().get("/api/v1/insights?" + PERIOD + "&group_by=" + groupBy, admin);
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        return response.data();
    }

    static String row(JsonNode row) {
        return String.join(" ", List.of(row.get("key").isNull() ? "-" : row.get("key").asString(),
                row.get("inquiries").asString(), row.get("answered").asString(), row.get("timed_out").asString(),
                row.get("cancelled").asString(), row.get("defaulted").asString(), row.get("escalated").asString(),
                number(row.get("decision_p50_seconds")), number(row.get("decision_p90_seconds"))));
    }

    static String number(JsonNode value) {
        return value.isNull() ? "null" : value.asString();
    }

    @Test
    void perAssignee() {
        JsonNode rows = figures("assignee");
        assertThat(rows.get(0).propertyNames()).containsExactly("key", "inquiries", "answered", "timed_out",
                "cancelled", "defaulted", "escalated", "decision_p50_seconds", "decision_p90_seconds");
        //                                    key inq ans to can def esc p50  p90
        assertThat(rows).extracting(InsightsApiTest::row).containsExactly(
                "- 1 1 0 0 0 0 600.0 600.0",
                "ada 6 3 1 1 1 0 120.0 264.0",
                "bob 2 1 0 0 0 1 30.0 30.0");
    }

    @Test
    void perActionRef() {
        assertThat(figures("action_ref")).extracting(InsightsApiTest::row).containsExactly(
                "a.deploy 5 3 1 0 1 1 60.0 108.0",
                "a.import 4 2 0 1 0 0 450.0 570.0");
    }

    @Test
    void perDay() {
        assertThat(figures("day")).extracting(InsightsApiTest::row).containsExactly(
                "2026-01-01 7 4 1 1 1 1 90.0 246.0",
                "2026-01-02 2 1 0 0 0 0 600.0 600.0");
    }

    @Test
    void aKeyWithoutAnswersHasNoDecisionTime() {
        Response response = api().get("/api/v1/insights?from=2026-01-02T09:00:00Z&to=2026-01-02T09:30:00Z"
                + "&group_by=assignee", admin);
        assertThat(response.data()).extracting(InsightsApiTest::row).containsExactly("bob 1 0 0 0 0 0 null null");
    }

    @Test
    void theSameRowsAsCsv() {
        Response csv = api().send(api().request("/api/v1/insights?" + PERIOD + "&group_by=action_ref", admin)
                .header("Accept", "text/csv").GET().build());
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        assertThat(csv.body()).isEqualTo("""
                key,inquiries,answered,timed_out,cancelled,defaulted,escalated,decision_p50_seconds,decision_p90_seconds\r
                a.deploy,5,3,1,0,1,1,60,108\r
                a.import,4,2,0,1,0,0,450,570\r
                """);
    }

    @Test
    void refusesBadParametersAndNonAdmins() {
        assertError(api().get("/api/v1/insights?group_by=colour", admin), 400, "BAD_REQUEST");
        assertError(api().get("/api/v1/insights?from=yesterday", admin), 400, "BAD_REQUEST");
        assertError(api().get("/api/v1/insights?from=2026-01-03T00:00:00Z&to=2026-01-01T00:00:00Z", admin), 400,
                "BAD_REQUEST");
        Identity user = identity();
        assertError(api().get("/api/v1/insights", token(user)), 403, "FORBIDDEN");
    }
}
