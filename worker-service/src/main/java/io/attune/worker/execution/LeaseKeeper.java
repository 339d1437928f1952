package io.attune.worker.execution;

import io.attune.core.execution.ExecutionLeases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.support.TransactionTemplate;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The worker's heartbeat: the leases of the executions this worker runs, renewed every
 * {@code attune.worker.heartbeat-interval}. While they are renewed no executor fails those executions; when this
 * process dies they lapse and an executor fails them with "worker lost" (docs/worker.md).
 */
public class LeaseKeeper {
    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    private final ExecutionLeases leases;
    private final String worker;
    private final Set<Long> held = ConcurrentHashMap.newKeySet();
    private volatile boolean failing;

    public LeaseKeeper(ExecutionLeases leases) {
        this.leases = leases;
        this.worker = hostName() + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
        log.info("Worker {} keeps leases on the executions it runs", worker);
    }

    /** This process, as its leases name it. */
    public String worker() {
        return worker;
    }

    /** Takes the lease of a just-claimed execution; call in the claim's transaction, then {@link #track}. */
    void acquire(long executionId) {
        leases.acquire(executionId, worker);
    }

    /** Renews the lease from now on (after the claim committed: a renewal cannot see an uncommitted lease). */
    void track(long executionId) {
        held.add(executionId);
    }

    /**
     * Runs {@code storeOutcome} and gives the lease up in one transaction, then stops renewing it. No renewal runs
     * meanwhile, so that a lease just given up is not taken for one an executor took. Returns false when an executor
     * had taken it already (the execution was failed as "worker lost"; the outcome stored will be ignored).
     */
    synchronized boolean release(long executionId, TransactionTemplate transactions, Runnable storeOutcome) {
        Boolean stillHeld = transactions.execute(tx -> {
            storeOutcome.run();
            return leases.release(executionId, worker);
        });
        held.remove(executionId);
        return Boolean.TRUE.equals(stillHeld);
    }

    /**
     * Stops renewing the lease, whatever became of the run: after {@link #release} this changes nothing; when the
     * outcome could not be stored, the lease lapses and the execution fails as "worker lost" instead of staying
     * {@code running} while this worker lives on.
     */
    void forget(long executionId) {
        held.remove(executionId);
    }

    @Scheduled(fixedDelayString = "${attune.worker.heartbeat-interval:5s}")
    synchronized void renew() {
        Set<Long> executions = new HashSet<>(held);
        if (executions.isEmpty()) {
            return;
        }
        try {
            List<Long> renewed = leases.renew(executions, worker);
            executions.removeAll(renewed);
            for (Long lost : executions) {
                held.remove(lost);
                log.warn("Execution {}: this worker's lease lapsed and an executor failed it as \"worker lost\"; the "
                        + "action goes on, but its outcome will be ignored", lost);
            }
            if (failing) {
                log.info("Leases renewed again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("Cannot renew the leases of {} running execution(s), retrying: {}", executions.size(),
                        e.getMessage());
                failing = true;
            }
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return ManagementFactory.getRuntimeMXBean().getName();
        }
    }
}
