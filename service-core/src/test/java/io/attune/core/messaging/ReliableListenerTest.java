package io.attune.core.messaging;

import com.rabbitmq.client.GetResponse;
import io.attune.core.CoreTestApplication;
import io.attune.model.json.Json;
import io.attune.model.message.ExecutionRequested;
import io.attune.model.message.MalformedMessageException;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessageType;
import io.attune.model.message.Messages;
import io.attune.testsupport.AttuneTestEnvironment;
import io.attune.testsupport.BrokerProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A consumer built by {@link Consumers} on a real broker: a poison message never blocks the queue and is never lost.
 * The test handler fails for some action refs: "examples.always_fails" (an ordinary exception, every time) and
 * "examples.unprocessable" (MalformedMessageException: no retry can help).
 */
@SpringBootTest(classes = {CoreTestApplication.class, ReliableListenerTest.TestConsumer.class},
        properties = {"spring.application.name=core-test", "attune.amqp.max-attempts=3",
                "attune.amqp.retry-delay=300ms", "attune.amqp.max-retry-delay=600ms", "attune.amqp.concurrency=1"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ReliableListenerTest {
    static final String NAME = "test.consumer";
    static AttuneTestEnvironment environment;
    static final List<Long> handled = new CopyOnWriteArrayList<>();
    static final Map<Long, AtomicInteger> attempts = new ConcurrentHashMap<>();
    static final Map<Long, List<Long>> attemptTimes = new ConcurrentHashMap<>();
    static final Map<Long, Long> handledAt = new ConcurrentHashMap<>();
    static final java.util.concurrent.atomic.AtomicBoolean postProcessorThrows = new java.util.concurrent.atomic.AtomicBoolean();

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        environment = AttuneTestEnvironment.create();
        environment.register(registry);
        environment.namespace().queue(NAME);
        environment.namespace().queue(NAME + ".dlq");
        environment.namespace().queue(NAME + ".retry.300ms");
        environment.namespace().queue(NAME + ".retry.600ms");
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class TestConsumer {
        @Bean
        Declarables testQueues(Consumers consumers) {
            return consumers.declarables(NAME, MessageType.EXECUTION_REQUESTED);
        }

        @Bean
        SimpleMessageListenerContainer testContainer(Consumers consumers) {
            SimpleMessageListenerContainer container = consumers.container(NAME, envelope -> {
                ExecutionRequested request = (ExecutionRequested) envelope.payload();
                int attempt = attempts.computeIfAbsent(request.executionId(), id -> new AtomicInteger())
                        .incrementAndGet();
                attemptTimes.computeIfAbsent(request.executionId(), id -> new CopyOnWriteArrayList<>())
                        .add(System.nanoTime());
                switch (request.actionRef()) {
                    case "examples.always_fails" -> throw new IllegalStateException("the handler always fails");
                    case "examples.unprocessable" -> throw new MalformedMessageException("status is missing");
                    case "examples.overflows" -> throw new StackOverflowError();
                    case "examples.out_of_memory" -> throw new OutOfMemoryError("Java heap space");
                    case "examples.deadlocks" -> throw new CannotAcquireLockException("deadlock detected",
                            new SQLException("ERROR: deadlock detected", "40P01"));
                    case "examples.query_timeout" -> throw new QueryTimeoutException("statement timeout",
                            new SQLException("ERROR: canceling statement due to statement timeout", "57014"));
                    case "examples.database_down_four_times" -> {
                        if (attempt <= 4) {
                            throw new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                                    new SQLException("Connection to 127.0.0.1:5432 refused", "08001"));
                        }
                        handled.add(request.executionId());
                    }
                    default -> {
                        handledAt.put(request.executionId(), System.nanoTime());
                        handled.add(request.executionId());
                    }
                }
            });
            // an Error raised by the container itself, outside the listener, when a test asks for one
            container.setAfterReceivePostProcessors(message -> {
                if (postProcessorThrows.compareAndSet(true, false)) {
                    throw new StackOverflowError("raised outside the listener");
                }
                return message;
            });
            return container;
        }
    }

    @Autowired
    SimpleMessageListenerContainer container;

    BrokerProbe probe;

    @BeforeEach
    void openProbe() {
        probe = new BrokerProbe(environment, "nothing.to.see");
    }

    @AfterEach
    void closeProbe() {
        probe.close();
    }

    static MessageEnvelope<ExecutionRequested> request(long executionId, String actionRef) {
        return MessageEnvelope.of(new ExecutionRequested(executionId, actionRef, Json.object()), null, "test");
    }

    @Test
    void aMalformedMessageIsDeadLetteredAtOnceAndTheNextOneIsProcessed() {
        byte[] garbage = "{not json".getBytes(StandardCharsets.UTF_8);
        probe.publish("execution.requested", garbage);
        probe.publish(request(101, "examples.ok"));

        GetResponse dead = probe.takeFrom(environment.namespace().queuePrefix() + NAME + ".dlq", 1,
                Duration.ofSeconds(10)).get(0);
        assertThat(dead.getBody()).isEqualTo(garbage);
        Map<String, Object> headers = dead.getProps().getHeaders();
        assertThat(headers.get(ReliableListener.ERROR_HEADER).toString()).startsWith("malformed message: not JSON");
        assertThat(headers.get(ReliableListener.ROUTING_KEY_HEADER).toString()).isEqualTo("execution.requested");
        await().atMost(Duration.ofSeconds(10)).until(() -> handled.contains(101L));
    }

    @Test
    void aMessageThatKeepsFailingIsTriedMaxAttemptsTimesThenDeadLettered() {
        MessageEnvelope<ExecutionRequested> failing = request(201, "examples.always_fails");
        probe.publish(failing);
        probe.publish(request(202, "examples.ok"));

        await().atMost(Duration.ofSeconds(10)).until(() -> handled.contains(202L));
        GetResponse dead = probe.takeFrom(environment.namespace().queuePrefix() + NAME + ".dlq", 1,
                Duration.ofSeconds(10)).get(0);
        assertThat(dead.getBody()).isEqualTo(Messages.write(failing));
        Map<String, Object> headers = dead.getProps().getHeaders();
        assertThat(headers.get(ReliableListener.ERROR_HEADER).toString()).isEqualTo("the handler always fails");
        assertThat(((Number) headers.get(ReliableListener.ATTEMPT_HEADER)).intValue()).isEqualTo(3);
        // the retries went through the default exchange; the original routing key is kept for a replay
        assertThat(headers.get(ReliableListener.ROUTING_KEY_HEADER).toString()).isEqualTo("execution.requested");
        assertThat(attempts.get(201L)).hasValue(3);
        assertThat(probe.depth(environment.namespace().queuePrefix() + NAME)).isZero();
    }

    @Test
    void aHandlerThatCallsAMessageMalformedSendsItToTheDeadLetterQueueWithoutRetrying() {
        probe.publish(request(301, "examples.unprocessable"));
        probe.publish(request(302, "examples.ok"));

        GetResponse dead = probe.takeFrom(environment.namespace().queuePrefix() + NAME + ".dlq", 1,
                Duration.ofSeconds(10)).get(0);
        assertThat(dead.getProps().getHeaders().get(ReliableListener.ERROR_HEADER).toString())
                .isEqualTo("malformed message: status is missing");
        await().atMost(Duration.ofSeconds(10)).until(() -> handled.contains(302L));
        assertThat(attempts.get(301L)).hasValue(1);
    }

    String dlq() {
        return environment.namespace().queuePrefix() + NAME + ".dlq";
    }

    @Test
    void anErrorWhileHandlingAMessageDeadLettersItAndTheConsumerGoesOn() {
        probe.publish(request(401, "examples.overflows"));
        probe.publish(request(402, "examples.ok"));
        probe.publish(request(403, "examples.out_of_memory"));
        probe.publish(request(404, "examples.ok"));

        List<GetResponse> dead = probe.takeFrom(dlq(), 2, Duration.ofSeconds(10));
        assertThat(dead).extracting(d -> d.getProps().getHeaders().get(ReliableListener.ERROR_HEADER).toString())
                .containsExactly("StackOverflowError while handling the message",
                        "OutOfMemoryError while handling the message: Java heap space");
        assertThat(dead).extracting(d -> ((Number) d.getProps().getHeaders().get(ReliableListener.ATTEMPT_HEADER))
                .intValue()).containsExactly(1, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> handled.containsAll(List.of(402L, 404L)));
        assertThat(attempts.get(401L)).hasValue(1);
        assertThat(container.isRunning()).isTrue();
        assertThat(container.getActiveConsumerCount()).isEqualTo(1);
    }

    @Test
    void anErrorOutsideTheListenerNeitherStopsTheContainerForGoodNorTheJvm() {
        postProcessorThrows.set(true);
        probe.publish(request(501, "examples.ok"));

        // Spring AMQP's default for an Error in a consumer thread is System.exit: this JVM would be gone
        await().atMost(Duration.ofSeconds(20)).until(() -> handled.contains(501L));
        assertThat(postProcessorThrows).isFalse();
        probe.publish(request(502, "examples.ok"));
        await().atMost(Duration.ofSeconds(10)).until(() -> handled.contains(502L));
        assertThat(container.isRunning()).isTrue();
    }

    @Test
    void deadlocksAndQueryTimeoutsAreNotOutagesTheyCountTowardTheAttemptLimit() {
        probe.publish(request(601, "examples.deadlocks"));
        probe.publish(request(602, "examples.query_timeout"));

        List<GetResponse> dead = probe.takeFrom(dlq(), 2, Duration.ofSeconds(15));
        assertThat(dead).extracting(d -> d.getProps().getHeaders().get(ReliableListener.ERROR_HEADER).toString())
                .containsExactlyInAnyOrder("deadlock detected", "statement timeout");
        assertThat(attempts.get(601L)).hasValue(3);
        assertThat(attempts.get(602L)).hasValue(3);
    }

    @Test
    void retriesWaitLongerEachTimeWithoutHoldingUpTheMessagesBehind() {
        probe.publish(request(701, "examples.always_fails"));
        probe.publish(request(702, "examples.ok"));

        probe.takeFrom(dlq(), 1, Duration.ofSeconds(15));
        List<Long> times = attemptTimes.get(701L);
        assertThat(times).hasSize(3);
        long firstWait = (times.get(1) - times.get(0)) / 1_000_000;
        long secondWait = (times.get(2) - times.get(1)) / 1_000_000;
        assertThat(firstWait).isGreaterThanOrEqualTo(300);
        assertThat(secondWait).isGreaterThanOrEqualTo(600);
        // the message behind the failing one went on at once, not after its waits
        assertThat(handledAt.get(702L)).isLessThan(times.get(1));
    }

    @Test
    void anOutageIsWaitedOutWithoutCountingTowardTheAttemptLimit() {
        probe.publish(request(801, "examples.database_down_four_times"));

        await().atMost(Duration.ofSeconds(20)).until(() -> handled.contains(801L));
        assertThat(attempts.get(801L)).hasValue(5);
        assertThat(probe.depth(dlq())).isZero();
    }
}
