package io.attune.e2e.ui;

import io.attune.e2e.RunningSuite;
import io.attune.e2e.SharedSuites;
import io.attune.model.ExecutionStatus;
import io.attune.model.json.Json;
import io.attune.model.message.ExecutionCompleted;
import io.attune.model.message.MessageEnvelope;
import io.attune.testsupport.BrokerProbe;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * The running suite the browser tests share — notifier, executor and api as separate processes (the api told where
 * the notifier is) on a database and broker namespace of their own — started once for all of them and stopped when
 * they are done. No worker runs: a test plays the worker by publishing ExecutionCompleted itself.
 * Use with {@code @ExtendWith({Browser.Installed.class, UiSuite.Extension.class})} (no browser: no services started
 * either) and a {@code UiSuite} parameter.
 */
final class UiSuite implements AutoCloseable {
    static final String GROUP = "browser";
    static final String ACTION = "ui_tests.approval";

    private final RunningSuite suite;
    private final BrokerProbe broker;
    private final String adminToken;

    private UiSuite(RunningSuite suite) {
        this.suite = suite;
        this.broker = new BrokerProbe(suite.environment(), "no.messages.wanted");
        this.adminToken = suite.adminToken();
    }

    String baseUrl() {
        return suite.apiUrl();
    }

    RunningSuite running() {
        return suite;
    }

    /** A person who can sign in. */
    record User(long id, String login, String password) {
    }

    /** A new identity with the role {@code user}; logins are unique per call. */
    User user(String name) {
        return identity(name, null, "user");
    }

    User user(String name, String displayName) {
        return identity(name, displayName, "user");
    }

    User identity(String name, String displayName, String... roles) {
        String login = name + "-" + UUID.randomUUID().toString().substring(0, 6);
        String password = "password-of-" + login;
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("login", login);
        request.put("password", password);
        request.put("display_name", displayName == null ? login : displayName);
        request.put("roles", List.of(roles));
        long id = suite.call("POST", "/api/v1/identities", adminToken, Json.write(request)).path("data").path("id")
                .asLong();
        return new User(id, login, password);
    }

    /** The bootstrap admin. */
    User admin() {
        long id = suite.call("POST", "/auth/login", null, Json.write(Map.of("login", "admin",
                "password", RunningSuite.ADMIN_PASSWORD))).path("data").path("user").path("id").asLong();
        return new User(id, "admin", RunningSuite.ADMIN_PASSWORD);
    }

    String token(User user) {
        return suite.login(user.login(), user.password());
    }

    /** The seed's deployment approval: its schema and its deployment plan as context. */
    static JsonNode deploymentSchema() {
        return resource("deployment-schema.json");
    }

    static JsonNode deploymentContext() {
        return resource("deployment-context.json");
    }

    static JsonNode resource(String name) {
        try (InputStream in = UiSuite.class.getResourceAsStream("/ui/" + name)) {
            return Json.tree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a worker does: an execution is requested and its action answers with {@code __inquiry}. */
    Opened openInquiry(String prompt, JsonNode schema, Long assignedTo, long timeoutSeconds, JsonNode context) {
        return openInquiry(ACTION, prompt, schema, assignedTo, timeoutSeconds, context);
    }

    Opened openInquiry(String actionRef, String prompt, JsonNode schema, Long assignedTo, long timeoutSeconds,
                       JsonNode context) {
        long execution = requestExecution(actionRef);
        publishCompletion(execution, actionRef, prompt, schema, assignedTo, timeoutSeconds, context);
        long inquiry = await().atMost(Browser.ACROSS_SERVICES).pollInterval(Duration.ofMillis(100))
                .until(() -> suite.call("GET", "/api/v1/inquiries?execution=" + execution, adminToken, null)
                        .path("data"), rows -> rows.size() == 1)
                .get(0).path("id").asLong();
        return new Opened(execution, inquiry, prompt);
    }

    /** An execution as the API creates it ({@code requested}; no worker runs it). */
    long requestExecution() {
        return requestExecution(ACTION);
    }

    long requestExecution(String actionRef) {
        return suite.call("POST", "/api/v1/executions", adminToken,
                Json.write(Map.of("action_ref", actionRef, "parameters", Map.of()))).path("data").path("id").asLong();
    }

    /** The worker's report with {@code __inquiry}; the inquiry appears once the executor has handled it. */
    void publishCompletion(long execution, String prompt, JsonNode schema, Long assignedTo, long timeoutSeconds,
                           JsonNode context) {
        publishCompletion(execution, ACTION, prompt, schema, assignedTo, timeoutSeconds, context);
    }

    void publishCompletion(long execution, String actionRef, String prompt, JsonNode schema, Long assignedTo,
                           long timeoutSeconds, JsonNode context) {
        publishCompletion(execution, actionRef, prompt, schema,
                assignedTo == null ? null : Json.mapper().getNodeFactory().numberNode(assignedTo), timeoutSeconds,
                context);
    }

    /** An inquiry assigned as {@code assignedTo} says: a user id, {"user"}, {"group"} or a list. */
    Opened openInquiry(String prompt, JsonNode schema, JsonNode assignedTo, long timeoutSeconds) {
        long execution = requestExecution(ACTION);
        publishCompletion(execution, ACTION, prompt, schema, assignedTo, timeoutSeconds, null);
        long inquiry = await().atMost(Browser.ACROSS_SERVICES).pollInterval(Duration.ofMillis(100))
                .until(() -> suite.call("GET", "/api/v1/inquiries?execution=" + execution, adminToken, null)
                        .path("data"), rows -> rows.size() == 1)
                .get(0).path("id").asLong();
        return new Opened(execution, inquiry, prompt);
    }

    /** A new group with these members (admin API). */
    String group(User... members) {
        String name = "ui-" + UUID.randomUUID().toString().substring(0, 8);
        suite.call("POST", "/api/v1/groups", adminToken, Json.write(Map.of("name", name,
                "members", java.util.Arrays.stream(members).map(User::id).toList())));
        return name;
    }

    void publishCompletion(long execution, String actionRef, String prompt, JsonNode schema, JsonNode assignedTo,
                           long timeoutSeconds, JsonNode context) {
        ObjectNode request = Json.object();
        request.put("prompt", prompt);
        request.set("response_schema", schema);
        if (assignedTo != null) {
            request.set("assigned_to", assignedTo);
        }
        request.put("timeout_seconds", timeoutSeconds);
        ObjectNode result = Json.object();
        result.set("__inquiry", request);
        if (context != null) {
            context.properties().forEach(entry -> result.set(entry.getKey(), entry.getValue()));
        }
        broker.publish(MessageEnvelope.of(new ExecutionCompleted(execution, actionRef, ExecutionStatus.COMPLETED,
                result, Instant.now()), null, "worker-service"));
    }

    /** As {@link #openInquiry}, the worker's report carrying {@code inquiry} as its {@code __inquiry}, whatever it holds. */
    Opened openRequest(JsonNode inquiry) {
        long execution = requestExecution(ACTION);
        ObjectNode result = Json.object();
        result.set("__inquiry", inquiry);
        broker.publish(MessageEnvelope.of(new ExecutionCompleted(execution, ACTION, ExecutionStatus.COMPLETED,
                result, Instant.now()), null, "worker-service"));
        long id = await().atMost(Browser.ACROSS_SERVICES).pollInterval(Duration.ofMillis(100))
                .until(() -> suite.call("GET", "/api/v1/inquiries?execution=" + execution, adminToken, null)
                        .path("data"), rows -> rows.size() == 1)
                .get(0).path("id").asLong();
        return new Opened(execution, id, inquiry.path("prompt").asString());
    }

    record Opened(long execution, long inquiry, String prompt) {
    }

    JsonNode inquiry(long id) {
        return suite.call("GET", "/api/v1/inquiries/" + id, adminToken, null).path("data");
    }

    JsonNode execution(long id) {
        return suite.call("GET", "/api/v1/executions/" + id, adminToken, null).path("data");
    }

    @Override
    public void close() {
        try {
            broker.close();
        } finally {
            suite.close();
        }
    }

    /**
     * Resolves {@link UiSuite} parameters: one suite for every browser test in the run (the classes of
     * {@link SharedSuites.Group} {@value #GROUP}, run one after another), closed after the last.
     */
    static final class Extension implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == UiSuite.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return SharedSuites.get(context, GROUP, UiSuite.class,
                    () -> new UiSuite(RunningSuite.start("notifier", "executor", "api")));
        }
    }
}
