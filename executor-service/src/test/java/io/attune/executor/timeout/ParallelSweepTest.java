package io.attune.executor.timeout;

import io.attune.executor.ExecutorIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many inquiries expiring at once are swept by several transactions side by side (small batches here, so that the
 * workers really overlap): every inquiry is still timed out exactly once, with its execution, audit entry and events.
 */
@TestPropertySource(properties = {"attune.inquiry.timeout-batch-size=20", "attune.inquiry.timeout-sweep-workers=4"})
class ParallelSweepTest extends ExecutorIntegrationTest {
    private static final int EXPIRING = 600;

    @Test
    void everyExpiredInquiryTimesOutExactlyOnce() {
        // stored as the completion listener leaves them, all expiring at the same moment
        jdbc.sql("""
                WITH e AS (INSERT INTO attune.execution (action_ref, status, result)
                           SELECT 'examples.deploy_approval', 'paused', '{"__inquiry": {"prompt": "Go?"}}'
                           FROM generate_series(1, ?) RETURNING id)
                INSERT INTO attune.inquiry (execution, prompt, timeout_at) SELECT id, 'Go?', now() FROM e""")
                .param(EXPIRING).update();

        await().atMost(WAIT).until(() -> rows("SELECT count(*) FROM attune.inquiry WHERE status = 'timeout'")
                == EXPIRING);

        assertThat(rows("SELECT count(*) FROM attune.execution WHERE status = 'timeout' "
                + "AND result -> '__inquiry' ->> 'status' = 'timeout'")).isEqualTo(EXPIRING);
        assertThat(rows("SELECT count(*) FROM attune.inquiry_audit WHERE action = 'timeout'")).isEqualTo(EXPIRING);
        assertThat(rows("SELECT count(DISTINCT inquiry) FROM attune.inquiry_audit WHERE action = 'timeout'"))
                .isEqualTo(EXPIRING);
        assertThat(rows("SELECT count(*) FROM attune.event WHERE message_type = 'InquiryTimedOut'"))
                .isEqualTo(EXPIRING);
        assertThat(rows("SELECT count(*) FROM attune.event WHERE message_type = 'ExecutionStatusChanged'"))
                .isEqualTo(EXPIRING);
        assertThat(count("attune.inquiries.timed_out")).isEqualTo(EXPIRING);
    }

    private long rows(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }
}
