package io.attune.executor.workflow;

import io.attune.core.messaging.Consumers;
import io.attune.model.message.ConsumerQueues;
import io.attune.model.message.ExecutionRequested;
import io.attune.model.message.ExecutionStatusChanged;
import io.attune.model.message.MalformedMessageException;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessagePayload;
import io.attune.model.message.MessageType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;
import java.util.Map;

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
        List<org.springframework.amqp.core.Declarable> all = new java.util.ArrayList<>();
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

    /**
     * Most status changes are not of task runs: the changes that arrive together are looked up in one statement, and
     * each of a task run is then stepped in a transaction of its own, in the order they arrived. A batch that fails
     * is handled again message by message; a step already taken changes nothing.
     */
    @Bean
    SimpleMessageListenerContainer workflowStepContainer(Consumers consumers, WorkflowEngine engine,
                                                         MeterRegistry meters) {
        Counter steps = Counter.builder("attune.workflow.steps")
                .description("workflow steps taken by this replica (a task run finished, the next chosen)")
                .register(meters);
        return consumers.batchContainer(ConsumerQueues.EXECUTOR_WORKFLOW_STEPS,
                envelope -> stepAll(engine, steps, List.of(envelope)),
                envelopes -> stepAll(engine, steps, envelopes));
    }

    /** The task runs among {@code envelopes}' changes, found in one statement, each stepped in arrival order. */
    private static void stepAll(WorkflowEngine engine, Counter steps, List<MessageEnvelope<MessagePayload>> envelopes) {
        List<ExecutionStatusChanged> changes = envelopes.stream().map(WorkflowConsumers::changed).toList();
        Map<Long, Long> workflows = engine.workflowsOfTaskRuns(
                changes.stream().map(ExecutionStatusChanged::executionId).distinct().toList());
        for (int i = 0; i < changes.size(); i++) {
            long execution = changes.get(i).executionId();
            Long workflow = workflows.get(execution);
            if (workflow != null && engine.onTaskChanged(execution, workflow, envelopes.get(i).correlationId())
                    == WorkflowEngine.Outcome.STEPPED) {
                steps.increment();
            }
        }
    }

    private static ExecutionStatusChanged changed(MessageEnvelope<MessagePayload> envelope) {
        if (!(envelope.payload() instanceof ExecutionStatusChanged changed)) {
            throw new MalformedMessageException("expected ExecutionStatusChanged, got "
                    + envelope.messageType().wireName());
        }
        return changed;
    }
}
