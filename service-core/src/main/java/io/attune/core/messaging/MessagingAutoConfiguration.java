package io.attune.core.messaging;

import org.springframework.amqp.core.TopicExchange;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AmqpSettings.class)
public class MessagingConfiguration {

    /** The durable topic exchange of docs/protocol.md §2, declared on every (re)connection by Spring's RabbitAdmin. */
    @Bean
    TopicExchange attuneExchange(AmqpSettings settings) {
        return new TopicExchange(settings.exchange(), true, false);
    }
}
