package io.attune.worker.execution;

import io.attune.core.execution.ExecutionLeases;
import io.attune.core.messaging.Consumers;
import io.attune.model.message.ConsumerQueues;
import io.attune.model.message.MessageType;
import io.attune.worker.WorkerSettings;
import io.attune.worker.action.ActionCatalog;
import io.attune.worker.action.ActionEnvironment;
import io.attune.worker.action.ActionUser;
import io.attune.worker.action.ActionRunner;
import io.attune.worker.action.PacksDirectory;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The worker's parts: where actions come from, how they run, and the consumer of ExecutionRequested. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WorkerSettings.class)
@EnableScheduling
public class WorkerConfiguration {
    /** Queue {@code <prefix>worker.execution.requested}, shared by every worker replica. */
    public static final String CONSUMER = ConsumerQueues.WORKER_REQUESTED;

    @Bean(destroyMethod = "close")
    PacksDirectory packsDirectory(WorkerSettings settings) {
        return PacksDirectory.open(settings.packsDir());
    }

    @Bean
    ActionCatalog actionCatalog(PacksDirectory packs, WorkerSettings settings) {
        return new ActionCatalog(packs.path(), settings.interpreters(), settings.actionTimeout());
    }

    @Bean(destroyMethod = "close")
    ActionRunner actionRunner(WorkerSettings settings) {
        return new ActionRunner(settings.maxOutput().toBytes(), ActionUser.resolve(settings.actionUser()),
                new ActionEnvironment(settings.actionEnvPassthrough()));
    }

    @Bean
    LeaseKeeper leaseKeeper(ExecutionLeases leases) {
        return new LeaseKeeper(leases);
    }

    @Bean
    Declarables executionRequestQueue(Consumers consumers) {
        return consumers.declarables(CONSUMER, MessageType.EXECUTION_REQUESTED);
    }

    /**
     * One consumer per action slot, each holding one message at a time: the bounded pool is the consumers
     * themselves, and a message is acknowledged only after its outcome is stored.
     */
    @Bean
    SimpleMessageListenerContainer executionRequestConsumer(Consumers consumers, ExecutionRequestHandler handler,
                                                            WorkerSettings settings) {
        SimpleMessageListenerContainer container = consumers.container(CONSUMER, handler);
        container.setConcurrentConsumers(settings.maxConcurrent());
        container.setPrefetchCount(1);
        container.setShutdownTimeout(settings.shutdownGrace().toMillis());
        return container;
    }

    @Bean
    WorkerShutdown workerShutdown(ActionRunner runner, ExecutionRequestHandler handler, CompletionReporter reporter) {
        return new WorkerShutdown(runner, handler, reporter);
    }
}
