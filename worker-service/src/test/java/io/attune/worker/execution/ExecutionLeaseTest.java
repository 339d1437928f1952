package io.attune.worker.execution;

import io.attune.core.execution.Execution;
import io.attune.model.ExecutionStatus;
import io.attune.model.message.ExecutionCompleted;
import io.attune.worker.TestPacks;
import io.attune.worker.WorkerIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The worker's side of the leases: taken with the claim, renewed while the action runs, given up with the outcome —
 * and an outcome still reported when an executor took the lease meanwhile.
 */
class ExecutionLeaseTest extends WorkerIntegrationTest {
    @Autowired
    JdbcClient jdbc;
    @Autowired
    LeaseKeeper leaseKeeper;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("ATTUNE_PACKS_DIR", () -> TestPacks.testPacks().toString());
        registry.add("attune.worker.heartbeat-interval", () -> "200ms");
    }

    @Test
    void theLeaseIsTakenWithTheClaimRenewedWhileTheActionRunsAndGivenUpWithTheOutcome() {
        Execution execution = request("testing.sleep", "{\"seconds\": 2}");
        events.statusChange(execution.id(), WAIT);
        OffsetDateTime claimed = await().atMost(WAIT).until(() -> renewedAt(execution.id()), Optional::isPresent).get();
        assertThat(jdbc.sql("SELECT worker FROM attune.execution_lease WHERE execution_id = ?").param(execution.id())
                .query(String.class).single()).isEqualTo(leaseKeeper.worker());

        await("a renewal").atMost(Duration.ofSeconds(5))
                .until(() -> renewedAt(execution.id()).map(r -> r.isAfter(claimed)).orElse(false));
        ExecutionCompleted completed = events.completion(execution.id(), WAIT).payload();

        assertThat(completed.status()).isEqualTo(ExecutionStatus.COMPLETED);
        assertThat(renewedAt(execution.id())).as("given up with the outcome").isEmpty();
    }

    @Test
    void anOutcomeIsStillReportedWhenAnExecutorTookTheLeaseMeanwhile() {
        Execution execution = request("testing.sleep", "{\"seconds\": 2}");
        await().atMost(WAIT).until(() -> renewedAt(execution.id()), Optional::isPresent);
        // what the executors' sweep does to a lease it finds lapsed
        jdbc.sql("DELETE FROM attune.execution_lease WHERE execution_id = ?").param(execution.id()).update();

        ExecutionCompleted completed = events.completion(execution.id(), WAIT).payload();

        assertThat(completed.status()).as("the executor decides what becomes of it").isEqualTo(ExecutionStatus.COMPLETED);
        assertThat(renewedAt(execution.id())).isEmpty();
    }

    private Optional<OffsetDateTime> renewedAt(long executionId) {
        return jdbc.sql("SELECT renewed_at FROM attune.execution_lease WHERE execution_id = ?").param(executionId)
                .query(OffsetDateTime.class).optional();
    }
}
