package io.attune.api.external;

import io.attune.core.messaging.AmqpSettings;
import io.attune.core.messaging.Consumers;
import io.attune.model.message.MessageType;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;
import java.util.UUID;

/**
 * What wakes the waiting GETs: each api replica's own exclusive, auto-delete queue {@code <prefix>api.waits.<uuid>},
 * bound to the routing keys that end an inquiry's wait (responded, timeout, cancelled) while the replica has waits
 * ({@link WaitBindings}). Like the notifier's feed it is not durable work — a wait re-reads the database — so it dies
 * with the connection and is declared again on the next.
 */
@Configuration(proxyBeanMethods = false)
class WaitConfiguration {
    static final List<MessageType> DECISIONS = List.of(MessageType.INQUIRY_RESPONDED, MessageType.INQUIRY_TIMED_OUT,
            MessageType.INQUIRY_CANCELLED);

    @Bean
    WaitQueue inquiryWaitQueue(AmqpSettings amqp, TopicExchange attuneExchange) {
        Queue queue = new Queue(amqp.queue("api.waits." + UUID.randomUUID()), false, true, true);
        return new WaitQueue(queue, DECISIONS.stream()
                .map(type -> BindingBuilder.bind(queue).to(attuneExchange).with(type.routingKey())).toList());
    }

    /** The queue alone: its bindings are not declared with it, but while there are waits (InquiryWaits). */
    @Bean
    Declarables inquiryWaitDeclarables(WaitQueue waitQueue) {
        return new Declarables(waitQueue.queue());
    }

    @Bean
    SimpleMessageListenerContainer inquiryWaitListener(ConnectionFactory connectionFactory, WaitQueue waitQueue,
                                                       InquiryWaits waits) {
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
        container.setQueueNames(waitQueue.queue().getName());
        container.setAcknowledgeMode(AcknowledgeMode.AUTO);
        container.setPrefetchCount(250);
        container.setConcurrentConsumers(1);
        container.setMissingQueuesFatal(false);
        container.setDefaultRequeueRejected(false);
        container.setMessageListener(waits);
        return Consumers.neverStopped(container, waitQueue.queue().getName());
    }

    /**
     * The replica's queue, wrapped so that it is not mistaken for a durable consumer queue elsewhere, and its bindings
     * (not beans: RabbitAdmin would declare them on every connection).
     */
    record WaitQueue(Queue queue, List<Binding> decisions) {
    }
}
