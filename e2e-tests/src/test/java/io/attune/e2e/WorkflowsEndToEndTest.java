package io.attune.e2e;

import io.attune.model.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 16 over the built jars: the bundled example workflows run by api, two executors and a worker (which runs the
 * real example actions), driven through the REST API as a requester and approvers would; then 200 workflows in
 * flight while one executor is killed with SIGKILL.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkflowsEndToEndTest {
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final HttpClient METRICS = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Three echo actions around one inquiry: first -> ask -> second (with the answer) -> third. */
    private static final String CHAIN = """
            input: [n]
            tasks:
              first: {action: e2e.echo, input: {n: "${input.n}", step: first}, next: [{do: ask}]}
              ask:
                inquiry: {prompt: "Go on with #${input.n}?", response_schema: {type: object, properties: {go: {type: boolean}}, required: [go]}}
                next: [{when: "result.response.go", do: second}]
              second: {action: e2e.echo, input: {n: "${input.n}", step: second, answer: "${result.response}"}, next: [{do: third}]}
              third: {action: e2e.echo, input: {n: "${input.n}", step: third}}
            """;

    private static RunningSuite suite;
    private static String adminToken;
    private static String requesterToken;
    private static long approverId;
    private static String approverToken;
    private static long networkLead;
    private static String networkToken;
    private static long securityLead;
    private static String securityToken;
    private static Connection database;

    @BeforeAll
    static void start() throws IOException {
        Path packs = TestPacks.create();
        Files.createDirectories(packs.resolve("e2e/workflows"));
        Files.writeString(packs.resolve("e2e/workflows/chain.yaml"), CHAIN);
        Files.writeString(packs.resolve("e2e/workflows/broken.yaml"), """
                tasks:
                  a: {action: e2e.echo, next: [{do: nowhere}]}
                """);
        suite = RunningSuite.start(Map.of("ATTUNE_PACKS_DIR", packs.toString()), "api", "executor", "executor",
                "worker");
        adminToken = suite.adminToken();
        suite.createIdentity("requester", "requester-password");
        requesterToken = suite.login("requester", "requester-password");
        approverId = suite.createIdentity("approver", "approver-password");
        approverToken = suite.login("approver", "approver-password");
        networkLead = suite.createIdentity("network-lead", "network-password");
        networkToken = suite.login("network-lead", "network-password");
        securityLead = suite.createIdentity("security-lead", "security-password");
        securityToken = suite.login("security-lead", "security-password");
        database = suite.database();
    }

    @AfterAll
    static void stop() {
        if (suite != null) {
            suite.close(); // and its database connection
        }
    }

    @Test
    @Order(1)
    void anApprovalDeploysWithTheRightParameters() {
        long workflow = startWorkflow("examples.deploy_with_approval",
                Map.of("service", "billing-api", "version", "2.5.0"));
        JsonNode approve = awaitPendingInquiry(workflow);
        assertThat(approve.path("prompt").asString()).startsWith("Deploy billing-api 2.5.0 to production? Plan plan-");
        assertThat(execution(workflow).path("status").asString()).isEqualTo("paused");
        respond(approve.path("id").asLong(), approverToken, Map.of("approved", true, "comments", "go"));

        awaitStatus(workflow, "completed");
        List<JsonNode> children = children(workflow);
        assertThat(children).extracting(c -> c.path("action_ref").asString())
                .containsExactly("examples.plan_deploy", "core.ask", "examples.deploy");
        assertThat(children).allSatisfy(c -> assertThat(c.path("parent").asLong()).isEqualTo(workflow));
        JsonNode plan = children.get(0);
        JsonNode deploy = children.get(2);
        assertThat(deploy.path("status").asString()).isEqualTo("completed");
        assertThat(deploy.path("parameters").path("service").asString()).isEqualTo("billing-api");
        assertThat(deploy.path("parameters").path("version").asString()).isEqualTo("2.5.0");
        assertThat(deploy.path("parameters").path("plan_id").asString())
                .isEqualTo(plan.path("result").path("plan_id").asString());
        JsonNode record = deploy.path("result").path("deployment");
        assertThat(record.path("status").asString()).isEqualTo("deployed");
        assertThat(record.path("service").asString()).isEqualTo("billing-api");
        assertThat(record.path("approved_by").asLong()).isEqualTo(approverId);
        assertThat(chainInquiries(workflow)).hasSize(1);
    }

    @Test
    @Order(2)
    void aRejectionReportsTheCommentsAndNothingIsDeployed() {
        long workflow = startWorkflow("examples.deploy_with_approval",
                Map.of("service", "billing-api", "version", "2.6.0"));
        JsonNode approve = awaitPendingInquiry(workflow);
        respond(approve.path("id").asLong(), adminToken, Map.of("approved", false, "comments", "not on a Friday"));
        awaitStatus(workflow, "completed");
        List<JsonNode> children = children(workflow);
        assertThat(children).extracting(c -> c.path("action_ref").asString())
                .containsExactly("examples.plan_deploy", "core.ask", "examples.report_rejection");
        JsonNode report = children.get(2).path("result").path("report");
        assertThat(report.path("outcome").asString()).isEqualTo("rejected");
        assertThat(report.path("comments").asString()).isEqualTo("not on a Friday");
        assertThat(report.path("text").asString()).contains("Deployment of billing-api 2.6.0: rejected");
    }

    @Test
    @Order(3)
    void aFirewallChangeNeedsBothLeadsInTurn() {
        Map<String, Object> change = Map.of("rules", List.of(Map.of("action", "allow", "port", 22,
                "source", "0.0.0.0/0")), "network_lead", networkLead, "security_lead", securityLead);
        long approved = startWorkflow("examples.firewall_change", change);
        JsonNode network = awaitPendingInquiry(approved);
        assertThat(network.path("assigned_to").asLong()).isEqualTo(networkLead);
        assertThat(respond(network.path("id").asLong(), securityToken, Map.of("approved", true)).statusCode())
                .as("only the network lead answers the first step").isEqualTo(404);
        respond(network.path("id").asLong(), networkToken, Map.of("approved", true));
        JsonNode security = await().atMost(PATIENCE).until(() -> chainInquiries(approved),
                list -> list.size() == 2 && list.get(1).path("status").asString().equals("pending")).get(1);
        assertThat(security.path("assigned_to").asLong()).isEqualTo(securityLead);
        assertThat(execution(approved).path("status").asString()).isEqualTo("paused");
        respond(security.path("id").asLong(), securityToken, Map.of("approved", true));
        awaitStatus(approved, "completed");
        JsonNode applied = children(approved).get(3);
        assertThat(applied.path("action_ref").asString()).isEqualTo("examples.apply_firewall");
        assertThat(applied.path("result").path("change").path("status").asString()).isEqualTo("applied");
        assertThat(StreamSupport.stream(applied.path("result").path("change").path("approved_by").spliterator(),
                false).map(JsonNode::asLong).toList()).containsExactly(networkLead, securityLead);

        long refused = startWorkflow("examples.firewall_change", change);
        JsonNode first = awaitPendingInquiry(refused);
        respond(first.path("id").asLong(), networkToken, Map.of("approved", false, "review_notes", "too wide"));
        awaitStatus(refused, "completed");
        List<JsonNode> children = children(refused);
        assertThat(children).extracting(c -> c.path("action_ref").asString())
                .containsExactly("examples.firewall_plan", "core.ask", "examples.report_rejection");
        assertThat(children.get(2).path("result").path("report").path("comments").asString()).isEqualTo("too wide");
        assertThat(chainInquiries(refused)).hasSize(1);
    }

    @Test
    @Order(4)
    void aMissingInputOrAnInvalidDefinitionIsRefusedWith422() {
        HttpResponse<String> missing = suite.send("POST", "/api/v1/executions", requesterToken,
                Json.write(Map.of("action_ref", "examples.deploy_with_approval", "parameters",
                        Map.of("service", "billing-api"))));
        assertThat(missing.statusCode()).isEqualTo(422);
        assertThat(Json.tree(missing.body()).path("details").get(0).path("path").asString())
                .isEqualTo("/parameters/version");
        HttpResponse<String> broken = suite.send("POST", "/api/v1/executions", requesterToken,
                Json.write(Map.of("action_ref", "e2e.broken", "parameters", Map.of())));
        assertThat(broken.statusCode()).isEqualTo(422);
        JsonNode detail = Json.tree(broken.body()).path("details").get(0);
        assertThat(detail.path("path").asString()).isEqualTo("e2e/workflows/broken.yaml:2");
        assertThat(detail.path("message").asString()).contains("unknown task 'nowhere'");
    }

    @Test
    @Order(5)
    void theRequesterCancelsAWorkflowAndItsInquiryWithIt() {
        long workflow = startWorkflow("examples.deploy_with_approval",
                Map.of("service", "billing-api", "version", "2.7.0"));
        JsonNode approve = awaitPendingInquiry(workflow);
        assertThat(suite.send("POST", "/api/v1/executions/" + workflow + "/cancel", networkToken, null)
                .statusCode()).isEqualTo(404);
        JsonNode cancelled = suite.call("POST", "/api/v1/executions/" + workflow + "/cancel", requesterToken, null)
                .path("data");
        assertThat(cancelled.path("status").asString()).isEqualTo("cancelled");
        assertThat(chainInquiries(workflow).get(0).path("status").asString()).isEqualTo("cancelled");
        assertThat(respond(approve.path("id").asLong(), adminToken, Map.of("approved", true)).statusCode())
                .isEqualTo(409);
        assertThat(suite.send("POST", "/api/v1/executions/" + workflow + "/cancel", requesterToken, null)
                .statusCode()).isEqualTo(409);
        assertThat(children(workflow)).extracting(c -> c.path("action_ref").asString()).doesNotContain(
                "examples.deploy");
    }

    /**
     * 200 workflows wait on their inquiry; they are answered by 20 clients while executor-1, once it has taken some
     * steps, is killed. Every workflow must complete with each of its four tasks run exactly once.
     */
    @Test
    @Order(6)
    void twoHundredWorkflowsSurviveAnExecutorKilledMidway() throws Exception {
        int count = 200;
        ExecutorService clients = Executors.newFixedThreadPool(20);
        try {
            List<Future<Long>> started = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                started.add(clients.submit(() -> startWorkflow("e2e.chain", Map.of("n", n))));
            }
            List<Long> workflows = new ArrayList<>();
            for (Future<Long> future : started) {
                workflows.add(future.get(60, TimeUnit.SECONDS));
            }
            await("200 workflows paused on their inquiry").atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofMillis(500)).until(() -> countWithStatus(workflows, "paused"),
                            n -> n == count);
            List<Long> inquiries = pendingInquiriesOf(workflows);
            assertThat(inquiries).hasSize(count);

            RunningSuite.Service executor1 = suite.service("executor-1");
            double stepsBefore = metric(executor1, "attune_workflow_steps_total");
            List<Future<Integer>> answers = new ArrayList<>();
            for (long inquiry : inquiries) {
                answers.add(clients.submit(() -> respond(inquiry, adminToken, Map.of("go", true)).statusCode()));
            }
            await("executor-1 takes steps").atMost(PATIENCE).pollInterval(Duration.ofMillis(20))
                    .until(() -> metric(executor1, "attune_workflow_steps_total") - stepsBefore, n -> n >= 15);
            double stepsAtKill = metric(executor1, "attune_workflow_steps_total") - stepsBefore;
            executor1.kill();
            System.out.printf("SIGKILL executor-1 after it took %.0f of the answers' workflow steps%n", stepsAtKill);
            for (Future<Integer> answer : answers) {
                assertThat(answer.get(120, TimeUnit.SECONDS)).isEqualTo(200);
            }
            await("every workflow completed").atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> countWithStatus(workflows, "completed"), n -> n == count);

            // none run twice: each workflow has exactly its four task runs, each finished once
            try (PreparedStatement query = database.prepareStatement("""
                    SELECT e.parent, count(*) AS runs, count(DISTINCT t.task) AS tasks,
                           count(*) FILTER (WHERE e.status = 'completed') AS completed
                    FROM attune.execution e JOIN attune.workflow_task_run t ON t.execution = e.id
                    WHERE e.parent = ANY(?) GROUP BY e.parent""")) {
                query.setArray(1, database.createArrayOf("bigint", workflows.toArray()));
                int rows = 0;
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                        assertThat(rs.getInt("runs")).as("task runs of workflow %d", rs.getLong(1)).isEqualTo(4);
                        assertThat(rs.getInt("tasks")).isEqualTo(4);
                        assertThat(rs.getInt("completed")).isEqualTo(4);
                    }
                }
                assertThat(rows).isEqualTo(count);
            }
            // ...each action ran once (one running -> completed in the trail per task run)...
            try (PreparedStatement query = database.prepareStatement("""
                    SELECT e.id, count(ev.*) FROM attune.execution e
                    LEFT JOIN attune.event ev ON ev.execution_id = e.id AND ev.message_type = 'ExecutionStatusChanged'
                         AND ev.envelope->'payload'->>'status' = 'completed'
                    WHERE e.parent = ANY(?) GROUP BY e.id HAVING count(ev.*) <> 1""")) {
                query.setArray(1, database.createArrayOf("bigint", workflows.toArray()));
                try (ResultSet rs = query.executeQuery()) {
                    assertThat(rs.next()).as("a task run completed other than once").isFalse();
                }
            }
            // ...and no step lost: the answer reached the second task of every workflow
            JsonNode second = children(workflows.get(count - 1)).get(2);
            assertThat(second.path("parameters").path("answer").path("go").asBoolean()).isTrue();
        } finally {
            clients.shutdownNow();
        }
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    private static long startWorkflow(String ref, Map<String, Object> input) {
        JsonNode created = suite.call("POST", "/api/v1/executions", requesterToken,
                Json.write(Map.of("action_ref", ref, "parameters", input))).path("data");
        assertThat(created.path("status").asString()).isEqualTo("requested");
        return created.path("id").asLong();
    }

    private static JsonNode execution(long id) {
        return suite.call("GET", "/api/v1/executions/" + id, adminToken, null).path("data");
    }

    private static List<JsonNode> children(long id) {
        return list(suite.call("GET", "/api/v1/executions/" + id + "/children", requesterToken, null).path("data"));
    }

    private static List<JsonNode> chainInquiries(long id) {
        return list(suite.call("GET", "/api/v1/executions/" + id + "/inquiries", adminToken, null).path("data"));
    }

    private static List<JsonNode> list(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    private static JsonNode awaitPendingInquiry(long workflow) {
        return await("a pending inquiry in workflow " + workflow).atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> chainInquiries(workflow).stream()
                        .filter(i -> i.path("status").asString().equals("pending")).findFirst(),
                        java.util.Optional::isPresent).orElseThrow();
    }

    private static void awaitStatus(long id, String status) {
        await("execution " + id + " " + status).atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> execution(id).path("status").asString(), status::equals);
    }

    private static HttpResponse<String> respond(long inquiryId, String token, Map<String, Object> response) {
        return suite.send("POST", "/api/v1/inquiries/" + inquiryId + "/respond", token,
                Json.write(Map.of("response", response)));
    }

    private static long countWithStatus(List<Long> ids, String status) throws SQLException {
        try (PreparedStatement query = database.prepareStatement(
                "SELECT count(*) FROM attune.execution WHERE id = ANY(?) AND status::text = ?")) {
            query.setArray(1, database.createArrayOf("bigint", ids.toArray()));
            query.setString(2, status);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<Long> pendingInquiriesOf(List<Long> workflows) throws SQLException {
        try (PreparedStatement query = database.prepareStatement("SELECT i.id FROM attune.inquiry i "
                + "JOIN attune.execution e ON e.id = i.execution WHERE e.parent = ANY(?) AND i.status = 'pending'")) {
            query.setArray(1, database.createArrayOf("bigint", workflows.toArray()));
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        }
    }

    private static double metric(RunningSuite.Service service, String name) {
        try {
            HttpResponse<String> metrics = METRICS.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + service.port() + "/actuator/prometheus"))
                    .header("Authorization", "Bearer " + adminToken) // metrics are for admins
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return metrics.body().lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
