package io.attune.executor.completion;

import io.attune.core.messaging.Consumers;
import io.attune.model.message.ConsumerQueues;
import io.attune.model.message.ExecutionCompleted;
import io.attune.model.message.MalformedMessageException;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessagePayload;
import io.attune.model.message.MessageType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.EnumMap;
import java.util.Map;

/**
 * The completion listener's queue ({@code attune.executor.execution.completed}, bound to {@code execution.completed},
 * with its {@code .dlq}) and consumer. Every replica consumes from the same queue; each report goes to one of them.
 */
@Configuration(proxyBeanMethods = false)
class CompletionConsumer {
    static final String NAME = ConsumerQueues.EXECUTOR_COMPLETED;

    @Bean
    Declarables completionQueues(Consumers consumers) {
        return consumers.declarables(NAME, MessageType.EXECUTION_COMPLETED);
    }

    @Bean
    SimpleMessageListenerContainer completionContainer(Consumers consumers, CompletionListener listener,
                                                       MeterRegistry meters) {
        Map<CompletionListener.Outcome, Counter> outcomes = counters(meters);
        // reports that arrive together are stored together (one transaction); a lone one, or each of a batch that
        // failed, on its own. Counted once committed: the listener's transaction has ended when it returns.
        return consumers.batchContainer(NAME,
                envelope -> outcomes.get(listener.onCompleted(report(envelope), envelope.correlationId()))
                        .increment(),
                envelopes -> listener.onCompletedAll(envelopes.stream().map(CompletionConsumer::report).toList(),
                                envelopes.stream().map(MessageEnvelope::correlationId).toList())
                        .forEach(outcome -> outcomes.get(outcome).increment()));
    }

    private static ExecutionCompleted report(MessageEnvelope<MessagePayload> envelope) {
        if (!(envelope.payload() instanceof ExecutionCompleted report)) {
            throw new MalformedMessageException("expected ExecutionCompleted, got "
                    + envelope.messageType().wireName());
        }
        return report;
    }

    private static Map<CompletionListener.Outcome, Counter> counters(MeterRegistry meters) {
        Map<CompletionListener.Outcome, Counter> counters = new EnumMap<>(CompletionListener.Outcome.class);
        counters.put(CompletionListener.Outcome.INQUIRY_CREATED, Counter.builder("attune.inquiries.opened")
                .description("inquiries opened from an execution's __inquiry").register(meters));
        counters.put(CompletionListener.Outcome.INQUIRY_INVALID, Counter.builder("attune.inquiry.requests.invalid")
                .description("__inquiry requests refused as invalid (their executions failed)").register(meters));
        counters.put(CompletionListener.Outcome.STORED, Counter.builder("attune.execution.reports.stored")
                .description("worker reports stored without an inquiry").register(meters));
        counters.put(CompletionListener.Outcome.UNSTORABLE, Counter.builder("attune.execution.reports.unstorable")
                .description("worker reports whose result could not be kept (their executions failed)")
                .register(meters));
        counters.put(CompletionListener.Outcome.DUPLICATE, Counter.builder("attune.execution.reports.duplicate")
                .description("worker reports ignored because the execution already had one").register(meters));
        return counters;
    }
}
