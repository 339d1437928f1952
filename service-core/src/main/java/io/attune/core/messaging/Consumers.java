package io.attune.core.messaging;

import io.attune.model.message.MessageType;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the durable, manually acknowledged consumers of the suite: a queue {@code <prefix><name>} bound to the
 * exchange for the given message types, its dead-letter queue {@code <prefix><name>.dlq}, and a listener container
 * running a {@link ReliableListener}. Services declare both results as beans; Spring's RabbitAdmin declares the
 * queues whenever a connection opens, so a broker that is down at start-up or restarts later is handled.
 */
@Component
public class Consumers {
    private final AmqpSettings settings;
    private final TopicExchange exchange;
    private final ConnectionFactory connectionFactory;
    private final RabbitTemplate publisher;

    public Consumers(AmqpSettings settings, TopicExchange exchange, ConnectionFactory connectionFactory,
                     RabbitTemplate publisher) {
        this.settings = settings;
        this.exchange = exchange;
        this.connectionFactory = connectionFactory;
        this.publisher = publisher;
    }

    /** The queue, its dead-letter queue and the bindings of a consumer called {@code name}. */
    public Declarables declarables(String name, MessageType... types) {
        String queueName = settings.queue(name);
        Queue queue = new Queue(queueName, true, false, false);
        List<Declarable> declarables = new ArrayList<>();
        declarables.add(queue);
        declarables.add(new Queue(AmqpSettings.deadLetterQueue(queueName), true, false, false));
        for (MessageType type : types) {
            Binding binding = BindingBuilder.bind(queue).to(exchange).with(type.routingKey());
            declarables.add(binding);
        }
        return new Declarables(declarables);
    }

    /** The listener container of a consumer called {@code name}, with the configured prefetch and concurrency. */
    public SimpleMessageListenerContainer container(String name, EnvelopeHandler handler) {
        String queueName = settings.queue(name);
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
        container.setQueueNames(queueName);
        container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        container.setPrefetchCount(settings.prefetch());
        container.setConcurrentConsumers(settings.concurrency());
        container.setMissingQueuesFatal(false);
        container.setDefaultRequeueRejected(true);
        container.setMessageListener(new ReliableListener(queueName, handler, publisher, settings));
        return container;
    }
}
