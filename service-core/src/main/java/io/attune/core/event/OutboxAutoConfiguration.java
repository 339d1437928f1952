package io.attune.core.event;

import io.attune.core.messaging.AmqpSettings;
import io.attune.core.messaging.MessagingAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import javax.sql.DataSource;

/**
 * The transactional outbox: {@link Outbox} stores events with the change they announce, the relay publishes them in
 * commit order, the pruner keeps the stored trail to its retention. Every service gets the outbox; relay and pruner
 * run where the service has not turned them off.
 */
@AutoConfiguration(after = {DataSourceAutoConfiguration.class, MessagingAutoConfiguration.class})
@EnableConfigurationProperties({RelaySettings.class, RetentionSettings.class})
@Import({Outbox.class, RelaySignal.class})
public class OutboxAutoConfiguration {

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
