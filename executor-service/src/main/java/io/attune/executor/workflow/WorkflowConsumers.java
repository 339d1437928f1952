package io.attune.executor.workflow;

import io.attune.core.messaging.Consumers;
import io.attune.model.message.ConsumerQueues;
import io.attune.model.message.ExecutionRequested;
import io.attune.model.message.ExecutionStatusChanged;
import io.attune.model.message.MalformedMessageException;
import io.attune.model.message.MessageType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Optional;

/**
 * The engine's two queues, each with its {@code .dlq}: {@code attune.executor.workflow.requested} (bound to
 * {@code execution.requested}: a workflow to start) and {@code attune.executor.workflow.steps} (bound to
 * {@code execution.status.changed}: a task run paused or finished). Every replica consumes from both; the workflow's
 * row lock serialises the steps of one workflow.
 */
@Configuration(proxyBeanMethods = false)
class WorkflowConsumers {

    @Bean
    Declarables workflowQueues(Consumers consumers) {
        Declarables requested = consumers.declarables(ConsumerQueues.EXECUTOR_WORKFLOW_REQUESTED,
                MessageType.EXECUTION_REQUESTED);
        Declarables steps = consumers.declarables(ConsumerQueues.EXECUTOR_WORKFLOW_STEPS,
                MessageType.EXECUTION_STATUS_CHANGED);
        java.util.List<org.springframework.amqp.core.Declarable> all = new java.util.ArrayList<>();
        all.addAll(requested.getDeclarables());
        all.addAll(steps.getDeclarables());
        return new Declarables(all);
    }

    @Bean
    SimpleMessageListenerContainer workflowStartContainer(Consumers consumers, WorkflowEngine engine,
                                                          MeterRegistry meters) {
        Counter started = Counter.builder("attune.workflows.started")
                .description("workflow executions started by this replica").register(meters);
        return consumers.container(ConsumerQueues.EXECUTOR_WORKFLOW_REQUESTED, envelope -> {
            if (!(envelope.payload() instanceof ExecutionRequested requested)) {
                throw new MalformedMessageException("expected ExecutionRequested, got "
                        + envelope.messageType().wireName());
            }
            if (engine.start(requested.executionId(), envelope.correlationId()) == WorkflowEngine.Outcome.STARTED) {
                started.increment();
            }
        });
    }

    @Bean
    SimpleMessageListenerContainer workflowStepContainer(Consumers consumers, WorkflowEngine engine,
                                                         MeterRegistry meters) {
        Counter steps = Counter.builder("attune.workflow.steps")
                .description("workflow steps taken by this replica (a task run finished, the next chosen)")
                .register(meters);
        return consumers.container(ConsumerQueues.EXECUTOR_WORKFLOW_STEPS, envelope -> {
            if (!(envelope.payload() instanceof ExecutionStatusChanged changed)) {
                throw new MalformedMessageException("expected ExecutionStatusChanged, got "
                        + envelope.messageType().wireName());
            }
            Optional<Long> workflow = engine.workflowOfTaskRun(changed.executionId());
            if (workflow.isPresent() && engine.onTaskChanged(changed.executionId(), workflow.get(),
                    envelope.correlationId()) == WorkflowEngine.Outcome.STEPPED) {
                steps.increment();
            }
        });
    }
}
