package io.attune.core.event;

import io.attune.core.messaging.AmqpSettings;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({RelaySettings.class, RetentionSettings.class})
public class EventConfiguration {

    /** Every process that stores events relays them, unless {@code attune.outbox.relay-enabled=false}. */
    @Bean
    @ConditionalOnProperty(name = "attune.outbox.relay-enabled", havingValue = "true", matchIfMissing = true)
    OutboxRelay outboxRelay(DataSource dataSource, RabbitTemplate rabbit, AmqpSettings amqp, RelaySettings settings,
                            RelaySignal signal, MeterRegistry meters) {
        return new OutboxRelay(dataSource, rabbit, amqp, settings, signal, meters);
    }

    /** Every process that stores events also prunes the trail (one at a time), unless told not to. */
    @Bean
    @ConditionalOnProperty(name = "attune.event.prune-enabled", havingValue = "true", matchIfMissing = true)
    EventPruner eventPruner(DataSource dataSource, RetentionSettings settings, MeterRegistry meters) {
        return new EventPruner(dataSource, settings, meters);
    }
}
