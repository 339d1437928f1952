package io.attune.core.messaging;

import com.rabbitmq.client.GetResponse;
import io.attune.core.CoreTestApplication;
import io.attune.model.json.Json;
import io.attune.model.message.ExecutionRequested;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessagePayload;
import io.attune.model.message.MessageType;
import io.attune.testsupport.AttuneTestEnvironment;
import io.attune.testsupport.BrokerProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.annotation.Autowired;
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
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A batching consumer built by {@link Consumers#batchContainer} on a real broker: messages that arrive together are
 * handled in one call; a batch that fails is handled message by message, so the bad message is retried and
 * dead-lettered alone and every other one is handled exactly once. The test handlers fail for action ref
 * "examples.always_fails" (the batch handler fails the whole batch when it holds one, keeping nothing of it).
 */
@SpringBootTest(classes = {CoreTestApplication.class, BatchReliableListenerTest.TestConsumer.class},
        properties = {"spring.application.name=core-test", "attune.amqp.max-attempts=3",
                "attune.amqp.retry-delay=300ms", "attune.amqp.max-retry-delay=600ms", "attune.amqp.concurrency=1",
                "attune.amqp.batch-size=10", "attune.amqp.batch-wait=300ms"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class BatchReliableListenerTest {
    static final String NAME = "test.batch.consumer";
    static AttuneTestEnvironment environment;
    static final Map<Long, AtomicInteger> handled = new ConcurrentHashMap<>();
    static final Map<Long, AtomicInteger> attempts = new ConcurrentHashMap<>();
    static final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

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
        Declarables testBatchQueues(Consumers consumers) {
            return consumers.declarables(NAME, MessageType.EXECUTION_REQUESTED);
        }

        @Bean
        SimpleMessageListenerContainer testBatchContainer(Consumers consumers) {
            return consumers.batchContainer(NAME, envelope -> {
                ExecutionRequested request = (ExecutionRequested) envelope.payload();
                attempts.computeIfAbsent(request.executionId(), id -> new AtomicInteger()).incrementAndGet();
                if (request.actionRef().equals("examples.always_fails")) {
                    throw new IllegalStateException("the handler always fails");
                }
                handled.computeIfAbsent(request.executionId(), id -> new AtomicInteger()).incrementAndGet();
            }, envelopes -> {
                batchSizes.add(envelopes.size());
                for (MessageEnvelope<MessagePayload> envelope : envelopes) {
                    if (((ExecutionRequested) envelope.payload()).actionRef().equals("examples.always_fails")) {
                        throw new IllegalStateException("the batch holds a message that always fails");
                    }
                }
                envelopes.forEach(envelope -> handled.computeIfAbsent(
                        ((ExecutionRequested) envelope.payload()).executionId(), id -> new AtomicInteger())
                        .incrementAndGet());
            });
        }
    }

    @Autowired
    SimpleMessageListenerContainer container;

    BrokerProbe probe;

    @BeforeEach
    void openProbe() {
        probe = new BrokerProbe(environment, "nothing.to.see");
        batchSizes.clear();
    }

    @AfterEach
    void closeProbe() {
        container.start();
        probe.close();
    }

    static MessageEnvelope<ExecutionRequested> request(long executionId, String actionRef) {
        return MessageEnvelope.of(new ExecutionRequested(executionId, actionRef, Json.object()), null, "test");
    }

    String dlq() {
        return environment.namespace().queuePrefix() + NAME + ".dlq";
    }

    /** Published while the consumer is stopped, so that they wait in the queue together. */
    void publishTogether(Runnable publishing) {
        container.stop();
        publishing.run();
        container.start();
    }

    @Test
    void messagesThatArriveTogetherAreHandledTogetherEachExactlyOnce() {
        publishTogether(() -> LongStream.rangeClosed(101, 125).forEach(id -> probe.publish(request(id, "examples.ok"))));

        await().atMost(Duration.ofSeconds(10)).until(() -> LongStream.rangeClosed(101, 125)
                .allMatch(handled::containsKey));
        assertThat(LongStream.rangeClosed(101, 125).mapToObj(id -> handled.get(id).get())).containsOnly(1);
        assertThat(batchSizes).isNotEmpty().allMatch(size -> size <= 10);
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).max().orElse(0)).isGreaterThan(1);
    }

    @Test
    void aFailingMessageFailsItsBatchThenIsRetriedAloneWhileTheOthersAreHandledOnce() {
        publishTogether(() -> {
            probe.publish(request(201, "examples.ok"));
            probe.publish(request(202, "examples.always_fails"));
            probe.publish(request(203, "examples.ok"));
        });

        GetResponse dead = probe.takeFrom(dlq(), 1, Duration.ofSeconds(15)).get(0);
        assertThat(dead.getProps().getHeaders().get(ReliableListener.ERROR_HEADER).toString())
                .isEqualTo("the handler always fails");
        assertThat(((Number) dead.getProps().getHeaders().get(ReliableListener.ATTEMPT_HEADER)).intValue())
                .isEqualTo(3);
        assertThat(batchSizes).contains(3);
        assertThat(handled.get(201L)).hasValue(1);
        assertThat(handled.get(203L)).hasValue(1);
        assertThat(handled).doesNotContainKey(202L);
        assertThat(attempts.get(202L)).hasValue(3);
    }

    @Test
    void aMessageThatIsNotAnEnvelopeIsDeadLetteredAndNeverJoinsABatch() {
        byte[] garbage = "{not json".getBytes(StandardCharsets.UTF_8);
        publishTogether(() -> {
            probe.publish(request(301, "examples.ok"));
            probe.publish("execution.requested", garbage);
            probe.publish(request(302, "examples.ok"));
        });

        GetResponse dead = probe.takeFrom(dlq(), 1, Duration.ofSeconds(10)).get(0);
        assertThat(dead.getBody()).isEqualTo(garbage);
        await().atMost(Duration.ofSeconds(10)).until(() -> handled.containsKey(301L) && handled.containsKey(302L));
        assertThat(batchSizes).containsExactly(2);
        assertThat(attempts).doesNotContainKeys(301L, 302L); // never handled alone
    }
}
