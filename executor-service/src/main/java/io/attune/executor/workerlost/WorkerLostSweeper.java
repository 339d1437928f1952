package io.attune.executor.workerlost;

import io.attune.core.error.FailureStreak;
import io.attune.core.execution.Execution;
import io.attune.core.execution.ExecutionTransitions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.UUID;

/**
 * Fails the running executions whose worker is gone: every {@code attune.worker-lost.check-interval} it takes the
 * leases not renewed for {@code attune.worker-lost.after}, a batch per transaction, until none is left (see
 * {@link ExecutionTransitions#failLost}). Every replica runs one; locked rows are skipped, so replicas split the work.
 *
 * <p>A worker cannot renew its leases while the database is unreachable, and neither can this sweep run: so after
 * any failed sweep (and at start-up) it waits one full grace with the database reachable before it judges a lease,
 * giving the workers the same time to renew theirs. An outage never fails a healthy worker's executions.
 */
@Component
@EnableScheduling
@EnableConfigurationProperties(WorkerLostSettings.class)
public class WorkerLostSweeper {
    private static final Logger log = LoggerFactory.getLogger(WorkerLostSweeper.class);

    private final ExecutionTransitions transitions;
    private final WorkerLostSettings settings;
    private final Counter lost;
    private final FailureStreak failures;
    /** Since when (System.nanoTime) every sweep has reached the database; null after a failure. */
    private Long reachableSince;

    public WorkerLostSweeper(ExecutionTransitions transitions, WorkerLostSettings settings, MeterRegistry meters) {
        this.transitions = transitions;
        this.settings = settings;
        this.lost = Counter.builder("attune.executions.worker_lost")
                .description("running executions failed by this replica because their worker was gone")
                .register(meters);
        this.failures = new FailureStreak("Worker-lost sweep", settings.checkInterval(), log,
                Counter.builder("attune.worker_lost.check.failures")
                        .description("worker-lost sweeps that failed (database unavailable, say)").register(meters));
        log.info("Worker-lost sweep: every {}, an execution fails when its lease is {} old", settings.checkInterval(),
                settings.after());
    }

    @Scheduled(fixedDelayString = "${attune.worker-lost.check-interval:5s}")
    void onSchedule() {
        try {
            sweep();
            if (failures.succeeded()) {
                log.info("Worker-lost sweep judges leases again after {}", settings.after());
            }
        } catch (RuntimeException e) {
            reachableSince = null;
            failures.failed(e);
        }
    }

    /**
     * One sweep; returns how many executions this replica failed. Does nothing until the database has been reachable
     * for a full grace (see the class comment).
     */
    public int sweep() {
        long now = System.nanoTime();
        if (reachableSince == null) {
            transitions.failLost(settings.after(), 0, UUID.randomUUID()); // reaches the database, changes nothing
            reachableSince = now;
        }
        if (now - reachableSince < settings.after().toNanos()) {
            return 0;
        }
        int total = 0;
        List<Execution> batch;
        do {
            batch = transitions.failLost(settings.after(), settings.batchSize(), UUID.randomUUID());
            lost.increment(batch.size());
            total += batch.size();
        } while (batch.size() == settings.batchSize());
        return total;
    }
}
