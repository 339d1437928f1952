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
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
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
        properties = {"spring.application.name=core-test", "attune.amqp.max-attempts=3"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ReliableListenerTest {
    static final String NAME = "test.consumer";
    static AttuneTestEnvironment environment;
    static final List<Long> handled = new CopyOnWriteArrayList<>();
    static final Map<Long, AtomicInteger> attempts = new ConcurrentHashMap<>();

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        environment = AttuneTestEnvironment.create();
        environment.register(registry);
        environment.namespace().queue(NAME);
        environment.namespace().queue(NAME + ".dlq");
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class TestConsumer {
        @Bean
        Declarables testQueues(Consumers consumers) {
            return consumers.declarables(NAME, MessageType.EXECUTION_REQUESTED);
        }

        @Bean
        SimpleMessageListenerContainer testContainer(Consumers consumers) {
            return consumers.container(NAME, envelope -> {
                ExecutionRequested request = (ExecutionRequested) envelope.payload();
                attempts.computeIfAbsent(request.executionId(), id -> new AtomicInteger()).incrementAndGet();
                switch (request.actionRef()) {
                    case "examples.always_fails" -> throw new IllegalStateException("the handler always fails");
                    case "examples.unprocessable" -> throw new MalformedMessageException("status is missing");
                    default -> handled.add(request.executionId());
                }
            });
        }
    }

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
}
