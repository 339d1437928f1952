package io.attune.e2e.cli;

import io.attune.e2e.RunningSuite;
import io.attune.e2e.cli.AttuneCli.Result;
import io.attune.model.json.Json;
import io.attune.testsupport.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Approval requests from outside on the built jars (api with a database pool of 3 and its own application_name,
 * executor, notifier): a pipeline's identity with an API token asks, waits with {@code ?wait=}, and is woken by the
 * answer; 200 waits hold no database connection (pg_stat_activity); the token works on the WebSocket and stops
 * within 5 s of its revocation; {@code attune ask --wait} exits 0, 5, 6 and 7 for approved, rejected, timed out
 * and cancelled.
 */
class ExternalRequestsEndToEndTest {
    private static final String APP = "attune-api-e2e-waits";
    private static final int POOL = 3;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ExecutorService CALLERS = Executors.newCachedThreadPool();

    private static RunningSuite suite;
    private static String adminToken;
    private static long ciId;
    private static long approverId;
    private static String approverToken;
    private static String ciToken;
    private static long ciTokenId;

    @BeforeAll
    static void start() {
        suite = RunningSuite.start("notifier");
        String url = suite.environment().variables().get("ATTUNE_DB_URL");
        suite.launchAndAwait("api-1", "api", Map.of(
                "ATTUNE_DB_URL", url + (url.contains("?") ? "&" : "?") + "ApplicationName=" + APP,
                "SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE", Integer.toString(POOL),
                "ATTUNE_WAITS_MAX_PER_IDENTITY", "300"));
        suite.launchAndAwait("executor-1", "executor");
        adminToken = suite.adminToken();
        ciId = suite.createIdentity("ci-bot", "ci-bot-password-unused");
        approverId = suite.createIdentity("ada", "ada-password");
        approverToken = suite.login("ada", "ada-password");
        JsonNode token = suite.call("POST", "/api/v1/tokens", adminToken,
                Json.write(Map.of("name", "pipeline", "identity_id", ciId))).path("data");
        ciToken = token.path("token").asString();
        ciTokenId = token.path("id").asLong();
    }

    @AfterAll
    static void stop() {
        CALLERS.shutdownNow();
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    void aPipelineAsksWithItsTokenAndAWaitIsWokenByTheAnswer() throws Exception {
        JsonNode inquiry = ask(ciToken, "Deploy billing 2.5.0?", 600, approverId);
        long id = inquiry.path("id").asLong();
        assertThat(suite.send("POST", "/api/v1/inquiries/" + id + "/respond", ciToken,
                "{\"response\": {\"approved\": true}}").statusCode()).isEqualTo(404); // not its to answer

        CompletableFuture<HttpResponse<String>> waiting = waitFor(id, 30, ciToken);
        Thread.sleep(1_500);
        assertThat(waiting).isNotDone();
        suite.call("POST", "/api/v1/inquiries/" + id + "/respond", approverToken, "{\"response\": {\"approved\": true}}");
        long answered = System.nanoTime(); // the answer is in once respond has answered
        HttpResponse<String> woken = waiting.get(10, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - answered) / 1e9;
        System.out.printf("e2e: ?wait=30 answered %.3f s after the answer%n", seconds);
        assertThat(seconds).isLessThan(1.0);
        assertThat(Json.tree(woken.body()).path("data").path("status").asString()).isEqualTo("responded");
        // the executor's usual resume completes the execution with the answer beside the context
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode execution = suite.call("GET", "/api/v1/executions/" + inquiry.path("execution").asLong(),
                    ciToken, null).path("data");
            assertThat(execution.path("status").asString()).isEqualTo("completed");
            assertThat(execution.path("result").path("build").asString()).isEqualTo("512");
            assertThat(execution.path("result").path("__inquiry").path("response").path("approved").asBoolean())
                    .isTrue();
        });
        JsonNode listed = suite.call("GET", "/api/v1/tokens", adminToken, null).path("data");
        assertThat(listed.toString()).contains("\"last_used_at\":\"").doesNotContain(ciToken);
    }

    @Test
    void theRequesterCannotApproveItsOwnRequest() {
        // unassigned, so anyone who can see it may answer — but not the pipeline that asked
        JsonNode inquiry = suite.call("POST", "/api/v1/inquiries", ciToken, Json.write(Map.of("prompt", "Ship it?",
                "response_schema", Map.of("type", "object", "properties", Map.of("approved", Map.of("type", "boolean"))),
                "timeout_seconds", 600))).path("data");
        HttpResponse<String> own = suite.send("POST", "/api/v1/inquiries/" + inquiry.path("id").asLong() + "/respond",
                ciToken, "{\"response\": {\"approved\": true}}");
        assertThat(own.statusCode()).isEqualTo(403);
        assertThat(Json.tree(own.body()).path("code").asString()).isEqualTo("SELF_APPROVAL");
        assertThat(suite.send("POST", "/api/v1/inquiries/" + inquiry.path("id").asLong() + "/respond", approverToken,
                "{\"response\": {\"approved\": true}}").statusCode()).isEqualTo(200);
    }

    @Test
    void twoHundredWaitsHoldNoDatabaseConnectionAndAllReturnOnTheAnswer() throws Exception {
        long id = ask(ciToken, "Two hundred watchers?", 600, approverId).path("id").asLong();
        List<CompletableFuture<HttpResponse<String>>> waits = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            waits.add(waitRetryingWhenBusy(id, 60, ciToken));
        }
        Thread.sleep(5_000); // every request reached the api and was parked
        assertThat(waits).noneMatch(CompletableFuture::isDone);
        ApiConnections connections = apiConnections();
        System.out.printf("e2e: 200 waits open; the api's connections in pg_stat_activity: %s%n", connections);
        // found by the api's application_name (an empty result would prove nothing), and every one of them idle
        assertThat(connections.states()).as("the api's connections (application_name %s)", APP).isNotEmpty()
                .hasSizeLessThanOrEqualTo(POOL);
        assertThat(connections.notIdle()).as("the api's connections not idle: %s", connections).isZero();
        // and the pool is there for everyone else meanwhile
        assertThat(suite.send("GET", "/api/v1/inquiries/" + id, approverToken, null).statusCode()).isEqualTo(200);

        long answered = System.nanoTime();
        suite.call("POST", "/api/v1/inquiries/" + id + "/respond", approverToken, "{\"response\": {\"approved\": true}}");
        CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        System.out.printf("e2e: 200 waits answered %.3f s after the answer%n", (System.nanoTime() - answered) / 1e9);
        for (CompletableFuture<HttpResponse<String>> wait : waits) {
            assertThat(wait.get().statusCode()).isEqualTo(200);
            assertThat(Json.tree(wait.get().body()).path("data").path("status").asString()).isEqualTo("responded");
        }
    }

    @Test
    void aTimeoutEndsTheWaitAndAPendingOneComesBackAfterItsSeconds() throws Exception {
        long pending = ask(ciToken, "Still there?", 600, approverId).path("id").asLong();
        long start = System.nanoTime();
        HttpResponse<String> after = waitFor(pending, 2, ciToken).get(30, TimeUnit.SECONDS);
        assertThat((System.nanoTime() - start) / 1e9).isBetween(1.9, 5.0);
        assertThat(Json.tree(after.body()).path("data").path("status").asString()).isEqualTo("pending");
        assertThat(waitFor(pending, 61, ciToken).get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(400);

        long timingOut = ask(ciToken, "Quick?", 2, approverId).path("id").asLong();
        HttpResponse<String> timedOut = waitFor(timingOut, 30, ciToken).get(40, TimeUnit.SECONDS);
        assertThat(Json.tree(timedOut.body()).path("data").path("status").asString()).isEqualTo("timeout");
    }

    @Test
    void anAnswerWakesTheRequestersWaitAndReachesItsCallbackSignedOnce() throws Exception {
        String secret = "whsec_" + java.util.Base64.getEncoder().encodeToString("happy-path-key-of-32-bytes-long!"
                .getBytes());
        try (WebhookReceiver receiver = new WebhookReceiver(secret)) {
            long id = ask(ciToken, "Deploy with a callback?", 600, approverId,
                    Map.of("url", receiver.url(), "secret", secret)).path("id").asLong();
            CompletableFuture<HttpResponse<String>> waiting = waitFor(id, 30, ciToken);
            Thread.sleep(1_500);
            assertThat(waiting).isNotDone();
            assertThat(callbackDeliveries(id).path("total").asLong()).isZero(); // nothing to deliver while pending

            java.time.Instant asked = java.time.Instant.now();
            suite.call("POST", "/api/v1/inquiries/" + id + "/respond", approverToken,
                    "{\"response\": {\"approved\": true}}");
            long answered = System.nanoTime(); // the answer is in once respond has answered
            HttpResponse<String> woken = waiting.get(10, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - answered) / 1e9;
            System.out.printf("e2e: ?wait=30 answered %.3f s after the answer%n", seconds);
            assertThat(seconds).isLessThan(1.0);
            assertThat(woken.statusCode()).isEqualTo(200);
            JsonNode decided = Json.tree(woken.body()).path("data");
            assertThat(decided.path("id").asLong()).isEqualTo(id);
            assertThat(decided.path("status").asString()).isEqualTo("responded");
            assertThat(decided.path("response").path("approved").asBoolean()).isTrue();
            assertThat(decided.path("responded_by").asLong()).isEqualTo(approverId);

            await("the callback").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !receiver.received().isEmpty());
            WebhookReceiver.Received callback = receiver.received().get(0);
            System.out.printf("e2e: the callback arrived %d ms after the answer was sent%n",
                    Duration.between(asked, callback.at()).toMillis());
            assertThat(callback.valid()).as("signature of %s", callback).isTrue();
            JsonNode body = Json.tree(callback.body());
            assertThat(body.path("type").asString()).isEqualTo("inquiry.responded");
            assertThat(body.path("data").path("inquiry").path("id").asLong()).isEqualTo(id);
            assertThat(body.path("data").path("inquiry").path("response").path("approved").asBoolean()).isTrue();
            // once: nothing more comes (a retry would follow within a second or two), and the log says delivered
            await("the log says delivered").atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(callbackDeliveries(id).path("data").path(0).path("status").asString())
                            .isEqualTo("delivered"));
            Thread.sleep(3_000);
            assertThat(receiver.received()).hasSize(1);
            assertThat(receiver.invalid()).isEmpty();
            assertThat(receiver.accepted()).containsExactly(Map.entry(callback.id(), 1));
            JsonNode log = callbackDeliveries(id);
            assertThat(log.path("total").asLong()).isEqualTo(1);
            assertThat(log.path("data").path(0).path("message_id").asString()).isEqualTo(callback.id());
            assertThat(log.path("data").path(0).path("tries").findValuesAsString("status")).containsExactly("delivered");
        }
    }

    @Test
    void everyDecisionReachesItsCallbackSignedOnceTheReceiverIsBack() throws Exception {
        String secret = "whsec_" + java.util.Base64.getEncoder().encodeToString("callback-key-of-32-bytes-exactly".getBytes());
        try (WebhookReceiver receiver = new WebhookReceiver(secret)) {
            receiver.down(); // the pipeline's receiver is away while the three are decided
            Map<String, Object> callback = Map.of("url", receiver.url(), "secret", secret);
            long approved = ask(ciToken, "Approve with a callback?", 600, approverId, callback).path("id").asLong();
            long timingOut = ask(ciToken, "Time out with a callback?", 1, approverId, callback).path("id").asLong();
            long cancelled = ask(ciToken, "Cancel with a callback?", 600, approverId, callback).path("id").asLong();
            suite.call("POST", "/api/v1/inquiries/" + approved + "/respond", approverToken,
                    "{\"response\": {\"approved\": true}}");
            suite.call("POST", "/api/v1/inquiries/" + cancelled + "/cancel", adminToken, null);
            await("the first tries, refused").atMost(Duration.ofSeconds(60))
                    .until(() -> decisionTries(approved, timingOut, cancelled) >= 3);
            assertThat(receiver.received()).isEmpty();
            receiver.up();

            await("every decision delivered").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> receiver.acceptedRequests().size() >= 3);
            Map<Long, String> types = new java.util.HashMap<>();
            for (WebhookReceiver.Received request : receiver.acceptedRequests()) {
                JsonNode body = Json.tree(request.body());
                types.put(body.path("data").path("inquiry").path("id").asLong(), body.path("type").asString());
            }
            assertThat(types).containsExactlyInAnyOrderEntriesOf(Map.of(approved, "inquiry.responded",
                    timingOut, "inquiry.timeout", cancelled, "inquiry.cancelled"));
            assertThat(receiver.invalid()).isEmpty();
            assertThat(receiver.accepted().values()).containsOnly(1); // each decision once, under one webhook-id
        }
    }

    @Test
    void askWaitExitsWithWhatWasDecided() throws Exception {
        AttuneCli cli = AttuneCli.withHome("ci").env("ATTUNE_URL", suite.apiUrl()).env("ATTUNE_TOKEN", ciToken);

        Process approving = cli.start("ask", "--prompt", "Approve e2e?", "--assign", Long.toString(approverId),
                "--context", "{\"build\": \"7\"}", "--wait", "-o", "json");
        long approvedId = awaitPendingInquiry("Approve e2e?");
        suite.call("POST", "/api/v1/inquiries/" + approvedId + "/respond", approverToken,
                "{\"response\": {\"approved\": true, \"comments\": \"go\"}}");
        Result approved = AttuneCli.finish(approving, 60);
        assertThat(approved.exitCode()).as(approved.toString()).isZero();
        assertThat(approved.json().path("outcome").asString()).isEqualTo("approved");
        assertThat(approved.json().path("data").path("response").path("comments").asString()).isEqualTo("go");

        Process rejecting = cli.start("ask", "--prompt", "Reject e2e?", "--assign", Long.toString(approverId), "--wait");
        long rejectedId = awaitPendingInquiry("Reject e2e?");
        suite.call("POST", "/api/v1/inquiries/" + rejectedId + "/respond", approverToken,
                "{\"response\": {\"approved\": false}}");
        Result rejected = AttuneCli.finish(rejecting, 60);
        assertThat(rejected.exitCode()).as(rejected.toString()).isEqualTo(5);
        assertThat(rejected.out()).contains("rejected");

        Result timedOut = cli.run("ask", "--prompt", "Nobody e2e?", "--assign", Long.toString(approverId),
                "--timeout", "2", "--wait");
        assertThat(timedOut.exitCode()).as(timedOut.toString()).isEqualTo(6);

        Process cancelling = cli.start("ask", "--prompt", "Cancel e2e?", "--assign", Long.toString(approverId),
                "--wait");
        long cancelledId = awaitPendingInquiry("Cancel e2e?");
        suite.call("POST", "/api/v1/inquiries/" + cancelledId + "/cancel", adminToken, null);
        Result cancelled = AttuneCli.finish(cancelling, 60);
        assertThat(cancelled.exitCode()).as(cancelled.toString()).isEqualTo(7);

        Result usage = cli.run("ask", "--prompt", "x", "--assign", "nobody");
        assertThat(usage.exitCode()).isEqualTo(2);
    }

    @Test
    void aRevokedTokenIsRefusedOnRestAndItsSocketClosedWithinFiveSeconds() throws Exception {
        long identity = suite.createIdentity("watcher-bot", "watcher-bot-password");
        JsonNode made = suite.call("POST", "/api/v1/tokens", adminToken,
                Json.write(Map.of("name", "watcher", "identity_id", identity))).path("data");
        String token = made.path("token").asString();
        AtomicReference<String> closed = new AtomicReference<>();
        WebSocket socket = HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .buildAsync(URI.create(suite.notifierUrl(1)), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        closed.set(statusCode + " " + reason);
                        return null;
                    }
                }).get(20, TimeUnit.SECONDS);
        assertThat(suite.send("GET", "/api/v1/me", token, null).statusCode()).isEqualTo(200);

        suite.call("DELETE", "/api/v1/tokens/" + made.path("id").asLong(), adminToken, null);
        long revoked = System.nanoTime();
        assertThat(suite.send("GET", "/api/v1/me", token, null).statusCode()).isEqualTo(401);
        await().atMost(Duration.ofSeconds(5)).until(() -> closed.get() != null);
        System.out.printf("e2e: a revoked API token's socket closed %.1f s after the DELETE (%s)%n",
                (System.nanoTime() - revoked) / 1e9, closed.get());
        assertThat(closed.get()).startsWith("4001");
        socket.abort();
        // the ci token of the other tests is untouched
        assertThat(suite.send("GET", "/api/v1/me", ciToken, null).statusCode()).isEqualTo(200);
        assertThat(ciTokenId).isPositive();
    }

    private static JsonNode ask(String token, String prompt, int timeoutSeconds, long assignee) {
        return ask(token, prompt, timeoutSeconds, assignee, null);
    }

    private static JsonNode ask(String token, String prompt, int timeoutSeconds, long assignee,
                                Map<String, Object> callback) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of("prompt", prompt,
                "response_schema", Map.of("type", "object", "properties", Map.of("approved", Map.of("type", "boolean")),
                        "required", List.of("approved")),
                "assigned_to", assignee, "timeout_seconds", timeoutSeconds,
                "context", Map.of("build", "512")));
        if (callback != null) {
            body.put("callback", callback);
        }
        return suite.call("POST", "/api/v1/inquiries", token, Json.write(body)).path("data");
    }

    /** Tries made so far to deliver these inquiries' decisions, as their requester reads them from the API. */
    private static int decisionTries(long... inquiries) {
        int tries = 0;
        for (long inquiry : inquiries) {
            for (JsonNode delivery : callbackDeliveries(inquiry).path("data")) {
                tries += delivery.path("tries").size();
            }
        }
        return tries;
    }

    /** The delivery log of the inquiry's callback, read by the pipeline that asked. */
    private static JsonNode callbackDeliveries(long inquiry) {
        return suite.call("GET", "/api/v1/inquiries/" + inquiry + "/callback/deliveries", ciToken, null);
    }

    private static CompletableFuture<HttpResponse<String>> waitFor(long id, int seconds, String token) {
        return CompletableFuture.supplyAsync(() -> suite.sendWithTimeout("GET",
                "/api/v1/inquiries/" + id + "?wait=" + seconds, token, null, Duration.ofSeconds(seconds + 30)), CALLERS);
    }

    /**
     * 200 arrivals at once each read the inquiry once: on a loaded machine 3 connections may not serve that burst
     * within the pool's 5 s, and those get 503 like any request that finds no connection; a client tries again, as
     * attune ask does. Waiting itself holds no connection (what the test checks).
     */
    private static CompletableFuture<HttpResponse<String>> waitRetryingWhenBusy(long id, int seconds, String token) {
        return CompletableFuture.supplyAsync(() -> {
            HttpResponse<String> response = null;
            for (int attempt = 0; attempt < 20; attempt++) {
                response = suite.sendWithTimeout("GET", "/api/v1/inquiries/" + id + "?wait=" + seconds, token, null,
                        Duration.ofSeconds(seconds + 30));
                if (response.statusCode() != 503) {
                    return response;
                }
                RunningSuiteSleep.sleep(500);
            }
            return response;
        }, CALLERS);
    }

    private static final class RunningSuiteSleep {
        static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static long awaitPendingInquiry(String prompt) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (JsonNode inquiry : suite.call("GET", "/api/v1/inquiries?status=pending&per_page=100", adminToken,
                    null).path("data")) {
                if (inquiry.path("prompt").asString().equals(prompt)) {
                    return inquiry.path("id").asLong();
                }
            }
            return null;
        }, id -> id != null);
    }

    /** The connections the api holds as Postgres sees them (by their application_name): each one's state. */
    private record ApiConnections(List<String> states, long notIdle) {
    }

    private static ApiConnections apiConnections() throws Exception {
        try (Connection connection = suite.environment().database().connect();
             var statement = connection.prepareStatement("SELECT coalesce(array_agg(state ORDER BY pid), '{}'), "
                     + "count(*) FILTER (WHERE state IS DISTINCT FROM 'idle') "
                     + "FROM pg_stat_activity WHERE application_name = ?")) {
            statement.setString(1, APP);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return new ApiConnections(List.of((String[]) rows.getArray(1).getArray()), rows.getLong(2));
            }
        }
    }
}
