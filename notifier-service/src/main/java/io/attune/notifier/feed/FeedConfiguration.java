package io.attune.notifier.feed;

import io.attune.notifier.notification.Activity;
import io.attune.core.messaging.AmqpSettings;
import io.attune.core.messaging.Consumers;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Each replica's own feed: an exclusive, auto-delete queue {@code <prefix>notifier.<uuid>} bound to the inquiry
 * routing keys, so every replica sees every event. Notifications are not durable work — what a replica misses is read
 * back from the event trail — so the queue dies with the replica's connection and RabbitAdmin declares it again on
 * the next one. One consumer keeps the events in id order, taking what has arrived together as one batch.
 */
@Configuration(proxyBeanMethods = false)
class FeedConfiguration {
    private static final int PREFETCH = 250;
    private static final int BATCH = 100;

    @Bean
    FeedQueue notifierFeedQueue(AmqpSettings amqp) {
        return new FeedQueue(new Queue(amqp.queue("notifier." + UUID.randomUUID()), false, true, true));
    }

    @Bean
    Declarables notifierFeedDeclarables(FeedQueue feedQueue, TopicExchange attuneExchange) {
        List<Declarable> declarables = new ArrayList<>();
        declarables.add(feedQueue.queue());
        for (Activity activity : Activity.values()) {
            declarables.add(BindingBuilder.bind(feedQueue.queue()).to(attuneExchange)
                    .with(activity.messageType().routingKey()));
        }
        return new Declarables(declarables);
    }

    @Bean
    SimpleMessageListenerContainer notifierFeed(ConnectionFactory connectionFactory, FeedQueue feedQueue,
                                                LiveFeed feed, AmqpSettings amqp) {
        connectionFactory.addConnectionListener(feed);
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
        container.setQueueNames(feedQueue.queue().getName());
        container.setAcknowledgeMode(AcknowledgeMode.AUTO);
        container.setPrefetchCount(PREFETCH);
        // what has arrived together is handed over at once (the facts of its inquiries read in one query); a lone
        // event waits at most batch-wait for company
        container.setConsumerBatchEnabled(true);
        container.setBatchSize(BATCH);
        container.setReceiveTimeout(amqp.batchWait().toMillis());
        container.setBatchReceiveTimeout(amqp.batchWait().toMillis());
        container.setConcurrentConsumers(1);
        container.setMissingQueuesFatal(false);
        container.setDefaultRequeueRejected(false);
        container.setMessageListener(feed);
        return Consumers.neverStopped(container, feedQueue.queue().getName());
    }

    /** The replica's queue, wrapped so that it is not mistaken for a durable consumer queue elsewhere. */
    record FeedQueue(Queue queue) {
    }
}
