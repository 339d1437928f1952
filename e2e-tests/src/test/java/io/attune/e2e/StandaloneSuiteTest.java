package io.attune.e2e;

import io.attune.model.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's first command on a machine without Postgres or RabbitMQ: the standalone launcher with its embedded
 * database and broker and the four services as child processes. It prints where things are and the admin login,
 * drives the deployment-approval example to a pending inquiry, stops cleanly on a signal (no process left behind, no
 * warning or error in the services' logs), and keeps the data for the next start.
 */
class StandaloneSuiteTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern ADMIN = Pattern.compile("Sign in as\\s+admin / (\\S+)");

    @TempDir
    Path home;
    private final List<Process> launched = new ArrayList<>();

    @AfterEach
    void stopEverything() {
        for (Process launcher : launched) {
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
        }
    }

    @Test
    void startsTheWholeSuiteStopsCleanlyAndKeepsItsData() throws Exception {
        Map<String, String> ports = Map.of(
                "ATTUNE_API_PORT", free(), "ATTUNE_NOTIFIER_PORT", free(), "ATTUNE_EXECUTOR_PORT", free(),
                "ATTUNE_WORKER_PORT", free(), "ATTUNE_EMBEDDED_DB_PORT", free(), "ATTUNE_EMBEDDED_AMQP_PORT", free());
        String api = "http://127.0.0.1:" + ports.get("ATTUNE_API_PORT");

        Launch first = launch(ports);
        String password = first.adminPassword();
        assertThat(first.output()).contains("ws://localhost:" + ports.get("ATTUNE_NOTIFIER_PORT") + "/ws")
                .contains("examples.deploy_approval").contains("export TOKEN=ey");
        String token = login(api, password);

        JsonNode execution = post(api, "/api/v1/executions", token,
                "{\"action_ref\": \"examples.deploy_approval\", \"parameters\": {\"service\": \"api-service\", "
                        + "\"version\": \"2.1.0\"}}");
        long executionId = execution.path("data").path("id").asLong();
        await().atMost(Duration.ofSeconds(60)).until(() -> pendingInquiries(api, token, executionId) == 1);

        List<ProcessHandle> children = first.process.descendants().toList();
        assertThat(children).hasSizeGreaterThanOrEqualTo(4);
        first.process.destroy(); // SIGTERM, as Ctrl-C would be handled
        assertThat(first.process.waitFor(60, TimeUnit.SECONDS)).as("the launcher stops").isTrue();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(children).noneMatch(ProcessHandle::isAlive));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(first.output()).as("exit code %d", first.process.exitValue())
                        .contains("Stopped. Data kept in"));
        // from start to stop nothing went wrong, so the services say nothing is wrong: the database and the broker
        // stop after the services, not under them
        assertThat(warningsAndErrors(home.resolve("logs"))).isEmpty();

        Launch second = launch(ports);
        assertThat(second.adminPassword()).as("the admin login is kept").isEqualTo(password);
        String again = login(api, password);
        assertThat(pendingInquiries(api, again, executionId)).as("the inquiry is still there").isEqualTo(1);
    }

    private Launch launch(Map<String, String> ports) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        // to a file rather than a pipe: a pipe's last lines can be lost when the process exits under its reader
        Path console = Files.createTempFile(home, "console", ".log");
        ProcessBuilder builder = new ProcessBuilder(java, "-Dattune.repository=" + RunningSuite.ROOT,
                "-jar", RunningSuite.ROOT.resolve("standalone/target/standalone.jar").toString())
                .redirectErrorStream(true)
                .redirectOutput(console.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("ATTUNE_"));
        env.put("ATTUNE_HOME", home.toString());
        env.putAll(ports);
        Process process = builder.start();
        launched.add(process);
        Launch launch = new Launch(process, console);
        await().atMost(Duration.ofSeconds(150)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("the launcher exited:\n" + launch.output());
            }
            return launch.output().contains("is ready");
        });
        return launch;
    }

    private static List<String> warningsAndErrors(Path logs) throws IOException {
        List<String> lines = new ArrayList<>();
        try (var files = Files.list(logs)) {
            for (Path log : files.filter(file -> file.toString().endsWith(".log")).sorted().toList()) {
                Files.readAllLines(log).stream().filter(line -> line.contains(" WARN ") || line.contains(" ERROR "))
                        .forEach(line -> lines.add(log.getFileName() + ": " + line));
            }
        }
        return lines;
    }

    private static String login(String api, String password) throws Exception {
        return post(api, "/auth/login", null, Json.write(Map.of("login", "admin", "password", password)))
                .path("data").path("access_token").asString();
    }

    private static long pendingInquiries(String api, String token, long execution) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create(api + "/api/v1/inquiries?status=pending&execution=" + execution))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        return Json.tree(response.body()).path("total").asLong();
    }

    private static JsonNode post(String api, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isBetween(200, 299);
        return Json.tree(response.body());
    }

    private static String free() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return Integer.toString(socket.getLocalPort());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A running launcher and everything it printed so far. */
    private record Launch(Process process, Path console) {

        String output() {
            try {
                return Files.readString(console);
            } catch (IOException e) {
                return "";
            }
        }

        String adminPassword() {
            Matcher m = ADMIN.matcher(output());
            assertThat(m.find()).as("the banner names the admin login:\n" + output()).isTrue();
            return m.group(1);
        }
    }
}
