package io.attune.notifier;

import io.attune.core.execution.Execution;
import io.attune.core.execution.ExecutionRepository;
import io.attune.core.execution.ExecutionTransitions;
import io.attune.core.identity.Identity;
import io.attune.core.identity.IdentityRepository;
import io.attune.core.identity.Role;
import io.attune.core.inquiry.Inquiry;
import io.attune.core.inquiry.InquiryRequestValidator;
import io.attune.core.inquiry.InquiryTransitions;
import io.attune.core.security.Tokens;
import io.attune.model.inquiry.InquiryRequest;
import io.attune.model.json.Json;
import io.attune.testsupport.AttuneTestEnvironment;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The notifier running on a random port against a database and broker namespace of its own (per test class). The
 * test context also runs the outbox relay ({@code attune.outbox.relay-enabled=true}), so that events produced here
 * through the core transitions reach the broker exactly as the other services' events do. It also issues tokens and
 * takes answers through links ({@code attune.tokens.issue}, {@code attune.integrations.answers}), as api-service does,
 * so that tests can play the people the notifier serves.
 */
@SpringBootTest(classes = NotifierApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"attune.outbox.relay-enabled=true", "attune.outbox.poll-interval=100ms",
                "attune.tokens.issue=true", "attune.integrations.answers=true"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public abstract class NotifierIntegrationTest {
    protected static final Duration WAIT = Duration.ofSeconds(20);
    protected static final JsonNode APPROVAL_SCHEMA = Json.tree("""
            {"type": "object", "properties": {"approved": {"type": "boolean"}}, "required": ["approved"]}""");
    protected static AttuneTestEnvironment environment;

    @LocalServerPort
    protected int port;
    @Autowired
    protected JdbcClient jdbc;
    @Autowired
    protected IdentityRepository identities;
    @Autowired
    protected ExecutionTransitions executionTransitions;
    @Autowired
    protected ExecutionRepository executions;
    @Autowired
    protected InquiryTransitions inquiryTransitions;
    @Autowired
    protected TransactionTemplate transactions;
    @Autowired
    protected Tokens tokens;
    @Autowired
    protected JwtEncoder jwtEncoder;
    @Autowired
    protected InquiryRequestValidator inquiryValidator;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        environment = AttuneTestEnvironment.create();
        environment.register(registry);
    }

    protected URI ws() {
        return ws(port);
    }

    protected static URI ws(int port) {
        return URI.create("ws://127.0.0.1:" + port + "/ws");
    }

    protected Identity identity(Role role) {
        String login = role.wire() + "-" + UUID.randomUUID().toString().substring(0, 8);
        return identities.create(login, login, "not-a-real-hash", EnumSet.of(role));
    }

    protected String token(Identity identity) {
        return tokens.issue(identity).token();
    }

    /** A token of the suite's secret that expires at the given moment. */
    protected String tokenExpiringAt(Identity identity, Instant expiresAt) {
        JwtClaimsSet claims = JwtClaimsSet.builder().issuer("attune").id(java.util.UUID.randomUUID().toString())
                .subject(Long.toString(identity.id()))
                .issuedAt(expiresAt.minusSeconds(3600)).expiresAt(expiresAt)
                .claim("login", identity.login()).claim("roles", identity.roleNames()).build();
        return jwtEncoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims))
                .getTokenValue();
    }

    protected WsClient connect(Identity identity) {
        return WsClient.connect(ws(), token(identity));
    }

    /** An inquiry opened the way executor-service opens one: a running execution reports an {@code __inquiry}. */
    protected Inquiry open(Long assignedTo) {
        return open(assignedTo, "Approve deployment?");
    }

    protected Inquiry open(Long assignedTo, String prompt) {
        Execution requested = executionTransitions.request("examples.deploy_approval", Json.object(), null, null);
        executionTransitions.markRunning(requested.id(), null);
        JsonNode result = Json.tree("{\"plan\": {\"version\": \"v2.5.0\"}, \"__inquiry\": {}}");
        return transactions.execute(tx -> inquiryTransitions.open(executions.lock(requested.id()).orElseThrow(),
                new InquiryRequest(prompt, APPROVAL_SCHEMA, assignedTo, 3600L), result, null));
    }

    /** An inquiry asked as an action asks it ({@code __inquiry}: groups, lists, escalation, reminders, …). */
    protected Inquiry openChecked(String inquiryJson) {
        InquiryRequestValidator.Result checked = inquiryValidator.validate(Json.tree(inquiryJson));
        assertThat(checked.problems()).isEmpty();
        Execution requested = executionTransitions.request("examples.deploy_approval", Json.object(), null, null);
        executionTransitions.markRunning(requested.id(), null);
        return transactions.execute(tx -> inquiryTransitions.open(executions.lock(requested.id()).orElseThrow(),
                checked.request(), Json.tree("{\"__inquiry\": {}}"), null));
    }

    protected Inquiry respond(Inquiry inquiry, Identity by) {
        return inquiryTransitions.respond(inquiry.id(), by.actor(), Json.tree("{\"approved\": true}"), null);
    }

    protected Inquiry cancel(Inquiry inquiry, Identity admin) {
        return inquiryTransitions.cancel(inquiry.id(), admin.actor(), null);
    }

    /** Lets the inquiry's timeout pass and runs the timeout checker. */
    protected void timeOut(Inquiry inquiry) {
        jdbc.sql("UPDATE attune.inquiry SET timeout_at = now() - interval '1 second' WHERE id = ?")
                .param(inquiry.id()).update();
        inquiryTransitions.timeOutExpired(100, null);
    }

    /** The public id the relay gave the inquiry's event of this type (waits for the relay to assign it). */
    protected long eventId(Inquiry inquiry, String messageType) {
        return await().atMost(WAIT).until(() -> jdbc.sql("SELECT id FROM attune.event WHERE inquiry_id = ? "
                                + "AND message_type = ? AND id IS NOT NULL").params(inquiry.id(), messageType)
                        .query(Long.class).optional().orElse(null), id -> id != null);
    }

    /** The public ids of these inquiries' events of this type, in the inquiries' order (waits for the relay). */
    protected List<Long> eventIds(List<Inquiry> inquiries, String messageType) {
        Long[] inquiryIds = inquiries.stream().map(Inquiry::id).toArray(Long[]::new);
        List<Long> ids = await().atMost(WAIT).until(() -> jdbc.sql("SELECT e.id FROM unnest(?::bigint[]) WITH "
                        + "ORDINALITY AS i(inquiry_id, n) JOIN attune.event e ON e.inquiry_id = i.inquiry_id "
                        + "AND e.message_type = ? AND e.id IS NOT NULL ORDER BY i.n")
                .params(inquiryIds, messageType).query(Long.class).list(), found -> found.size() == inquiryIds.length);
        return ids;
    }

    /** Ids of every stored inquiry event above {@code after}, in order (what a replay of everything returns). */
    protected List<Long> inquiryEventIds(long after) {
        return jdbc.sql("SELECT id FROM attune.event WHERE id > ? AND inquiry_id IS NOT NULL ORDER BY id")
                .param(after).query(Long.class).list();
    }

    protected static List<Long> ids(List<JsonNode> notifications) {
        return notifications.stream().map(n -> n.get("id").asLong()).toList();
    }
}
