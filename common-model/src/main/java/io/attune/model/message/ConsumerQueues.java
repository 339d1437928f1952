package io.attune.model.message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The durable queues the services consume from, each bound to one routing key and named under the configured queue
 * prefix ({@code attune.} unless {@code ATTUNE_AMQP_QUEUE_PREFIX} says otherwise), each with a {@code .dlq} beside it.
 * The notifier's queues are exclusive and delete themselves, so they are not listed. One list, so that whoever cleans
 * a broker namespace up (the tests, the benchmark) removes exactly what the services declare.
 * <p>
 * A message that fails waits in a delay queue {@code <queue>.retry.<delay>ms} before its next try: one queue per
 * delay (each with its own time-to-live, dead-lettering back to the consumer's queue), so that a message waiting
 * long never holds up one due sooner.
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

    /** Tries of a failing message before it goes to the dead-letter queue, unless configured otherwise. */
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    /** The wait before the second try; each later wait doubles, up to {@link #DEFAULT_MAX_RETRY_DELAY}. */
    public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_RETRY_DELAY = Duration.ofSeconds(30);

    private ConsumerQueues() {
    }

    /** The wait after the {@code failures}-th failed try (1-based): {@code first}, doubling, at most {@code max}. */
    public static Duration retryDelay(int failures, Duration first, Duration max) {
        Duration delay = first;
        for (int i = 1; i < failures && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }

    /** The distinct waits a message may meet before its last try. */
    public static Set<Duration> retryDelays(int maxAttempts, Duration first, Duration max) {
        Set<Duration> delays = new LinkedHashSet<>();
        for (int failures = 1; failures < maxAttempts; failures++) {
            delays.add(retryDelay(failures, first, max));
        }
        return delays;
    }

    /** The delay queue in which a failed message of {@code queue} waits {@code delay}. */
    public static String retryQueue(String queue, Duration delay) {
        return queue + ".retry." + delay.toMillis() + "ms";
    }

    public static String deadLetterQueue(String queue) {
        return queue + ".dlq";
    }

    /** Every queue declared for a consumer queue with the default retry settings: itself, its .dlq, its delays. */
    public static List<String> declaredWith(String queue) {
        List<String> names = new ArrayList<>(List.of(queue, deadLetterQueue(queue)));
        for (Duration delay : retryDelays(DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_DELAY, DEFAULT_MAX_RETRY_DELAY)) {
            names.add(retryQueue(queue, delay));
        }
        return names;
    }
}
