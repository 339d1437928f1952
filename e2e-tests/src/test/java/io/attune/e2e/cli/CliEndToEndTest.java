package io.attune.e2e.cli;

import io.attune.e2e.RunningSuite;
import io.attune.e2e.StandardSuite;
import io.attune.e2e.TestPacks;
import io.attune.e2e.cli.AttuneCli.Result;
import io.attune.model.json.Json;
import io.attune.testsupport.TcpProxy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 20: {@code bin/attune} (the built {@code cli/target/attune.jar}) against the built services — notifier, api,
 * executor and a worker running {@code e2e.echo}, whose result is its parameters, so each test opens exactly the
 * inquiry it needs the real way. Every command is run as a process: JSON output parsed, exit codes checked,
 * interactive questions answered through a pseudo-terminal ({@code script} from util-linux).
 */
@StandardSuite.Uses
class CliEndToEndTest {
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final Map<String, Object> APPROVAL = Map.of("type", "object",
            "properties", Map.of("approved", Map.of("type", "boolean"),
                    "comments", Map.of("type", "string", "minLength", 3)),
            "required", List.of("approved"));
    private static final Map<String, Object> PLAN = Map.of("service", "billing", "version", "3.1.0",
            "steps", List.of("drain", "deploy", "verify"));

    private static RunningSuite suite;
    private static String adminToken;
    private static String adaLogin;
    private static String bobLogin;
    private static long adaId;
    private static long bobId;
    private static AttuneCli admin;
    private static AttuneCli ada;
    private static AttuneCli bob;

    @BeforeAll
    static void start(StandardSuite shared) {
        suite = shared.running();
        adminToken = suite.adminToken();
        adaLogin = shared.unique("ada");
        bobLogin = shared.unique("bob");
        adaId = suite.createIdentity(adaLogin, "ada-password");
        bobId = suite.createIdentity(bobLogin, "bob-password");
        admin = loggedIn("admin", RunningSuite.ADMIN_PASSWORD);
        ada = loggedIn(adaLogin, "ada-password");
        bob = loggedIn(bobLogin, "bob-password");
    }

    private static AttuneCli loggedIn(String login, String password) {
        AttuneCli cli = AttuneCli.withHome(login);
        Result result = cli.runWithInput(password + "\n", "login", "--url", suite.apiUrl(), "--user", login,
                "--password-stdin", "-o", "json");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return cli;
    }

    // --- login, whoami, logout ------------------------------------------------------------------------------------

    @Test
    void loginKeepsTheTokenForTheUserAloneAndWhoamiSaysWhoItIs() throws IOException {
        AttuneCli cli = AttuneCli.withHome("login");
        Result login = cli.runWithInput("ada-password\n", "login", "--url", suite.apiUrl(), "--user", adaLogin,
                "--password-stdin", "-o", "json");
        assertThat(login.exitCode()).as(login.toString()).isZero();
        assertThat(login.json().path("user").path("login").asString()).isEqualTo(adaLogin);
        assertThat(login.json().path("user").path("id").asLong()).isEqualTo(adaId);
        assertThat(login.out()).doesNotContain("access_token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cli.credentialsFile())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cli.credentialsFile().getParent())))
                .isEqualTo("rwx------");

        Result whoami = cli.run("whoami", "-o", "json");
        assertThat(whoami.exitCode()).as(whoami.toString()).isZero();
        assertThat(whoami.json().path("user").path("id").asLong()).isEqualTo(adaId);
        assertThat(whoami.json().path("user").path("login").asString()).isEqualTo(adaLogin);
        assertThat(whoami.json().path("url").asString()).isEqualTo(suite.apiUrl());
        Result text = cli.run("whoami");
        assertThat(text.out()).contains(adaLogin, "id " + adaId, "roles user");
    }

    @Test
    void theLoginPasswordIsAskedWithoutEchoAtATerminal() {
        assumeTrue(Pty.available(), "util-linux script is needed for a pseudo-terminal");
        AttuneCli cli = AttuneCli.withHome("pty-login");
        try (Pty pty = Pty.start(cli.environment(), Pty.command("login", "--url", suite.apiUrl(), "--user", adaLogin))) {
            pty.expect("Password: ");
            pty.type("ada-password");
            pty.expect("Logged in to " + suite.apiUrl() + " as " + adaLogin);
            assertThat(pty.awaitExit(PATIENCE)).isZero();
            assertThat(pty.transcript()).doesNotContain("ada-password");
        }
        assertThat(Files.exists(cli.credentialsFile())).isTrue();
    }

    @Test
    void aWrongPasswordIsRefusedWithExitCodeOne() {
        AttuneCli cli = AttuneCli.withHome("wrong");
        Result result = cli.runWithInput("not-her-password\n", "login", "--url", suite.apiUrl(), "--user", adaLogin,
                "--password-stdin", "-o", "json");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.json().path("code").asString()).isEqualTo("UNAUTHORIZED");
        assertThat(result.err()).contains("error:", "401");
        assertThat(Files.exists(cli.credentialsFile())).isFalse();
    }

    @Test
    void logoutForgetsTheTokenAndRevokesItWhereTheServerCan() {
        AttuneCli cli = loggedIn(adaLogin, "ada-password");
        String token = Json.tree(readQuietly(cli.credentialsFile())).path("access_token").asString();
        Result logout = cli.run("logout", "-o", "json");
        assertThat(logout.exitCode()).as(logout.toString()).isZero();
        assertThat(logout.json().path("forgotten").asBoolean()).isTrue();
        assertThat(Files.exists(cli.credentialsFile())).isFalse();
        if (logout.json().path("revoked").asBoolean()) {
            assertThat(suite.send("GET", "/api/v1/inquiries", token, null).statusCode()).isEqualTo(401);
        } else {
            assertThat(logout.json().path("server").asString()).isEqualTo("unsupported");
        }
        Result after = cli.run("inquiry", "list");
        assertThat(after.exitCode()).isEqualTo(1);
        assertThat(after.err()).contains("not logged in");
    }

    // --- refusals, usage, unreachable -----------------------------------------------------------------------------

    @Test
    void aRefusedTokenGivesAClearMessageAndExitCodeOne() {
        AttuneCli cli = AttuneCli.withHome("forged").env("ATTUNE_URL", suite.apiUrl())
                .env("ATTUNE_TOKEN", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.forged");
        Result text = cli.run("inquiry", "list");
        assertThat(text.exitCode()).as(text.toString()).isEqualTo(1);
        assertThat(text.err()).contains("401 UNAUTHORIZED").contains("refused your token").contains("attune login");
        Result json = cli.run("inquiry", "list", "-o", "json");
        assertThat(json.exitCode()).isEqualTo(1);
        assertThat(json.json().path("code").asString()).isEqualTo("UNAUTHORIZED");
        assertThat(json.json().path("status").asInt()).isEqualTo(401);
    }

    @Test
    void withoutALoginEveryCommandSaysSoWithExitCodeOne() {
        Result result = AttuneCli.withHome("nobody").run("inquiry", "list", "--url", suite.apiUrl());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("not logged in to " + suite.apiUrl());
    }

    @Test
    void anUnreachableServerIsExitCodeThree() {
        Result result = AttuneCli.withHome("away").env("ATTUNE_TOKEN", adminToken)
                .run("inquiry", "list", "--url", "http://127.0.0.1:1", "-o", "json");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        assertThat(result.json().path("code").asString()).isEqualTo("UNREACHABLE");
        assertThat(result.err()).contains("cannot reach http://127.0.0.1:1");
    }

    @Test
    void usageMistakesAreExitCodeTwoAndSendNothing() {
        long inquiry = openInquiry(APPROVAL, adaId).inquiry();
        assertThat(ada.run("inquiry", "list", "--page", "abc").exitCode()).isEqualTo(2);
        assertThat(ada.run("inquiry", "frobnicate").exitCode()).isEqualTo(2);
        assertThat(ada.run("inquiry").exitCode()).isEqualTo(2);
        Result badBoolean = ada.run("inquiry", "respond", Long.toString(inquiry), "--set", "approved=maybe");
        assertThat(badBoolean.exitCode()).as(badBoolean.toString()).isEqualTo(2);
        assertThat(badBoolean.err()).contains("--set approved: answer yes or no");
        Result noTerminal = ada.run("inquiry", "respond", Long.toString(inquiry));
        assertThat(noTerminal.exitCode()).isEqualTo(2);
        assertThat(noTerminal.err()).contains("--set or --data");
        assertThat(inquiry(inquiry).path("status").asString()).isEqualTo("pending");
    }

    // --- list, show -----------------------------------------------------------------------------------------------

    @Test
    void listFiltersAsTheApiAndShowsTimeLeft() {
        Opened mine = openInquiry(APPROVAL, adaId);
        Opened bobs = openInquiry(APPROVAL, bobId);

        Result json = ada.run("inquiry", "list", "--status", "pending", "--mine", "-o", "json");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        List<Long> ids = json.json().path("data").findValues("id").stream().map(JsonNode::asLong).toList();
        assertThat(ids).contains(mine.inquiry()).doesNotContain(bobs.inquiry());
        assertThat(json.json().path("total").asLong()).isEqualTo(ids.size());

        Result byExecution = admin.run("inquiry", "list", "--execution", Long.toString(bobs.execution()), "-o", "json");
        assertThat(byExecution.json().path("data").findValues("id")).extracting(JsonNode::asLong)
                .containsExactly(bobs.inquiry());
        Result page = admin.run("inquiry", "list", "--per-page", "1", "--page", "2", "-o", "json");
        assertThat(page.json().path("per_page").asInt()).isEqualTo(1);
        assertThat(page.json().path("page").asInt()).isEqualTo(2);

        Result text = ada.run("inquiry", "list", "--mine", "--status", "pending");
        assertThat(text.exitCode()).isZero();
        assertThat(text.out()).contains("ID", "STATUS", "PROMPT", "TIME LEFT");
        assertThat(text.out().lines().filter(l -> l.startsWith(mine.inquiry() + " ")).findFirst().orElseThrow())
                .contains("pending", "you (#" + adaId + ")").containsPattern("\\d+m \\d+s");
    }

    @Test
    void showGivesThePromptTheContextTheQuestionsAndTheHistory() {
        Opened opened = openInquiry(APPROVAL, adaId);
        Result json = ada.run("inquiry", "show", Long.toString(opened.inquiry()), "-o", "json");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        assertThat(json.json().path("inquiry").path("prompt").asString()).isEqualTo(opened.prompt());
        assertThat(json.json().path("context").path("deployment_plan")).isEqualTo(Json.mapper().valueToTree(PLAN));
        assertThat(json.json().path("context").has("__inquiry")).isFalse();
        assertThat(json.json().path("history").get(0).path("action").asString()).isEqualTo("created");

        Result text = ada.run("inquiry", "show", Long.toString(opened.inquiry()));
        assertThat(text.exitCode()).isZero();
        assertThat(text.out()).contains(opened.prompt(), "Context", "Deployment plan", "Service", "billing",
                "1. drain", "Questions (* required)", "* Approved (yes/no)", "Comments (text)", "History",
                "created", "system");
        Result missing = ada.run("inquiry", "show", "999999", "-o", "json");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.json().path("code").asString()).isEqualTo("NOT_FOUND");
    }

    // --- respond --------------------------------------------------------------------------------------------------

    @Test
    void respondWithSetTypesTheValuesByTheSchema() {
        Opened opened = openInquiry(APPROVAL, adaId);
        Result result = ada.run("inquiry", "respond", Long.toString(opened.inquiry()), "--set", "approved=yes",
                "--set", "comments=LGTM", "-o", "json");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.json().path("message").asString()).isEqualTo("Response submitted successfully");
        assertThat(result.json().path("data").path("response"))
                .isEqualTo(Json.tree("{\"approved\": true, \"comments\": \"LGTM\"}"));
        awaitExecution(opened.execution(), "completed");
    }

    @Test
    void respondWithDataFromTheCommandLineOrAFile() throws IOException {
        Opened inline = openInquiry(APPROVAL, adaId);
        Result result = ada.run("inquiry", "respond", Long.toString(inline.inquiry()), "--data",
                "{\"approved\": false, \"comments\": \"not on a Friday\"}");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("Inquiry " + inline.inquiry() + " answered");
        assertThat(inquiry(inline.inquiry()).path("response").path("approved").asBoolean()).isFalse();

        Opened fromFile = openInquiry(APPROVAL, adaId);
        Path answer = Files.writeString(ada.configHome().resolve("answer.json"), "{\"approved\": true}");
        Result file = ada.run("inquiry", "respond", Long.toString(fromFile.inquiry()), "--data", "@" + answer,
                "-o", "json");
        assertThat(file.exitCode()).as(file.toString()).isZero();
        assertThat(file.json().path("data").path("status").asString()).isEqualTo("responded");
    }

    @Test
    void theServersValidationErrorsAreShownByFieldWithExitCodeOne() {
        Opened opened = openInquiry(APPROVAL, adaId);
        Result result = ada.run("inquiry", "respond", Long.toString(opened.inquiry()), "--set", "approved=true",
                "--set", "comments=no", "-o", "json");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.json().path("code").asString()).isEqualTo("VALIDATION_ERROR");
        assertThat(result.json().path("details").get(0).path("path").asString()).isEqualTo("/comments");
        assertThat(result.err()).contains("422 VALIDATION_ERROR").contains("  /comments: ");
        assertThat(inquiry(opened.inquiry()).path("status").asString()).isEqualTo("pending");

        Result again = ada.run("inquiry", "respond", Long.toString(opened.inquiry()), "--set", "approved=true");
        assertThat(again.exitCode()).isZero();
        Result late = ada.run("inquiry", "respond", Long.toString(opened.inquiry()), "--set", "approved=true",
                "-o", "json");
        assertThat(late.exitCode()).isEqualTo(1);
        assertThat(late.json().path("code").asString()).isEqualTo("CONFLICT");
    }

    @Test
    void respondAsksTheSchemasQuestionsAtATerminalAndAsksAgainWhatTheServerRefused() {
        assumeTrue(Pty.available(), "util-linux script is needed for a pseudo-terminal");
        // properties in this order, as a schema file would have them: the questions follow it, required first
        Map<String, Object> schema = Json.convert(Json.tree("""
                {"type": "object",
                 "properties": {
                   "approved": {"type": "boolean", "description": "Go ahead with the change?"},
                   "environment": {"enum": ["staging", "production"]},
                   "replicas": {"type": "integer", "minimum": 1, "default": 2},
                   "tags": {"type": "array", "items": {"type": "string"}},
                   "comments": {"type": "string"}},
                 "required": ["approved", "environment"]}
                """), Map.class);
        Opened opened = openInquiry(schema, adaId);
        try (Pty pty = Pty.start(ada.environment(), Pty.command("inquiry", "respond",
                Long.toString(opened.inquiry())))) {
            pty.expect(opened.prompt());
            pty.expect("Go ahead with the change?");
            pty.expect("* Approved (yes/no): ");
            pty.type("maybe");
            pty.expect("answer yes or no");
            pty.expect("* Approved (yes/no): ");
            pty.type("y");
            pty.expect("1) staging 2) production");
            pty.expect("* Environment (one of: staging, production): ");
            pty.type("2");
            // optional ones in the order the server keeps the schema's keys (jsonb: shorter keys first)
            pty.expect("  Tags (list of text, comma-separated): ");
            pty.type("blue, green");
            pty.expect("  Comments (text): ");
            pty.type("");
            pty.expect("  Replicas (whole number) [2]: ");
            pty.type("0");
            // the server's minimum: shown by its field, and only that field asked again
            pty.expect("The server did not accept the answer:");
            pty.expect("Replicas (/replicas): ");
            String reasked = pty.expect("Replicas (whole number) [0]: ");
            assertThat(reasked).doesNotContain("Approved");
            pty.type("3");
            pty.expect("Inquiry " + opened.inquiry() + " answered");
            assertThat(pty.awaitExit(PATIENCE)).isZero();
        }
        assertThat(inquiry(opened.inquiry()).path("response")).isEqualTo(Json.tree(
                "{\"approved\": true, \"environment\": \"production\", \"replicas\": 3, \"tags\": [\"blue\", \"green\"]}"));
    }

    @Test
    void respondAllAnswersEveryMatchingInquiryWithAResultForEach() {
        List<Long> approvals = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            approvals.add(openInquiry(APPROVAL, bobId).inquiry());
        }
        long needsReason = openInquiry(Map.of("type", "object", "properties",
                Map.of("approved", Map.of("type", "boolean"), "reason", Map.of("type", "string")),
                "required", List.of("approved", "reason")), bobId).inquiry();

        Result result = bob.run("inquiry", "respond", "--all", "--status", "pending", "--mine", "--set",
                "approved=true", "--set", "comments=Fine by me", "-o", "json");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        Map<Long, Integer> statuses = new LinkedHashMap<>();
        result.json().path("data").forEach(r -> statuses.put(r.path("id").asLong(), r.path("status").asInt()));
        for (long id : approvals) {
            assertThat(statuses).containsEntry(id, 200);
            assertThat(inquiry(id).path("response").path("approved").asBoolean()).isTrue();
        }
        assertThat(statuses).containsEntry(needsReason, 422);
        assertThat(inquiry(needsReason).path("status").asString()).isEqualTo("pending");

        Result nothingLeft = bob.run("inquiry", "respond", "--all", "--mine", "--set", "approved=true",
                "--set", "reason=ok", "--yes");
        assertThat(nothingLeft.exitCode()).as(nothingLeft.toString()).isZero();
        assertThat(nothingLeft.out()).containsPattern("(?m)^" + needsReason + " +answered$").contains("1 of 1 answered");
    }

    // --- cancel ---------------------------------------------------------------------------------------------------

    @Test
    void cancelIsForAdmins() {
        Opened opened = openInquiry(APPROVAL, adaId);
        Result refused = ada.run("inquiry", "cancel", Long.toString(opened.inquiry()), "-o", "json");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.json().path("code").asString()).isEqualTo("FORBIDDEN");

        Result cancelled = admin.run("inquiry", "cancel", Long.toString(opened.inquiry()), "-o", "json");
        assertThat(cancelled.exitCode()).as(cancelled.toString()).isZero();
        assertThat(cancelled.json().path("data").path("status").asString()).isEqualTo("cancelled");
        awaitExecution(opened.execution(), "cancelled");

        Result several = admin.run("inquiry", "cancel", Long.toString(opened.inquiry()), "999999", "-o", "json");
        assertThat(several.exitCode()).isEqualTo(1);
        assertThat(several.json().path("data").findValues("status")).extracting(JsonNode::asInt)
                .containsExactly(409, 404);
    }

    // --- watch ----------------------------------------------------------------------------------------------------

    @Test
    void watchPrintsANotificationThatHappensWhileItRuns() {
        Running watch = Running.start(ada, "inquiry", "watch", "--mine", "--count", "1", "-o", "json");
        watch.awaitErr("[subscribed");
        Opened opened = openInquiry(APPROVAL, adaId);
        Result result = watch.finish();
        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonNode notification = Json.tree(result.out().lines().findFirst().orElseThrow());
        assertThat(notification.path("entity").asString()).isEqualTo(Long.toString(opened.inquiry()));
        assertThat(notification.path("activity").asString()).isEqualTo("created");
        assertThat(notification.path("content").path("assigned_to").asLong()).isEqualTo(adaId);

        Running text = Running.start(ada, "inquiry", "watch", "--inquiry", Long.toString(opened.inquiry()),
                "--count", "1");
        text.awaitErr("[subscribed");
        ada.run("inquiry", "respond", Long.toString(opened.inquiry()), "--set", "approved=true");
        Result line = text.finish();
        assertThat(line.exitCode()).isZero();
        assertThat(line.out()).contains("inquiry " + opened.inquiry() + " responded", "by #" + adaId);
    }

    @Test
    void watchResumesAfterADroppedConnectionWithoutMissingWhatHappenedMeanwhile() {
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", suite.service("notifier-1").port())) {
            Running watch = Running.start(admin, "inquiry", "watch", "--activity", "created", "--count", "2",
                    "--ws-url", "ws://127.0.0.1:" + proxy.port() + "/ws", "-o", "json");
            watch.awaitErr("[subscribed");
            Opened before = openInquiry(APPROVAL, null);
            watch.awaitOut("\"entity\":\"" + before.inquiry() + "\"");

            proxy.cut();
            watch.awaitErr("reconnecting with since=");
            Opened meanwhile = openInquiry(APPROVAL, null);
            proxy.restore();

            Result result = watch.finish();
            assertThat(result.exitCode()).as(result.toString()).isZero();
            List<String> entities = result.out().lines().map(l -> Json.tree(l).path("entity").asString()).toList();
            assertThat(entities).containsExactly(Long.toString(before.inquiry()), Long.toString(meanwhile.inquiry()));
        }
    }

    // --- run ------------------------------------------------------------------------------------------------------

    @Test
    void runStartsAnActionAndWaitsForItsEnd() {
        Result started = ada.run("run", TestPacks.ECHO, "--param", "greeting=hello", "-o", "json");
        assertThat(started.exitCode()).as(started.toString()).isZero();
        assertThat(started.json().path("data").path("status").asString()).isEqualTo("requested");

        Result waited = ada.run("run", TestPacks.ECHO, "--param", "greeting=hello", "--param", "count:=3", "--wait",
                "-o", "json");
        assertThat(waited.exitCode()).as(waited.toString()).isZero();
        assertThat(waited.json().path("data").path("status").asString()).isEqualTo("completed");
        assertThat(waited.json().path("data").path("result")).isEqualTo(
                Json.tree("{\"greeting\": \"hello\", \"count\": 3}"));
    }

    @Test
    void runWaitsForSomeoneElsesAnswerAndExitsFourWhenTheExecutionDoesNotComplete() throws IOException {
        Path parameters = Files.writeString(ada.configHome().resolve("params.json"), Json.write(Map.of(
                "__inquiry", Map.of("prompt", "Bob, restart the cache?", "response_schema", APPROVAL,
                        "assigned_to", bobId, "timeout_seconds", 1800))));
        Running run = Running.start(ada, "run", TestPacks.ECHO, "--params", "@" + parameters, "--wait");
        // bob's inquiry is invisible to ada: she is told what it asks and for whom, from the execution's result
        String paused = run.awaitErr("not one you may answer; waiting]");
        assertThat(paused).contains("[paused on an inquiry for #" + bobId + ": \"Bob, restart the cache?\"");
        long inquiry = pendingInquiryOf(executionOf(paused));
        assertThat(bob.run("inquiry", "respond", Long.toString(inquiry), "--set", "approved=true").exitCode())
                .isZero();
        Result answered = run.finish();
        assertThat(answered.exitCode()).as(answered.toString()).isZero();
        assertThat(answered.out()).contains("completed");

        Running cancelledRun = Running.start(ada, "run", TestPacks.ECHO, "--params", "@" + parameters, "--wait");
        long other = pendingInquiryOf(executionOf(cancelledRun.awaitErr("not one you may answer; waiting]")));
        assertThat(admin.run("inquiry", "cancel", Long.toString(other)).exitCode()).isZero();
        Result cancelled = cancelledRun.finish();
        assertThat(cancelled.exitCode()).as(cancelled.toString()).isEqualTo(4);
        assertThat(cancelled.out()).contains("cancelled");
    }

    @Test
    void runOffersToAnswerTheInquiryItPausesOnAtATerminal() throws IOException {
        assumeTrue(Pty.available(), "util-linux script is needed for a pseudo-terminal");
        Path parameters = Files.writeString(ada.configHome().resolve("mine.json"), Json.write(Map.of(
                "__inquiry", Map.of("prompt", "Ada, rotate the keys?", "response_schema", APPROVAL,
                        "assigned_to", adaId, "timeout_seconds", 1800,
                        // Ada starts the run and answers it herself: allowed here, refused by default
                        "allow_self_approval", true),
                "keys", List.of(Map.of("name", "signing", "age_days", 400)))));
        try (Pty pty = Pty.start(ada.environment(), Pty.command("run", TestPacks.ECHO, "--params", "@" + parameters,
                "--wait"))) {
            pty.expect("Ada, rotate the keys?");
            pty.expect("signing");
            pty.expect("now? [Y/n] ");
            pty.type("y");
            pty.expect("* Approved (yes/no): ");
            pty.type("yes");
            pty.expect("  Comments (text): ");
            pty.type("Rotate them");
            pty.expect("completed");
            assertThat(pty.awaitExit(PATIENCE)).isZero();
        }
    }

    // --- help, completion -----------------------------------------------------------------------------------------

    @Test
    void everyCommandHasHelpWithExamples() {
        List<List<String>> commands = List.of(List.of(), List.of("login"), List.of("logout"), List.of("whoami"),
                List.of("inquiry"), List.of("inquiry", "list"), List.of("inquiry", "show"),
                List.of("inquiry", "respond"), List.of("inquiry", "cancel"), List.of("inquiry", "watch"),
                List.of("run"));
        for (List<String> command : commands) {
            List<String> arguments = new ArrayList<>(command);
            arguments.add("--help");
            Result help = admin.run(arguments.toArray(String[]::new));
            assertThat(help.exitCode()).as(String.join(" ", arguments)).isZero();
            assertThat(help.out()).as(String.join(" ", arguments)).contains("Usage: attune", "Examples:");
        }
    }

    @Test
    void completionScriptsForBashAndZsh() throws Exception {
        Result bash = admin.run("completion", "bash");
        assertThat(bash.exitCode()).isZero();
        assertThat(bash.out()).contains("complete -F", "respond", "watch", "--per-page");
        Path script = Files.writeString(admin.configHome().resolve("attune.bash"), bash.out());
        Process check = new ProcessBuilder("bash", "-c", "source '" + script + "' && complete -p attune")
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor()).as(output).isZero();
        assertThat(output).contains("attune");

        Result zsh = admin.run("completion", "zsh");
        assertThat(zsh.exitCode()).isZero();
        assertThat(zsh.out()).startsWith("#compdef attune").contains("bashcompinit", "complete -F");
        assertThat(admin.run("completion", "fish").exitCode()).isEqualTo(2);
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    /** An inquiry opened the real way: e2e.echo reports {@code __inquiry} and a deployment plan as its result. */
    private static Opened openInquiry(Map<String, Object> schema, Long assignee) {
        String prompt = "Deploy billing 3.1.0? (" + System.nanoTime() + ")";
        Map<String, Object> inquiry = new LinkedHashMap<>();
        inquiry.put("prompt", prompt);
        inquiry.put("response_schema", schema);
        if (assignee != null) {
            inquiry.put("assigned_to", assignee);
        }
        inquiry.put("timeout_seconds", 1800);
        long execution = suite.call("POST", "/api/v1/executions", adminToken, Json.write(Map.of(
                "action_ref", TestPacks.ECHO, "parameters", Map.of("__inquiry", inquiry, "deployment_plan", PLAN))))
                .path("data").path("id").asLong();
        long id = await("the inquiry of execution " + execution).atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> suite.call("GET", "/api/v1/inquiries?execution=" + execution, adminToken, null)
                        .path("data"), data -> data.size() == 1)
                .get(0).path("id").asLong();
        return new Opened(id, execution, prompt);
    }

    private static long executionOf(String runOutput) {
        return Long.parseLong(runOutput.replaceAll("(?s).*\\[execution (\\d+) requested\\].*", "$1"));
    }

    private static long pendingInquiryOf(long execution) {
        return suite.call("GET", "/api/v1/inquiries?status=pending&execution=" + execution, adminToken, null)
                .path("data").get(0).path("id").asLong();
    }

    private static JsonNode inquiry(long id) {
        return suite.call("GET", "/api/v1/inquiries/" + id, adminToken, null).path("data");
    }

    private static void awaitExecution(long id, String status) {
        await("execution " + id + " " + status).atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> suite.call("GET", "/api/v1/executions/" + id, adminToken, null)
                        .path("data").path("status").asString(), status::equals);
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private record Opened(long inquiry, long execution, String prompt) {
    }

    /** A command left running (watch, run --wait) whose output is read as it comes. */
    private static final class Running {
        private final Process process;
        private final List<String> out = new CopyOnWriteArrayList<>();
        private final List<String> err = new CopyOnWriteArrayList<>();

        private Running(Process process) {
            this.process = process;
            pump(process.getInputStream(), out);
            pump(process.getErrorStream(), err);
        }

        static Running start(AttuneCli cli, String... arguments) {
            return new Running(cli.start(arguments));
        }

        String awaitErr(String text) {
            return await(err, text);
        }

        String awaitOut(String text) {
            return await(out, text);
        }

        private String await(List<String> lines, String text) {
            return org.awaitility.Awaitility.await("'" + text + "' from attune").atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> String.join("\n", lines), all -> {
                        if (!process.isAlive() && !all.contains(text)) {
                            throw new AssertionError("attune ended (" + process.exitValue() + "):\n" + String.join(
                                    "\n", out) + "\n" + String.join("\n", err));
                        }
                        return all.contains(text);
                    });
        }

        Result finish() {
            try {
                if (!process.waitFor(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("attune still running:\n" + String.join("\n", out) + "\n"
                            + String.join("\n", err));
                }
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Result(process.exitValue(), join(out), join(err));
        }

        private static String join(List<String> lines) {
            return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
        }

        private static void pump(InputStream stream, List<String> into) {
            Thread thread = new Thread(() -> {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        into.add(line);
                    }
                } catch (IOException e) {
                    // ended
                }
            }, "attune-output");
            thread.setDaemon(true);
            thread.start();
        }
    }
}
