package io.attune.executor.resume;

import io.attune.core.messaging.Consumers;
import io.attune.model.message.ConsumerQueues;
import io.attune.model.message.InquiryResponded;
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

/**
 * The inquiry handler's queue ({@code attune.executor.inquiry.responded}, bound to {@code inquiry.responded}, with
 * its {@code .dlq}) and consumer.
 */
@Configuration(proxyBeanMethods = false)
class InquiryResponseConsumer {
    static final String NAME = ConsumerQueues.EXECUTOR_RESPONDED;

    @Bean
    Declarables inquiryResponseQueues(Consumers consumers) {
        return consumers.declarables(NAME, MessageType.INQUIRY_RESPONDED);
    }

    @Bean
    SimpleMessageListenerContainer inquiryResponseContainer(Consumers consumers, InquiryResponseHandler handler,
                                                            MeterRegistry meters) {
        Counter resumed = Counter.builder("attune.executions.resumed")
                .description("paused executions resumed by an answered inquiry").register(meters);
        Counter ignored = Counter.builder("attune.inquiry.responses.ignored")
                .description("answers that found their execution no longer paused (redelivered or late)")
                .register(meters);
        // answers that arrive together resume their executions together (one transaction); a lone one, or each of a
        // batch that failed, on its own
        return consumers.batchContainer(NAME,
                envelope -> (handler.onResponded(answer(envelope), envelope.correlationId()).isPresent()
                        ? resumed : ignored).increment(),
                envelopes -> handler.onRespondedAll(envelopes.stream().map(InquiryResponseConsumer::answer).toList(),
                                envelopes.stream().map(MessageEnvelope::correlationId).toList())
                        .forEach(execution -> (execution.isPresent() ? resumed : ignored).increment()));
    }

    private static InquiryResponded answer(MessageEnvelope<MessagePayload> envelope) {
        if (!(envelope.payload() instanceof InquiryResponded responded)) {
            throw new MalformedMessageException("expected InquiryResponded, got "
                    + envelope.messageType().wireName());
        }
        return responded;
    }
}
