package io.attune.api;

import io.attune.core.execution.Execution;
import io.attune.core.execution.ExecutionRepository;
import io.attune.core.identity.Identity;
import io.attune.core.identity.IdentityRepository;
import io.attune.core.identity.Role;
import io.attune.core.inquiry.Inquiry;
import io.attune.core.inquiry.InquiryTransitions;
import io.attune.core.security.Tokens;
import io.attune.model.inquiry.InquiryRequest;
import io.attune.model.json.Json;
import io.attune.testsupport.AttuneTestEnvironment;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import java.util.EnumSet;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The api-service as it runs — real HTTP on a random port, its own Postgres database and broker namespace per test
 * class — with fixtures that create what other services would have created (identities, inquiries).
 * Each concrete class declares a {@code @DynamicPropertySource} that calls {@link #start}.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public abstract class ApiIntegrationTest {
    public static final String ADMIN_PASSWORD = "admin-password-for-tests";
    public static final JsonNode APPROVAL_SCHEMA = Json.tree("""
            {"type": "object", "properties": {"approved": {"type": "boolean"}, "comments": {"type": "string"}},
             "required": ["approved"]}""");

    protected static AttuneTestEnvironment environment;

    @LocalServerPort
    protected int port;
    @Autowired
    protected JdbcClient jdbc;
    @Autowired
    protected IdentityRepository identities;
    @Autowired
    protected ExecutionRepository executions;
    @Autowired
    protected InquiryTransitions inquiryTransitions;
    @Autowired
    protected TransactionTemplate transactions;
    @Autowired
    protected Tokens tokens;

    /** A fresh database and broker namespace (adjusted by {@code customize}), configured as docs/protocol.md §6 says. */
    protected static void start(DynamicPropertyRegistry registry, UnaryOperator<AttuneTestEnvironment> customize) {
        environment = customize.apply(AttuneTestEnvironment.create());
        environment.register(registry);
        registry.add("ATTUNE_ADMIN_PASSWORD", () -> ADMIN_PASSWORD);
    }

    protected static void start(DynamicPropertyRegistry registry) {
        start(registry, UnaryOperator.identity());
    }

    protected ApiClient api() {
        return new ApiClient(port);
    }

    /** An identity with a password nobody knows (tests that need one log in get a token from {@link #token}). */
    protected Identity identity(Role... roles) {
        String login = "user-" + UUID.randomUUID().toString().substring(0, 8);
        return identities.create(login, "User " + login, "not-a-bcrypt-hash",
                roles.length == 0 ? EnumSet.of(Role.USER) : EnumSet.of(roles[0], roles));
    }

    protected String token(Identity identity) {
        return tokens.issue(identity).token();
    }

    protected Identity admin() {
        return identity(Role.ADMIN);
    }

    /** What the executor does on a worker's report with {@code __inquiry}: a pending inquiry, its execution paused. */
    protected Inquiry openInquiry(Long assignedTo, JsonNode schema, Long timeoutSeconds) {
        Execution execution = executions.insert("examples.deploy_approval", Json.tree("{\"version\":\"v2.5.0\"}"), null);
        JsonNode result = Json.tree("{\"deployment_plan\": {\"target\": \"production\"}, \"__inquiry\": {}}");
        return transactions.execute(tx -> inquiryTransitions.open(executions.lock(execution.id()).orElseThrow(),
                new InquiryRequest("Approve deployment to production?", schema, assignedTo, timeoutSeconds), result,
                null));
    }

    /**
     * The contract's error body and nothing else: {@code {"error","code","details"}} with a human message and no
     * stack trace or Java class names.
     */
    public static JsonNode assertError(ApiClient.Response response, int status, String code) {
        assertThat(response.status()).as("status of %s", response).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode body = response.json();
        assertThat(body.propertyNames()).containsExactlyInAnyOrder("error", "code", "details");
        assertThat(body.get("code").asString()).isEqualTo(code);
        assertThat(body.get("error").asString()).isNotBlank();
        assertThat(body.get("details").isArray()).isTrue();
        assertThat(response.body()).doesNotContain("Exception", "at io.", "at org.", "java.", "tools.jackson");
        return body;
    }

    protected Inquiry openInquiry(Long assignedTo) {
        return openInquiry(assignedTo, APPROVAL_SCHEMA, 3600L);
    }
}
