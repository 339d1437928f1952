package io.attune.core.messaging;

import org.springframework.amqp.core.TopicExchange;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/** The exchange and the reliable consumers (retries in delay queues, dead letters) every service listens with. */
@AutoConfiguration(after = RabbitAutoConfiguration.class)
@EnableConfigurationProperties(AmqpSettings.class)
@Import(Consumers.class)
public class MessagingAutoConfiguration {

    /** The durable topic exchange of docs/protocol.md §2, declared on every (re)connection by Spring's RabbitAdmin. */
    @Bean
    TopicExchange attuneExchange(AmqpSettings settings) {
        return new TopicExchange(settings.exchange(), true, false);
    }
}
