package io.attune.executor.workerlost;

import io.attune.core.execution.Execution;
import io.attune.core.execution.ExecutionTransitions;
import io.attune.executor.ExecutorIntegrationTest;
import io.attune.model.ExecutionStatus;
import io.attune.model.json.Json;
import io.attune.testsupport.BrokerProbe;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The worker-lost sweep on a real database: leases are written here as a worker writes them, some lapsed long ago.
 * The scheduled sweep runs once at start-up only (check interval 1 h), so each test decides when sweeps run.
 */
@TestPropertySource(properties = {"attune.worker-lost.after=2s", "attune.worker-lost.check-interval=1h",
        "attune.worker-lost.batch-size=40"})
class WorkerLostSweepTest extends ExecutorIntegrationTest {
    @Autowired
    ExecutionTransitions transitions;
    @Autowired
    WorkerLostSweeper sweeper;

    @Test
    void aLapsedLeaseFailsItsExecutionAsWorkerLostWithItsEventAndALiveLeaseIsLeftAlone() throws Exception {
        Execution lost = runningExecution();
        Execution alive = runningExecution();
        lease(lost, "gone-host/1/aa", "now() - interval '1 hour'");
        lease(alive, "live-host/2/bb", "now()");
        Thread.sleep(2_100); // the sweeper has been reaching the database for its grace since start-up
        jdbc.sql("UPDATE attune.execution_lease SET renewed_at = now() WHERE execution_id = ?").param(alive.id())
                .update(); // the live worker's heartbeat

        sweeper.sweep();

        Execution failed = executions.find(lost.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(failed.result().path("error").asString()).isEqualTo("worker lost");
        assertThat(failed.result().path("worker").asString()).isEqualTo("gone-host/1/aa");
        assertThat(failed.result().path("lost_after_seconds").asDouble()).isEqualTo(2.0);
        assertThat(failed.result().has("lease_renewed_at")).isTrue();
        assertThat(statusEvents(lost.id())).containsExactly("running->failed");
        assertThat(leaseCount(lost.id())).isZero();

        Execution stillRunning = executions.find(alive.id()).orElseThrow();
        assertThat(stillRunning.status()).isEqualTo(ExecutionStatus.RUNNING);
        assertThat(leaseCount(alive.id())).isOne();
        jdbc.sql("DELETE FROM attune.execution_lease WHERE execution_id = ?").param(alive.id()).update();
    }

    @Test
    void sweepsRunningAtOnceSplitTheWorkAndFailEachExecutionExactlyOnce() throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Execution execution = runningExecution();
            lease(execution, "gone-host/1/cc", "now() - interval '1 minute'");
            ids.add(execution.id());
        }
        Set<Long> failedBy = ConcurrentHashMap.newKeySet();
        List<Long> duplicates = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService replicas = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                running.add(replicas.submit(() -> {
                    List<Execution> batch;
                    do {
                        batch = transitions.failLost(Duration.ofSeconds(2), 40, UUID.randomUUID());
                        batch.forEach(e -> {
                            if (!failedBy.add(e.id())) {
                                duplicates.add(e.id());
                            }
                        });
                    } while (!batch.isEmpty());
                    return null;
                }));
            }
            for (Future<?> replica : running) {
                replica.get();
            }
        } finally {
            replicas.shutdown();
        }

        assertThat(duplicates).isEmpty();
        assertThat(failedBy).containsAll(ids);
        assertThat(jdbc.sql("SELECT count(*) FROM attune.execution WHERE id = ANY(?) AND status = 'failed'")
                .param(ids.toArray(Long[]::new)).query(Long.class).single()).isEqualTo(ids.size());
        List<Long> eventsPerExecution = jdbc.sql("SELECT count(*) FROM attune.event WHERE execution_id = ANY(?) "
                        + "AND message_type = 'ExecutionStatusChanged' GROUP BY execution_id")
                .param(ids.toArray(Long[]::new)).query(Long.class).list();
        assertThat(eventsPerExecution).hasSize(ids.size()).containsOnly(1L);
    }

    @Test
    void theSweepJudgesNoLeaseUntilItHasReachedTheDatabaseForAFullGrace() throws Exception {
        Execution execution = runningExecution();
        lease(execution, "gone-host/1/dd", "now() - interval '1 hour'");
        WorkerLostSweeper justStarted = new WorkerLostSweeper(transitions,
                new WorkerLostSettings(Duration.ofSeconds(3), Duration.ofSeconds(1), 10), new SimpleMeterRegistry());

        assertThat(justStarted.sweep()).as("right after start-up (or an outage): workers get the grace too").isZero();
        assertThat(executions.find(execution.id()).orElseThrow().status()).isEqualTo(ExecutionStatus.RUNNING);

        Thread.sleep(3_100);
        assertThat(justStarted.sweep()).isGreaterThanOrEqualTo(1);
        assertThat(executions.find(execution.id()).orElseThrow().status()).isEqualTo(ExecutionStatus.FAILED);
    }

    @Test
    void aReportArrivingAfterTheExecutionWasFailedAsLostIsIgnored() throws Exception {
        Execution execution = runningExecution();
        lease(execution, "gone-host/1/ee", "now() - interval '1 hour'");
        transitions.failLost(Duration.ofSeconds(2), 1000, UUID.randomUUID());
        Execution failed = executions.find(execution.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
        double duplicates = count("attune.execution.reports.duplicate");

        try (BrokerProbe probe = probe()) {
            probe.publish(report(execution, ExecutionStatus.COMPLETED, Json.tree("{\"done\": true}")));
        }
        await().atMost(WAIT).until(() -> count("attune.execution.reports.duplicate") > duplicates);

        assertThat(executions.find(execution.id()).orElseThrow()).isEqualTo(failed);
        assertThat(statusEvents(execution.id())).containsExactly("running->failed");
    }

    private void lease(Execution execution, String worker, String renewedAt) {
        jdbc.sql("INSERT INTO attune.execution_lease (execution_id, worker, renewed_at) VALUES (?, ?, " + renewedAt
                + ")").params(execution.id(), worker).update();
    }

    private long leaseCount(long executionId) {
        return jdbc.sql("SELECT count(*) FROM attune.execution_lease WHERE execution_id = ?").param(executionId)
                .query(Long.class).single();
    }

    /** The execution's ExecutionStatusChanged events in the outbox, as "previous->status". */
    private List<String> statusEvents(long executionId) {
        return jdbc.sql("SELECT envelope::text FROM attune.event WHERE execution_id = ? "
                        + "AND message_type = 'ExecutionStatusChanged' ORDER BY outbox_id").param(executionId)
                .query(String.class).list().stream().map(Json::tree).map(JsonNode.class::cast)
                .map(e -> e.path("payload").path("previous_status").asString() + "->"
                        + e.path("payload").path("status").asString())
                .collect(Collectors.toList());
    }
}
