package io.attune.e2e;

import io.attune.model.json.Json;
import io.attune.model.ws.SubscriptionFilters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The gate, tried against the built jars as separate processes: nobody approves their own request unless the
 * inquiry allows it; a disabled identity, a logged-out token and a changed role take effect on REST and on open
 * WebSockets within five seconds; logins are throttled by name and by client address; the actuator tells strangers
 * only whether a service is up. How long each change took to reach the notifier is printed, not asserted beyond the
 * promised five seconds.
 *
 * <p>The api of the shared {@link StandardSuite} trusts {@code X-Forwarded-For} from the loopback (as behind a
 * proxy), so that each throttling test comes from an address of its own. Logins are this class's own
 * ({@link StandardSuite#unique}).
 */
@StandardSuite.Uses
class SecurityTest {
    private static final Duration PROMISED = Duration.ofSeconds(5);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static RunningSuite suite;
    private static String admin;
    private static StandardSuite shared;

    @BeforeAll
    static void start(StandardSuite suiteOfTheClass) {
        shared = suiteOfTheClass;
        suite = shared.running();
        admin = suite.adminToken();
    }

    /** A login of this class's own. */
    private static String name(String login) {
        return shared.unique(login);
    }

    // --- self-approval ----------------------------------------------------------------------------------------

    @Test
    void theRequesterGets403SelfApprovalAndAColleagueAnswers() {
        suite.createIdentity(name("sa-requester"), "requester-password");
        suite.createIdentity(name("sa-colleague"), "colleague-password");
        String requester = suite.login(name("sa-requester"), "requester-password");
        String colleague = suite.login(name("sa-colleague"), "colleague-password");

        Paused paused = askFor(requester, Map.of("prompt", "Deploy billing 3.1?"));
        assertThat(paused.execution.path("requested_by").asLong())
                .isEqualTo(me(requester).path("id").asLong());

        HttpResponse<String> refused = respond(paused.inquiryId, requester);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(Json.tree(refused.body()).path("code").asString()).isEqualTo("SELF_APPROVAL");
        assertThat(suite.call("GET", "/api/v1/inquiries/" + paused.inquiryId, admin, null).path("data")
                .path("status").asString()).isEqualTo("pending");

        HttpResponse<String> answered = respond(paused.inquiryId, colleague);
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
    }

    @Test
    void anInquiryThatAllowsSelfApprovalIsAnsweredByItsRequester() {
        suite.createIdentity(name("sa-solo"), "solo-password");
        String solo = suite.login(name("sa-solo"), "solo-password");
        Paused paused = askFor(solo, Map.of("prompt", "Restart my sandbox?", "allow_self_approval", true));
        HttpResponse<String> answered = respond(paused.inquiryId, solo);
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
    }

    // --- sessions ---------------------------------------------------------------------------------------------

    @Test
    void aDisabledIdentitysOpenSocketIsClosedWith4001AndItsTokenRefused() {
        long id = suite.createIdentity(name("se-disabled"), "disabled-password");
        String token = suite.login(name("se-disabled"), "disabled-password");
        try (NotificationClient socket = NotificationClient.subscribe("disabled", suite.notifierUrl(1), token,
                SubscriptionFilters.NONE)) {
            long changed = System.nanoTime();
            suite.call("PATCH", "/api/v1/identities/" + id, admin, "{\"disabled\": true}");

            awaitClose(socket, "4001", changed, "disabling an identity");
            assertThat(suite.send("GET", "/api/v1/inquiries", token, null).statusCode()).isEqualTo(401);
            assertThat(suite.send("POST", "/auth/login", null, Json.write(Map.of("login", name("se-disabled"),
                    "password", "disabled-password"))).statusCode()).isEqualTo(401);
            assertThat(upgradeStatus(token)).isEqualTo(401);
        }
    }

    @Test
    void afterLogoutTheTokenIs401OnRestAndWebSocket() {
        suite.createIdentity(name("se-logout"), "logout-password");
        String token = suite.login(name("se-logout"), "logout-password");
        String otherDevice = suite.login(name("se-logout"), "logout-password");
        try (NotificationClient socket = NotificationClient.subscribe("logout", suite.notifierUrl(1), token,
                SubscriptionFilters.NONE)) {
            long loggedOut = System.nanoTime();
            assertThat(suite.send("POST", "/auth/logout", token, null).statusCode()).isEqualTo(204);

            assertThat(suite.send("GET", "/api/v1/me", token, null).statusCode()).isEqualTo(401);
            awaitClose(socket, "4001", loggedOut, "logging out");
            assertThat(upgradeStatus(token)).isEqualTo(401);
            assertThat(suite.send("GET", "/api/v1/me", otherDevice, null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aDemotedAdminLosesTheRoleOnRestAndWebSocketWithinSeconds() {
        long id = suite.createIdentity(name("se-demoted"), "demoted-password", "admin");
        String token = suite.login(name("se-demoted"), "demoted-password");
        try (NotificationClient socket = NotificationClient.subscribe("demoted", suite.notifierUrl(1), token,
                SubscriptionFilters.NONE)) {
            long changed = System.nanoTime();
            suite.call("PATCH", "/api/v1/identities/" + id, admin, "{\"roles\": [\"user\"]}");

            assertThat(suite.send("GET", "/api/v1/identities", token, null).statusCode()).isEqualTo(403);
            awaitClose(socket, "4003", changed, "demoting an admin");
            assertThat(me(token).path("roles").toString()).isEqualTo("[\"user\"]");
        }
    }

    // --- login throttling -------------------------------------------------------------------------------------

    @Test
    void fiveFailuresForALoginNameGet429WithRetryAfterEvenWithTheRightPassword() {
        suite.createIdentity(name("th-name"), "the-right-password");
        for (int i = 0; i < 5; i++) {
            assertThat(login(name("th-name"), "wrong-" + i, "198.51.100.1").statusCode()).isEqualTo(401);
        }
        HttpResponse<String> refused = login(name("th-name"), "the-right-password", "198.51.100.2");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(Json.tree(refused.body()).path("code").asString()).isEqualTo("RATE_LIMITED");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 900L);
    }

    @Test
    void thirtyFailuresFromAnAddressGet429ForEveryLoginFromIt() {
        suite.createIdentity(name("th-address"), "the-right-password");
        for (int i = 0; i < 30; i++) {
            assertThat(login(name("th-nobody-" + i), "guess", "203.0.113.7").statusCode()).isEqualTo(401);
        }
        HttpResponse<String> refused = login(name("th-address"), "the-right-password", "203.0.113.7");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
        assertThat(login(name("th-address"), "the-right-password", "203.0.113.8").statusCode())
                .as("another address").isEqualTo(200);
    }

    // --- operations -------------------------------------------------------------------------------------------

    @Test
    void everyServiceTellsStrangersOnlyItsStatusAndAdminsEverything() {
        suite.createIdentity(name("ops-user"), "ops-user-password");
        String user = suite.login(name("ops-user"), "ops-user-password");
        for (String name : List.of("api-1", "executor-1", "notifier-1")) {
            int port = suite.service(name).port();
            HttpResponse<String> health = get(port, "/actuator/health", null);
            assertThat(health.statusCode()).as(name).isEqualTo(200);
            assertThat(Json.tree(health.body()).propertyNames()).as(name).containsExactly("status");
            assertThat(get(port, "/actuator/prometheus", null).statusCode()).as(name).isEqualTo(401);
            assertThat(get(port, "/actuator/prometheus", user).statusCode()).as(name).isEqualTo(403);
            assertThat(get(port, "/actuator/prometheus", admin).statusCode()).as(name).isEqualTo(200);
            assertThat(Json.tree(get(port, "/actuator/health", admin).body()).path("components").path("db")
                    .path("status").asString()).as(name).isEqualTo("UP");
        }
    }

    @Test
    void theWebUiAndSwaggerSendAContentSecurityPolicyHeader() {
        int port = suite.service("api-1").port();
        assertThat(get(port, "/", null).headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(policy -> assertThat(policy).contains("script-src 'self'"));
        assertThat(get(port, "/swagger-ui/index.html", null).headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(policy -> assertThat(policy).contains("frame-ancestors 'none'"));
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    private record Paused(long executionId, long inquiryId, JsonNode execution) {
    }

    /** Runs {@code e2e.echo} as {@code token}, with {@code inquiry} as its result's __inquiry, until it pauses. */
    private static Paused askFor(String token, Map<String, Object> inquiry) {
        Map<String, Object> fields = new LinkedHashMap<>(inquiry);
        fields.put("response_schema", Map.of("type", "object", "properties",
                Map.of("approved", Map.of("type", "boolean")), "required", List.of("approved")));
        long executionId = suite.call("POST", "/api/v1/executions", token, Json.write(Map.of(
                "action_ref", TestPacks.ECHO, "parameters", Map.of("__inquiry", fields)))).path("data").path("id").asLong();
        JsonNode execution = await("execution " + executionId + " pauses").atMost(Duration.ofSeconds(60))
                .until(() -> suite.call("GET", "/api/v1/executions/" + executionId, admin, null).path("data"),
                        e -> e.path("status").asString().equals("paused"));
        long inquiryId = suite.call("GET", "/api/v1/inquiries?execution=" + executionId, admin, null)
                .path("data").get(0).path("id").asLong();
        return new Paused(executionId, inquiryId, execution);
    }

    private static HttpResponse<String> respond(long inquiryId, String token) {
        return suite.send("POST", "/api/v1/inquiries/" + inquiryId + "/respond", token,
                "{\"response\": {\"approved\": true}}");
    }

    private static JsonNode me(String token) {
        return suite.call("GET", "/api/v1/me", token, null).path("data");
    }

    /** Waits (up to the promised five seconds) until the server closed the socket with {@code code}. */
    private static void awaitClose(NotificationClient socket, String code, long changedAt, String what) {
        await(what + " closes the socket with " + code).atMost(PROMISED).pollInterval(Duration.ofMillis(20))
                .until(() -> socket.closedWith() != null);
        assertThat(socket.closedWith()).startsWith(code);
        System.out.printf("SecurityTest: %s closed an open socket (%s) after %d ms%n", what, code,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - changedAt));
    }

    /** The HTTP status of a WebSocket upgrade to the notifier with {@code token} (101 when it was accepted). */
    private static int upgradeStatus(String token) {
        try {
            WebSocket socket = HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                    .buildAsync(URI.create(suite.notifierUrl(1)), new WebSocket.Listener() {
                    }).get(20, TimeUnit.SECONDS);
            socket.abort();
            return 101;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            return fail("the upgrade failed otherwise", e);
        } catch (Exception e) {
            return fail("the upgrade failed otherwise", e);
        }
    }

    /** A login as if through a proxy for client {@code address}. */
    private static HttpResponse<String> login(String login, String password, String address) {
        return send(HttpRequest.newBuilder(URI.create(suite.apiUrl() + "/auth/login"))
                .header("Content-Type", "application/json").header("X-Forwarded-For", address)
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("login", login, "password", password))))
                .build());
    }

    private static HttpResponse<String> get(int port, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
