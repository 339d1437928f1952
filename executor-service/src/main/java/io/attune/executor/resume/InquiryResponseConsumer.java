package io.attune.executor.resume;

import io.attune.core.messaging.Consumers;
import io.attune.model.message.ConsumerQueues;
import io.attune.model.message.InquiryResponded;
import io.attune.model.message.MalformedMessageException;
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
        return consumers.container(NAME, envelope -> {
            if (!(envelope.payload() instanceof InquiryResponded responded)) {
                throw new MalformedMessageException("expected InquiryResponded, got "
                        + envelope.messageType().wireName());
            }
            (handler.onResponded(responded, envelope.correlationId()).isPresent() ? resumed : ignored).increment();
        });
    }
}
