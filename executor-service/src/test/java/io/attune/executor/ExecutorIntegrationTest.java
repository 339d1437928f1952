package io.attune.executor;

import io.attune.core.execution.Execution;
import io.attune.core.execution.ExecutionRepository;
import io.attune.core.identity.Identity;
import io.attune.core.identity.IdentityRepository;
import io.attune.core.identity.Role;
import io.attune.core.inquiry.Inquiry;
import io.attune.core.inquiry.InquiryRepository;
import io.attune.model.ExecutionStatus;
import io.attune.model.json.Json;
import io.attune.model.message.ExecutionCompleted;
import io.attune.model.message.MessageEnvelope;
import io.attune.testsupport.AttuneTestEnvironment;
import io.attune.testsupport.BrokerProbe;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * The executor as it runs in production — its own consumers, timeout checker and outbox relay — on a database and
 * broker namespace of its own (per test class). Tests talk to it the way workers and the api-service do: through
 * messages on the exchange and through the core's transitions.
 */
@SpringBootTest(classes = ExecutorApplication.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public abstract class ExecutorIntegrationTest {
    public static final String COMPLETED_QUEUE = "executor.execution.completed";
    public static final String RESPONDED_QUEUE = "executor.inquiry.responded";
    protected static final Duration WAIT = Duration.ofSeconds(15);
    protected static AttuneTestEnvironment environment;

    @Autowired
    protected JdbcClient jdbc;
    @Autowired
    protected ExecutionRepository executions;
    @Autowired
    protected InquiryRepository inquiries;
    @Autowired
    protected IdentityRepository identities;
    @Autowired
    protected MeterRegistry meters;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        environment = AttuneTestEnvironment.create();
        environment.register(registry);
        for (String queue : io.attune.model.message.ConsumerQueues.DURABLE) {
            environment.namespace().queue(queue);
            environment.namespace().queue(queue + ".dlq");
        }
    }

    /** The real name of one of the executor's queues in this test's namespace. */
    protected static String queue(String name) {
        return environment.namespace().queuePrefix() + name;
    }

    protected Execution runningExecution() {
        Execution execution = executions.insert("examples.deploy_approval", Json.object(), null);
        jdbc.sql("UPDATE attune.execution SET status = 'running' WHERE id = ?").param(execution.id()).update();
        return executions.find(execution.id()).orElseThrow();
    }

    protected Identity identity() {
        String login = "user-" + UUID.randomUUID().toString().substring(0, 8);
        return identities.create(login, login, "not-a-real-hash", EnumSet.of(Role.USER));
    }

    /** A worker's report of {@code execution}, as it would publish it. */
    protected static MessageEnvelope<ExecutionCompleted> report(Execution execution, ExecutionStatus status,
                                                                JsonNode result) {
        return MessageEnvelope.of(new ExecutionCompleted(execution.id(), execution.actionRef(), status, result,
                Instant.now()), UUID.randomUUID(), "worker-service");
    }

    protected Execution awaitStatus(long executionId, ExecutionStatus status) {
        return await().atMost(WAIT).until(() -> executions.find(executionId).orElseThrow(),
                e -> e.status() == status);
    }

    protected List<Inquiry> inquiriesOf(long executionId) {
        return jdbc.sql("SELECT id FROM attune.inquiry WHERE execution = ? ORDER BY id").param(executionId)
                .query(Long.class).list().stream().map(id -> inquiries.find(id).orElseThrow()).toList();
    }

    protected double count(String meter) {
        return meters.counter(meter).count();
    }

    protected BrokerProbe probe(String... routingKeys) {
        return new BrokerProbe(environment, routingKeys);
    }
}
