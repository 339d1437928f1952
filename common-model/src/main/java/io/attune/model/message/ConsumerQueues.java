package io.attune.model.message;

import java.util.List;

/**
 * The durable queues the services consume from, each bound to one routing key and named under the configured queue
 * prefix ({@code attune.} unless {@code ATTUNE_AMQP_QUEUE_PREFIX} says otherwise), each with a {@code .dlq} beside it.
 * The notifier's queues are exclusive and delete themselves, so they are not listed. One list, so that whoever cleans
 * a broker namespace up (the tests, the benchmark) removes exactly what the services declare.
 */
public final class ConsumerQueues {
    /** The executor's completion listener: ExecutionCompleted. */
    public static final String EXECUTOR_COMPLETED = "executor.execution.completed";
    /** The executor's inquiry handler: InquiryResponded. */
    public static final String EXECUTOR_RESPONDED = "executor.inquiry.responded";
    /** The executor's workflow engine: ExecutionRequested (it starts the workflows among them). */
    public static final String EXECUTOR_WORKFLOW_REQUESTED = "executor.workflow.requested";
    /** The executor's workflow engine: ExecutionStatusChanged (a task run paused or finished: the next step). */
    public static final String EXECUTOR_WORKFLOW_STEPS = "executor.workflow.steps";
    /** The worker: ExecutionRequested. */
    public static final String WORKER_REQUESTED = "worker.execution.requested";

    public static final List<String> DURABLE = List.of(EXECUTOR_COMPLETED, EXECUTOR_RESPONDED, WORKER_REQUESTED,
            EXECUTOR_WORKFLOW_REQUESTED, EXECUTOR_WORKFLOW_STEPS);

    private ConsumerQueues() {
    }
}
