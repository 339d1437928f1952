package io.attune.e2e;

import io.attune.model.json.Json;
import io.attune.model.ws.SubscriptionFilters;
import io.attune.testsupport.AttuneTestEnvironment;
import io.attune.testsupport.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The least-privilege database roles of docker-compose.yml, for real: {@code deploy/postgres/roles.sql} run by psql
 * as the superuser in a fresh database, the migrations and {@code deploy/postgres/grants/afterMigrate.sql} run by the
 * owner role, then every service jar started with its own role (and {@code ATTUNE_DB_MIGRATE=false}) and driven
 * around the loop; then each role tries what it must not do. Roles are global to the server, so the test's carry a
 * suffix of their own and are dropped at the end.
 */
class DatabaseRolesTest {
    private static final Path DEPLOY = RunningSuite.ROOT.resolve("deploy/postgres");
    private static final Pattern ROLE = Pattern.compile("\\battune_(owner|api|executor|notifier|worker)\\b");
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String SUFFIX = "_t" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    private static final List<String> ROLES = List.of("owner", "api", "executor", "notifier", "worker");

    private static AttuneTestEnvironment environment;
    private static RunningSuite suite;

    static String role(String service) {
        return "attune_" + service + SUFFIX;
    }

    @BeforeAll
    static void createRolesMigrateAsOwnerAndStartEveryServiceWithItsRole() throws Exception {
        environment = AttuneTestEnvironment.create();
        TestDatabase database = environment.database();
        Path work = Files.createDirectories(Path.of("target", "database-roles").toAbsolutePath()).resolve(SUFFIX);
        Path grants = Files.createDirectories(work.resolve("grants"));
        Path roles = work.resolve("roles.sql");
        Files.writeString(roles, withTestRoles(Files.readString(DEPLOY.resolve("roles.sql"))));
        Files.writeString(grants.resolve("afterMigrate.sql"),
                withTestRoles(Files.readString(DEPLOY.resolve("grants/afterMigrate.sql"))));

        List<String> psql = List.of("psql", "--no-psqlrc", "-h", database.server().host(),
                "-p", Integer.toString(database.server().port()), "-U", database.user(), "-d", database.name(),
                "-v", "owner_password=o", "-v", "api_password=a", "-v", "executor_password=e",
                "-v", "notifier_password=n", "-v", "worker_password=w", "-f", roles.toString());
        Process process = new ProcessBuilder(psql).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("psql -f roles.sql:\n%s", output).isZero();

        Flyway.configure().dataSource(database.jdbcUrl(), role("owner"), "o").schemas("attune")
                .defaultSchema("attune").locations("classpath:db/migration", "filesystem:" + grants)
                .load().migrate();

        Map<String, Map<String, String>> byKind = new LinkedHashMap<>();
        for (String service : List.of("api", "executor", "notifier", "worker")) {
            byKind.put(service, Map.of("ATTUNE_DB_USER", role(service), "ATTUNE_DB_PASSWORD", service.substring(0, 1)));
        }
        suite = RunningSuite.start(environment, Map.of("ATTUNE_DB_MIGRATE", "false",
                        "ATTUNE_PACKS_DIR", TestPacks.create().toString()), byKind,
                "api", "executor", "notifier", "worker");
    }

    @AfterAll
    static void stopAndDropTheRoles() throws SQLException {
        if (suite != null) {
            suite.close();
        }
        String roles = String.join(", ", ROLES.stream().map(DatabaseRolesTest::role).toList());
        try (Connection c = environment.database().connect(); Statement s = c.createStatement()) {
            s.execute("DROP OWNED BY " + roles + " CASCADE");
            for (String role : ROLES) {
                s.execute("DROP ROLE IF EXISTS " + role(role));
            }
        }
    }

    @Test
    void everyServiceDoesItsPartOfTheLoopWithItsOwnRole() throws SQLException {
        String adminToken = suite.adminToken(); // the api created the bootstrap admin
        long approverId = suite.createIdentity("ada", "ada-password");
        String approverToken = suite.login("ada", "ada-password");
        try (NotificationClient approver = NotificationClient.subscribe("ada", "ws://127.0.0.1:"
                + suite.service("notifier-1").port() + "/ws", approverToken,
                new SubscriptionFilters("inquiry", null, null, null, null))) {
            Map<String, Object> ask = Map.of("prompt", "Ship it?", "assigned_to", approverId, "timeout_seconds", 600,
                    "response_schema", Map.of("type", "object", "properties", Map.of("ok", Map.of("type", "boolean")),
                            "required", List.of("ok")));
            long executionId = suite.call("POST", "/api/v1/executions", adminToken, Json.write(Map.of(
                    "action_ref", TestPacks.ECHO, "parameters", Map.of("__inquiry", ask))))
                    .path("data").path("id").asLong();
            // worker: claimed, ran, reported; executor: opened the inquiry
            JsonNode paused = await("the execution pauses").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                    .until(() -> execution(adminToken, executionId), e -> e.path("status").asString().equals("paused"));
            long inquiryId = suite.call("GET", "/api/v1/inquiries?execution=" + executionId, adminToken, null)
                    .path("data").get(0).path("id").asLong();
            // notifier: read the inquiry to decide who may see it
            approver.awaitNotification(inquiryId, "created", PATIENCE);

            suite.call("POST", "/api/v1/inquiries/" + inquiryId + "/respond", approverToken,
                    Json.write(Map.of("response", Map.of("ok", true))));
            JsonNode completed = await("the execution resumes").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                    .until(() -> execution(adminToken, executionId),
                            e -> e.path("status").asString().equals("completed"));
            assertThat(completed.path("result").path("__inquiry").path("response").path("ok").asBoolean()).isTrue();
            assertThat(paused.path("result").path("__inquiry").path("prompt").asString()).isEqualTo("Ship it?");
        }
        for (RunningSuite.Service service : suite.services()) {
            assertThat(service.logTail(3000)).as("%s log", service.name()).doesNotContain("permission denied");
        }
        assertThat(connectedRoles()).as("who is connected to the database")
                .contains(role("api"), role("executor"), role("notifier"), role("worker"))
                .doesNotContain(environment.database().user());
    }

    @Test
    void anApprovalRequestFromOutsideWithAnApiTokenWorksUnderTheServicesRoles() {
        String adminToken = suite.adminToken();
        long pipeline = suite.createIdentity("pipeline", "pipeline-password");
        long approverId = suite.createIdentity("bob", "bob-password");
        String approverToken = suite.login("bob", "bob-password");
        // api: the token (hashed, audited), then the request with its Idempotency-Key and callback
        String apiToken = suite.call("POST", "/api/v1/tokens", adminToken,
                Json.write(Map.of("name", "roles test", "identity_id", pipeline))).path("data").path("token").asString();
        HttpResponse<String> asked = suite.sendWithTimeout("POST", "/api/v1/inquiries", apiToken, Json.write(Map.of(
                "prompt", "From outside?", "assigned_to", approverId, "timeout_seconds", 600,
                "context", Map.of("build", 7),
                "callback", Map.of("url", "https://ci.example.com/hook",
                        "secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))), Duration.ofSeconds(30));
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(201);
        JsonNode inquiry = Json.tree(asked.body()).path("data");
        // notifier: reads the token at the upgrade
        try (NotificationClient watcher = NotificationClient.subscribe("pipeline", "ws://127.0.0.1:"
                + suite.service("notifier-1").port() + "/ws", apiToken,
                new SubscriptionFilters("inquiry", null, null, null, null))) {
            suite.call("POST", "/api/v1/inquiries/" + inquiry.path("id").asLong() + "/respond", approverToken,
                    Json.write(Map.of("response", Map.of("approved", true))));
            JsonNode decided = suite.call("GET", "/api/v1/inquiries/" + inquiry.path("id").asLong() + "?wait=30",
                    apiToken, null).path("data");
            assertThat(decided.path("status").asString()).isEqualTo("responded");
            // executor: the usual resume completes the external.request execution
            await("the request's execution completes").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                    .until(() -> execution(adminToken, inquiry.path("execution").asLong()),
                            e -> e.path("status").asString().equals("completed"));
            assertThat(watcher.closedWith()).isNull();
        }
        for (RunningSuite.Service service : suite.services()) {
            assertThat(service.logTail(3000)).as("%s log", service.name()).doesNotContain("permission denied");
        }
    }

    private static Set<String> connectedRoles() throws SQLException {
        Set<String> roles = new HashSet<>();
        try (Connection c = DriverManager.getConnection(environment.database().jdbcUrl(), role("owner"), "o");
             ResultSet rs = c.createStatement().executeQuery("SELECT DISTINCT usename FROM pg_stat_activity "
                     + "WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
            while (rs.next()) {
                roles.add(rs.getString(1));
            }
        }
        return roles;
    }

    @Test
    void theWorkerCanNeitherReadIdentitiesNorInquiriesNorChangeTheSchema() throws SQLException {
        allowed("worker", "SELECT id, status FROM attune.execution LIMIT 1");
        allowed("worker", "SELECT count(*) FROM attune.execution_lease");
        denied("worker", "SELECT password_hash FROM attune.identity");
        denied("worker", "SELECT login FROM attune.identity");
        denied("worker", "UPDATE attune.identity SET roles = '{admin}'");
        denied("worker", "INSERT INTO attune.identity (login, password_hash, roles) VALUES ('evil', 'x', '{admin}')");
        denied("worker", "SELECT response FROM attune.inquiry");
        denied("worker", "SELECT * FROM attune.inquiry_audit");
        denied("worker", "DELETE FROM attune.execution");
        denied("worker", "TRUNCATE attune.event");
        denied("worker", "DELETE FROM attune.event");
        deniedToEveryService("CREATE TABLE attune.mine (id int)");
        deniedToEveryService("SELECT * FROM attune.flyway_schema_history");
        deniedToEveryService("DROP TABLE attune.event");
        deniedToEveryService("CREATE TABLE public.mine (id int)");
    }

    @Test
    void theNotifierOnlyReadsAndNoServiceButTheApiReadsPasswordHashes() throws SQLException {
        allowed("notifier", "SELECT id, login, roles FROM attune.identity LIMIT 1");
        allowed("notifier", "SELECT id, envelope FROM attune.event LIMIT 1");
        denied("notifier", "SELECT password_hash FROM attune.identity");
        denied("notifier", "UPDATE attune.inquiry SET status = 'cancelled'");
        denied("notifier", "DELETE FROM attune.event");
        denied("notifier", "INSERT INTO attune.event (message_id, message_type, routing_key, execution_id, envelope) "
                + "VALUES (gen_random_uuid(), 'InquiryCreated', 'x', 1, '{}')");
        // the notifier mints the channels' signed links: it inserts them, and never marks one used (the api does)
        allowed("notifier", "INSERT INTO attune.signed_link (token_hash, inquiry, identity_id) "
                + "SELECT sha256('x'::bytea), id, 1 FROM attune.inquiry WHERE false");
        allowed("notifier", "SELECT nextval('attune.signed_link_id_seq')");
        denied("notifier", "UPDATE attune.signed_link SET used_at = now()");
        denied("notifier", "DELETE FROM attune.signed_link");
        // the channel engine writes its deliveries and nothing else: not the channels, not their deletion
        allowed("notifier", "SELECT id, status FROM attune.delivery LIMIT 1");
        allowed("notifier", "UPDATE attune.channel_dispatch SET last_event_id = last_event_id");
        denied("notifier", "UPDATE attune.channel SET name = 'taken over'");
        denied("notifier", "DELETE FROM attune.delivery");
        // ... and withdraws its own senders' report when it stops
        allowed("notifier", "DELETE FROM attune.channel_sender_status WHERE replica = 'gone'");
        denied("executor", "SELECT password_hash FROM attune.identity");
        denied("executor", "UPDATE attune.identity SET roles = '{admin}'");
        allowed("executor", "SELECT id FROM attune.identity LIMIT 1");
        allowed("api", "SELECT password_hash FROM attune.identity LIMIT 1");
        denied("api", "TRUNCATE attune.inquiry");
    }

    private static JsonNode execution(String token, long id) {
        return suite.call("GET", "/api/v1/executions/" + id, token, null).path("data");
    }

    private static void deniedToEveryService(String sql) throws SQLException {
        for (String service : List.of("api", "executor", "notifier", "worker")) {
            denied(service, sql);
        }
    }

    private static void allowed(String service, String sql) throws SQLException {
        try (Connection c = connectAs(service); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Refused for lack of privilege (42501) or ownership; rolled back in any case. */
    private static void denied(String service, String sql) throws SQLException {
        try (Connection c = connectAs(service)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.execute(sql)).as("%s: %s", service, sql)
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
            } finally {
                c.rollback();
            }
        }
    }

    private static Connection connectAs(String service) throws SQLException {
        return DriverManager.getConnection(environment.database().jdbcUrl(), role(service), "x");
    }

    private static String withTestRoles(String sql) {
        Matcher m = ROLE.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, m.group() + SUFFIX);
        }
        m.appendTail(out);
        return out.toString();
    }
}
