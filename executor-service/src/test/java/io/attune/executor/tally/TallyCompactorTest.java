package io.attune.executor.tally;

import io.attune.core.execution.Execution;
import io.attune.executor.ExecutorIntegrationTest;
import io.attune.model.ExecutionStatus;
import io.attune.model.json.Json;
import io.attune.testsupport.BrokerProbe;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The executor's tally compaction: the rows each database backend counted inquiries in are folded into one per
 * status and assignee, and every count the lists read stays what it was.
 */
class TallyCompactorTest extends ExecutorIntegrationTest {
    static final String SUMS = "SELECT status || '/' || assigned_to || '=' || sum(inquiries) FROM attune.inquiry_tally "
            + "GROUP BY status, assigned_to HAVING sum(inquiries) <> 0 ORDER BY 1";

    @Autowired
    TallyCompactor compactor;

    @Test
    void foldsEveryBackendsRowsWithoutChangingACount() {
        List<Execution> asking = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            asking.add(runningExecution());
        }
        try (BrokerProbe probe = probe("nothing.to.see")) {
            asking.forEach(e -> probe.publish(report(e, ExecutionStatus.COMPLETED,
                    Json.tree("{\"__inquiry\": {\"prompt\": \"Deploy?\"}}"))));
        }
        asking.forEach(e -> awaitStatus(e.id(), ExecutionStatus.PAUSED));
        List<String> before = jdbc.sql(SUMS).query(String.class).list();
        assertThat(jdbc.sql("SELECT count(*) FROM attune.inquiry_tally WHERE shard <> 0").query(Long.class).single())
                .as("the executor's backends counted the new inquiries in rows of their own").isPositive();
        double folded = count("attune.inquiry.tally.folded");

        assertThat(compactor.compact()).isPositive();

        assertThat(jdbc.sql("SELECT DISTINCT shard FROM attune.inquiry_tally").query(Integer.class).list())
                .containsExactly(0);
        assertThat(jdbc.sql(SUMS).query(String.class).list()).isEqualTo(before);
        assertThat(jdbc.sql("SELECT sum(inquiries) FROM attune.inquiry_tally WHERE status = 'pending'")
                .query(Long.class).single())
                .isEqualTo(jdbc.sql("SELECT count(*) FROM attune.inquiry WHERE status = 'pending'").query(Long.class)
                        .single());
        assertThat(count("attune.inquiry.tally.folded")).isGreaterThan(folded);
    }
}
