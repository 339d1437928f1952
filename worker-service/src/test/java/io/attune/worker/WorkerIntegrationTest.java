package io.attune.worker;

import io.attune.core.event.Outbox;
import io.attune.core.execution.Execution;
import io.attune.core.execution.ExecutionRepository;
import io.attune.core.execution.ExecutionTransitions;
import io.attune.model.ExecutionStatus;
import io.attune.model.json.Json;
import io.attune.model.message.ExecutionCompleted;
import io.attune.model.message.ExecutionRequested;
import io.attune.model.message.ExecutionStatusChanged;
import io.attune.model.message.MessageEnvelope;
import io.attune.testsupport.AttuneTestEnvironment;
import io.attune.worker.execution.WorkerConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker on a database and broker namespace of its own (per test class). Executions are created the way
 * {@code POST /api/v1/executions} creates them — {@link ExecutionTransitions#request} — and what the worker does is
 * seen where everyone else sees it: on the broker.
 */
@SpringBootTest(classes = WorkerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public abstract class WorkerIntegrationTest {
    protected static final Duration WAIT = Duration.ofSeconds(30);
    protected static AttuneTestEnvironment environment;

    @Autowired
    protected ExecutionTransitions transitions;
    @Autowired
    protected ExecutionRepository executions;
    @Autowired
    protected Outbox outbox;
    @Autowired
    protected TransactionTemplate transactions;

    protected ExecutionEvents events;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        environment = AttuneTestEnvironment.create();
        environment.register(registry);
        environment.namespace().queue(WorkerConfiguration.CONSUMER);
        environment.namespace().queue(WorkerConfiguration.CONSUMER + ".dlq");
    }

    @BeforeEach
    void watchTheBroker() {
        events = new ExecutionEvents(environment);
    }

    @AfterEach
    void stopWatching() {
        events.close();
    }

    /** A new execution, as the API creates one, with its ExecutionRequested on the way to the worker. */
    protected Execution request(String actionRef, String parameters) {
        return transitions.request(actionRef, Json.tree(parameters), null, UUID.randomUUID());
    }

    /** An execution whose action_ref the API would refuse (a worker must cope with any message it receives). */
    protected Execution requestUnchecked(String actionRef) {
        return transactions.execute(tx -> {
            Execution execution = executions.insert(actionRef, Json.object(), null);
            outbox.append(new ExecutionRequested(execution.id(), actionRef, Json.object()), UUID.randomUUID());
            return execution;
        });
    }

    /** Waits for the worker to take the execution (requested → running) and to report how it ended. */
    protected ExecutionCompleted runToCompletion(Execution execution) {
        MessageEnvelope<ExecutionStatusChanged> running = events.statusChange(execution.id(), WAIT);
        assertThat(running.payload().previousStatus()).isEqualTo(ExecutionStatus.REQUESTED);
        assertThat(running.payload().status()).isEqualTo(ExecutionStatus.RUNNING);
        return events.completion(execution.id(), WAIT).payload();
    }
}
