package io.attune.executor;

import io.attune.core.execution.Execution;
import io.attune.model.ExecutionStatus;
import io.attune.model.json.Json;
import io.attune.model.message.ExecutionStatusChanged;
import io.attune.model.message.InquiryCreated;
import io.attune.model.message.InquiryTimedOut;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessagePayload;
import io.attune.model.message.Messages;
import io.attune.testsupport.BrokerProbe;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two executors on the same database and broker, as two replicas would run: their consumers compete for the same
 * queues and their timeout checkers sweep the same table. Nothing may be missed and nothing done twice. Small
 * timeout batches make the two checkers interleave.
 */
@SpringBootTest(classes = ExecutorApplication.class, properties = "attune.inquiry.timeout-batch-size=50")
class TwoExecutorsTest extends ExecutorIntegrationTest {
    private static final Logger log = LoggerFactory.getLogger(TwoExecutorsTest.class);
    private static final int INQUIRIES = 1_000;
    static ConfigurableApplicationContext second;

    /** The second executor, started once the first (the test's context) has made the environment. */
    @BeforeEach
    void startSecondExecutor() {
        if (second == null) {
            List<String> args = new ArrayList<>();
            environment.variables().forEach((name, value) -> args.add("--" + name + "=" + value));
            args.add("--server.port=0");
            args.add("--attune.inquiry.timeout-batch-size=50");
            second = new SpringApplicationBuilder(ExecutorApplication.class).run(args.toArray(String[]::new));
        }
    }

    @AfterAll
    static void stopSecondExecutor() {
        if (second != null) {
            second.close();
            second = null;
        }
    }

    double bothCount(String meter) {
        return count(meter) + second.getBean(MeterRegistry.class).counter(meter).count();
    }

    @Test
    void inquiriesThatExpireTogetherAreEachTimedOutOnce() {
        double timedOutBefore = bothCount("attune.inquiries.timed_out");
        List<Long> ids = pendingInquiries(INQUIRIES);
        try (BrokerProbe timeouts = probe("inquiry.timeout");
             BrokerProbe changes = probe("execution.status.changed")) {
            jdbc.sql("UPDATE attune.inquiry SET timeout_at = now() - interval '1 second' WHERE id = ANY(?)")
                    .param(ids.toArray(Long[]::new)).update();

            List<MessageEnvelope<MessagePayload>> announced = timeouts.take(INQUIRIES, Duration.ofSeconds(60));
            assertThat(timeouts.drain(Duration.ofSeconds(2))).as("InquiryTimedOut beyond one per inquiry").isEmpty();
            Set<Long> announcedIds = new HashSet<>();
            for (MessageEnvelope<MessagePayload> event : announced) {
                announcedIds.add(((InquiryTimedOut) event.payload()).inquiryId());
            }
            assertThat(announcedIds).containsExactlyInAnyOrderElementsOf(ids);

            assertThat(jdbc.sql("SELECT count(*) FROM attune.inquiry WHERE id = ANY(?) AND status = 'timeout'")
                    .param(ids.toArray(Long[]::new)).query(Long.class).single()).isEqualTo(INQUIRIES);
            assertThat(jdbc.sql("SELECT count(*) FROM attune.execution e JOIN attune.inquiry i ON i.execution = e.id "
                            + "WHERE i.id = ANY(?) AND e.status = 'timeout' AND e.result -> '__inquiry' ->> 'status' = 'timeout'")
                    .param(ids.toArray(Long[]::new)).query(Long.class).single()).isEqualTo(INQUIRIES);
            assertThat(jdbc.sql("SELECT count(*), count(DISTINCT inquiry) FROM attune.inquiry_audit "
                            + "WHERE inquiry = ANY(?) AND action = 'timeout' AND actor = 'system'")
                    .param(ids.toArray(Long[]::new))
                    .query((rs, n) -> List.of(rs.getLong(1), rs.getLong(2))).single())
                    .containsExactly((long) INQUIRIES, (long) INQUIRIES);

            List<MessageEnvelope<MessagePayload>> statusChanges = changes.take(INQUIRIES, Duration.ofSeconds(30));
            assertThat(changes.drain(Duration.ofSeconds(1))).isEmpty();
            assertThat(statusChanges).extracting(e -> ((ExecutionStatusChanged) e.payload()).status())
                    .containsOnly(ExecutionStatus.TIMEOUT);
            assertThat(statusChanges).extracting(e -> e.payload().executionId()).doesNotHaveDuplicates();

            double first = count("attune.inquiries.timed_out");
            double other = second.getBean(MeterRegistry.class).counter("attune.inquiries.timed_out").count();
            log.info("Timed out {} inquiries: {} by the first executor, {} by the second", INQUIRIES, first, other);
            assertThat(bothCount("attune.inquiries.timed_out") - timedOutBefore).isEqualTo(INQUIRIES);
        }
    }

    @Test
    void reportsDeliveredThreeTimesToTwoExecutorsOpenOneInquiryEach() {
        int reports = 20;
        double duplicatesBefore = bothCount("attune.execution.reports.duplicate");
        List<Long> executionIds = new ArrayList<>();
        try (BrokerProbe probe = probe("inquiry.created")) {
            List<byte[]> messages = new ArrayList<>();
            for (int i = 0; i < reports; i++) {
                Execution execution = runningExecution();
                executionIds.add(execution.id());
                messages.add(Messages.write(report(execution, ExecutionStatus.COMPLETED,
                        Json.tree("{\"__inquiry\": {\"prompt\": \"Approve " + i + "?\"}}"))));
            }
            for (int copy = 0; copy < 3; copy++) {
                messages.forEach(body -> probe.publish("execution.completed", body));
            }
            await().atMost(WAIT).until(() -> bothCount("attune.execution.reports.duplicate")
                    == duplicatesBefore + 2 * reports);

            List<MessageEnvelope<MessagePayload>> created = probe.take(reports, WAIT);
            assertThat(probe.drain(Duration.ofSeconds(1))).isEmpty();
            assertThat(created).extracting(e -> ((InquiryCreated) e.payload()).executionId())
                    .containsExactlyInAnyOrderElementsOf(executionIds);
            assertThat(jdbc.sql("SELECT count(*) FROM attune.inquiry WHERE execution = ANY(?)")
                    .param(executionIds.toArray(Long[]::new)).query(Long.class).single()).isEqualTo(reports);
        }
    }

    /** {@code count} paused executions, each with a pending inquiry due in an hour, made in two statements. */
    private List<Long> pendingInquiries(int count) {
        return jdbc.sql("""
                        WITH paused AS (
                            INSERT INTO attune.execution (action_ref, parameters, status, result)
                            SELECT 'examples.bulk_approval', '{}'::jsonb, 'paused',
                                   jsonb_build_object('__inquiry', jsonb_build_object('prompt', 'Approve batch ' || n),
                                                      'batch', n)
                            FROM generate_series(1, ?) AS n
                            RETURNING id, result)
                        INSERT INTO attune.inquiry (execution, prompt, timeout_at)
                        SELECT id, result -> '__inquiry' ->> 'prompt', now() + interval '1 hour' FROM paused
                        RETURNING id""")
                .param(count).query(Long.class).list();
    }
}
