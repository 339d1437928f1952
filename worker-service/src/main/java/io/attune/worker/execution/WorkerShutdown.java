package io.attune.worker.execution;

import io.attune.worker.action.ActionRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;

/**
 * The end of a graceful shutdown. It runs after the request consumer has stopped taking messages and has given the
 * running actions {@code attune.worker.shutdown-grace} to finish; whatever still runs then is stopped and reported
 * {@code failed} ("the worker stopped before the action finished"), so that no execution is left {@code running}
 * by an orderly stop.
 */
class WorkerShutdown implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(WorkerShutdown.class);
    /** Below the consumer's phase ({@code Integer.MAX_VALUE}): stopped after it. */
    static final int PHASE = Integer.MAX_VALUE - 1000;
    private static final Duration REPORT_WAIT = Duration.ofSeconds(10);

    private final ActionRunner runner;
    private final ExecutionRequestHandler handler;
    private final CompletionReporter reporter;
    private volatile boolean running;

    WorkerShutdown(ActionRunner runner, ExecutionRequestHandler handler, CompletionReporter reporter) {
        this.runner = runner;
        this.handler = handler;
        this.reporter = reporter;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (runner.runningCount() > 0) {
            log.warn("Stopping {} action(s) still running at shutdown", runner.runningCount());
        }
        runner.stopAll();
        try {
            long deadline = System.nanoTime() + REPORT_WAIT.toNanos();
            while (handler.inFlight() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reporter.stop();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
