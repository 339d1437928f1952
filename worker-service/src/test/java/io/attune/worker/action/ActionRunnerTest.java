package io.attune.worker.action;

import io.attune.model.ExecutionStatus;
import io.attune.model.json.Json;
import io.attune.worker.TestPacks;
import io.attune.worker.WorkerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Running actions as processes, without broker or database: every way a run can end. */
@Timeout(60)
class ActionRunnerTest {
    static final Path PACKS = TestPacks.testPacks();

    final ActionCatalog catalog = new ActionCatalog(PACKS, WorkerSettings.DEFAULT_INTERPRETERS, Duration.ofSeconds(60));
    final ActionRunner runner = new ActionRunner(1024 * 1024);

    @AfterEach
    void closeRunner() {
        runner.close();
    }

    ActionOutcome run(String actionRef, String parameters) {
        return runner.run(catalog.resolve(actionRef), 42, Json.tree(parameters));
    }

    @Test
    void anActionGetsItsParametersOnStdinAndItsIdentityInItsEnvironment() throws Exception {
        ObjectNode parameters = Json.object();
        parameters.put("greeting", "h\u00e9llo \"quoted\" \\ \uD83D\uDE80");
        parameters.putArray("list").add(1).add(true);

        ActionOutcome outcome = runner.run(catalog.resolve("testing.echo"), 42, parameters);

        assertThat(outcome.status()).isEqualTo(ExecutionStatus.COMPLETED);
        assertThat(outcome.result().get("parameters")).isEqualTo(parameters);
        assertThat(outcome.result().get("execution_id").asString()).isEqualTo("42");
        assertThat(outcome.result().get("action_ref").asString()).isEqualTo("testing.echo");
        assertThat(Path.of(outcome.result().get("cwd").asString()).toRealPath())
                .isEqualTo(PACKS.resolve("testing").toRealPath());
    }

    @Test
    void theActionsEnvironmentIsAnAllowListPlusWhatTheAdministratorPassesThrough() {
        Map<String, String> worker = new HashMap<>();
        worker.putAll(Map.of("PATH", "/usr/bin", "LANG", "C.UTF-8", "LC_TIME", "en_GB.UTF-8", "TZ", "UTC",
                "AWS_REGION", "eu-west-1", "DATABASE_URL", "postgres://u:secret@db/x", "HOME", "/root"));
        worker.putAll(Map.of("ATTUNE_DB_PASSWORD", "secret", "ATTUNE_JWT_SECRET", "secret",
                "ATTUNE_AMQP_URL", "amqp://u:secret@mq/", "SPRING_DATASOURCE_PASSWORD", "secret"));
        ActionEnvironment allowList = new ActionEnvironment(List.of("AWS_REGION", " "));

        Map<String, String> environment = allowList.forRun(worker, catalog.resolve("testing.echo"), 7, "nobody",
                Path.of("/tmp/run-7"));

        assertThat(environment).containsOnly(Map.entry("PATH", "/usr/bin"), Map.entry("LANG", "C.UTF-8"),
                Map.entry("LC_TIME", "en_GB.UTF-8"), Map.entry("TZ", "UTC"), Map.entry("AWS_REGION", "eu-west-1"),
                Map.entry("HOME", "/tmp/run-7"), Map.entry("TMPDIR", "/tmp/run-7"), Map.entry("USER", "nobody"),
                Map.entry("LOGNAME", "nobody"), Map.entry("ATTUNE_EXECUTION_ID", "7"),
                Map.entry("ATTUNE_ACTION_REF", "testing.echo"));
        ActionOutcome outcome = run("testing.environment", "{}");
        assertThat(outcome.result().get("names").valueStream().map(JsonNode::asString))
                .containsExactlyInAnyOrder("ATTUNE_EXECUTION_ID", "ATTUNE_ACTION_REF");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ATTUNE_DB_PASSWORD", "attune_jwt_secret", "SPRING_DATASOURCE_PASSWORD", "NOT-A-NAME"})
    void theSuitesOwnVariablesCannotBePassedThrough(String name) {
        assertThatThrownBy(() -> new ActionEnvironment(List.of("AWS_REGION", name)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ATTUNE_ACTION_ENV_PASSTHROUGH");
    }

    /**
     * The tests run as root, so this is the worker-as-root case: the action runs as nobody, and can read neither its
     * parent's (this JVM's) environment nor any other root process's.
     */
    @Test
    void aWorkerRunningAsRootRunsActionsAsAnUnprivilegedUserWhoCannotReadItsEnvironment() throws Exception {
        assertThat(Files.getAttribute(Path.of("/proc/self"), "unix:uid")).as("these tests run as root").isEqualTo(0);
        int nobody = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0 ? uidOf("nobody") : -1;

        ActionOutcome outcome = run("testing.snoop", "{}");

        assertThat(outcome.status()).as("%s", outcome.result()).isEqualTo(ExecutionStatus.COMPLETED);
        JsonNode result = outcome.result();
        assertThat(result.get("uid").asInt()).isEqualTo(nobody);
        assertThat(result.get("euid").asInt()).isEqualTo(nobody);
        assertThat(result.get("groups").valueStream().map(JsonNode::asInt)).doesNotContain(0);
        assertThat(result.get("ppid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(result.get("parent_environ_readable").asBoolean()).isFalse();
        assertThat(result.get("readable_environs").propertyNames())
                .doesNotContain(Long.toString(ProcessHandle.current().pid()));
        assertThat(result.get("environment").propertyNames())
                .allMatch(name -> Set.of("PATH", "LANG", "LANGUAGE", "TZ", "HOME", "TMPDIR", "USER", "LOGNAME",
                        "ATTUNE_EXECUTION_ID", "ATTUNE_ACTION_REF", "PWD", "SHLVL", "_", "LC_CTYPE").contains(name)
                        || name.startsWith("LC_"), "allow-listed");
        Path home = Path.of(result.get("environment").get("HOME").asString());
        assertThat(result.get("home_writable").asBoolean()).as("HOME is the action's own").isTrue();
        assertThat(home).as("and is deleted after the run").doesNotExist();
    }

    @Test
    void anUnknownActionUserStopsTheWorkerFromStartingRatherThanRunActionsAsRoot() {
        assertThatThrownBy(() -> ActionUser.resolve("no-such-user-here"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no user 'no-such-user-here'");
        assertThat(ActionUser.resolve("root").switches()).isFalse();
        assertThat(ActionUser.resolve("nobody").command()).first().asString().endsWith("setpriv");
    }

    private static int uidOf(String user) throws Exception {
        Process getent = new ProcessBuilder("getent", "passwd", user).start();
        return Integer.parseInt(new String(getent.getInputStream().readAllBytes()).split(":")[2]);
    }

    @Test
    void aNonZeroExitFailsWithTheExitCodeAndTheTailOfStderr() {
        ActionOutcome outcome = run("testing.fail", "{}");

        assertThat(outcome.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(outcome.result().get("error").asString()).isEqualTo("action exited with code 3");
        assertThat(outcome.result().get("exit_code").asInt()).isEqualTo(3);
        assertThat(outcome.result().get("stderr_tail").asString())
                .isEqualTo("checking the disk\nsomething broke: disk full\n");
    }

    @Test
    void anActionKilledByASignalFails() {
        ActionOutcome outcome = run("testing.killed", "{}");

        assertThat(outcome.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(outcome.result().get("exit_code").asInt()).isEqualTo(137);
        assertThat(outcome.result().get("stderr_tail").asString()).contains("about to die");
    }

    @ParameterizedTest
    @ValueSource(strings = {"testing.not_json", "testing.json_array"})
    void outputThatIsNotAJsonObjectFails(String actionRef) {
        ActionOutcome outcome = run(actionRef, "{}");

        assertThat(outcome.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(outcome.result().get("error").asString()).isEqualTo("action output is not a JSON object");
        assertThat(outcome.result().get("exit_code").asInt()).isZero();
        assertThat(outcome.result().get("stdout_head").asString())
                .isIn("hello, this is not JSON\n", "[1, 2, 3]\n");
    }

    @Test
    void anActionThatOutlivesItsTimeoutIsStoppedWithEverythingItStarted() {
        ActionOutcome outcome = run("testing.slow", "{}");

        assertThat(outcome.status()).isEqualTo(ExecutionStatus.TIMEOUT);
        assertThat(outcome.result().get("error").asString()).isEqualTo("action timed out after 1 s");
        assertThat(outcome.result().get("timeout_seconds").asInt()).isEqualTo(1);
        Matcher child = Pattern.compile("child (\\d+)").matcher(outcome.result().get("stderr_tail").asString());
        assertThat(child.find()).as("the action reported its child's pid").isTrue();
        long pid = Long.parseLong(child.group(1));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void outputBeyondTheLimitStopsTheActionAndFails() {
        ActionOutcome outcome = run("testing.huge", "{}");

        assertThat(outcome.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(outcome.result().get("error").asString())
                .isEqualTo("action output exceeds 1048576 bytes; the action was stopped");
        assertThat(outcome.result().get("stdout_head").asString()).startsWith("{\"big\": \"xxx").hasSize(1024);
    }

    @Test
    void stderrIsReadWhileTheActionRunsSoThatAChattyActionNeverBlocks() {
        ActionOutcome outcome = run("testing.noisy", "{}");

        assertThat(outcome.status()).isEqualTo(ExecutionStatus.COMPLETED);
        assertThat(outcome.result()).isEqualTo(Json.tree("{\"ok\": true}"));
    }

    @Test
    void anActionMayIgnoreLargeParameters() {
        ObjectNode parameters = Json.object();
        parameters.put("blob", "y".repeat(1024 * 1024));

        ActionOutcome outcome = runner.run(catalog.resolve("testing.ignores_stdin"), 1, parameters);

        assertThat(outcome.status()).isEqualTo(ExecutionStatus.COMPLETED);
    }

    @Test
    void aProcessLeftBehindDoesNotHoldTheResultBack() {
        ActionOutcome outcome = run("testing.lingering", "{}");

        assertThat(outcome.status()).isEqualTo(ExecutionStatus.COMPLETED);
        assertThat(outcome.result()).isEqualTo(Json.tree("{\"ok\": true}"));
    }

    @Test
    void stoppingTheWorkerStopsRunningActionsAndTheyFail() {
        CompletableFuture<ActionOutcome> outcome = CompletableFuture.supplyAsync(
                () -> run("testing.sleep", "{\"seconds\": 300}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> runner.runningCount() == 1);

        runner.stopAll();

        assertThat(outcome.join().status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(outcome.join().result().get("error").asString())
                .isEqualTo("the worker stopped before the action finished");
        assertThat(runner.runningCount()).isZero();
    }

    @Test
    void whenSeveralFilesShareANameTheShellScriptIsPicked() {
        assertThat(run("testing.twice", "{}").result()).isEqualTo(Json.tree("{\"picked\": \"sh\"}"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"testing.nope", "nopack.echo", "../etc.passwd", "testing/../testing.echo",
            "testing.echo.sh", "testing..echo", ".testing.echo", "testing.-echo", "testing", "testing.",
            "testing.ech o", "testing.echo\n", "TESTING.ECHO_X", "testing.slow.json"})
    void anythingButAnExistingPackAndActionIsAnUnknownAction(String actionRef) {
        assertThatThrownBy(() -> catalog.resolve(actionRef))
                .isInstanceOf(ActionException.class)
                .hasMessageStartingWith("unknown action '" + actionRef + "'");
    }

    @Test
    void brokenMetadataIsReportedInsteadOfIgnored() {
        assertThatThrownBy(() -> catalog.resolve("testing.bad_meta"))
                .isInstanceOf(ActionException.class)
                .hasMessage("invalid metadata for action 'testing.bad_meta' (bad_meta.json): timeout_seconds must "
                        + "be a positive integer, not -1");
    }

    @Test
    void aMissingInterpreterIsNamedInTheError() {
        Map<String, String> interpreters = new LinkedHashMap<>(WorkerSettings.DEFAULT_INTERPRETERS);
        interpreters.put("py", "/nonexistent/python3");
        ActionCatalog withoutPython = new ActionCatalog(PACKS, interpreters, Duration.ofSeconds(60));

        assertThatThrownBy(() -> runner.run(withoutPython.resolve("testing.py_only"), 1, Json.object()))
                .isInstanceOf(ActionException.class)
                .hasMessageStartingWith("cannot run action 'testing.py_only': /nonexistent/python3 could not be "
                        + "started (is it installed and on the PATH?)");
    }
}
