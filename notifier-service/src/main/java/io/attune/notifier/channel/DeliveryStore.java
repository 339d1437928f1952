package io.attune.notifier.channel;

import io.attune.core.JsonColumns;
import io.attune.core.channel.Delivery;
import io.attune.core.channel.DeliveryOutcome;
import io.attune.core.channel.SenderReports;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.attune.core.JsonColumns.instant;

/**
 * Claims and records deliveries. A claim takes due rows with {@code FOR UPDATE SKIP LOCKED} (two replicas never take
 * the same row), stamps them with a fresh claim id and moves their {@code next_attempt_at} to the end of the lease:
 * should the replica die, the row falls due again then and another replica tries it (same message id). A result is
 * written only under the claim that made the try, so a replica that lost its lease cannot overwrite a later try.
 * A replica claims only the kinds of channel it can send now: a delivery no replica can send (email without SMTP)
 * waits, pending, for one that can, and is given up at the end of its retry window ({@link #giveUpUnsendable}).
 */
@Component
public class DeliveryStore {
    static final String LOST = "the replica making this try stopped before it ended (its lease expired)";
    /** A delivery's kind of channel: a per-execution callback (no channel) is sent as a webhook. */
    private static final String TYPE = "coalesce((SELECT c.type FROM attune.channel c WHERE c.id = d.channel_id), "
            + "'webhook')";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    public DeliveryStore(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** A claimed delivery: what to send, where, and the claim that may record its result. */
    public record Claimed(Delivery delivery, Long channelId, JsonNode callback, UUID claim) {
    }

    /** Up to {@code limit} due deliveries of the channel {@code types} this replica can send, for {@code lease}. */
    public List<Claimed> claim(int limit, Set<String> types, String replica, Duration lease) {
        if (types.isEmpty()) {
            return List.of();
        }
        UUID claim = UUID.randomUUID();
        return transactions.execute(status -> {
            List<Claimed> claimed = jdbc.sql("UPDATE attune.delivery SET claim = ?, claimed_by = ?, "
                            + "attempts = attempts + 1, lease_until = now() + make_interval(secs => ?), "
                            + "next_attempt_at = now() + make_interval(secs => ?) "
                            + "WHERE id IN (SELECT d.id FROM attune.delivery d WHERE d.status = 'pending' "
                            + "AND d.next_attempt_at <= now() AND " + TYPE + " = ANY (?) "
                            + "ORDER BY d.next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED) "
                            + "RETURNING id, message_id, event_id, event_type, inquiry_id, recipient_id, "
                            + "recipient, attempts, created, message::text AS message, channel_id, "
                            + "callback::text AS callback")
                    .params(claim, replica, (double) lease.toMillis() / 1000, (double) lease.toMillis() / 1000,
                            types.toArray(String[]::new), limit)
                    .query((rs, n) -> new Claimed(new Delivery(rs.getLong("id"), rs.getString("message_id"),
                            JsonColumns.nullableLong(rs, "event_id"), rs.getString("event_type"),
                            JsonColumns.nullableLong(rs, "inquiry_id"), JsonColumns.nullableLong(rs, "recipient_id"),
                            rs.getString("recipient"), rs.getInt("attempts"), instant(rs, "created"),
                            JsonColumns.json(rs, "message")), JsonColumns.nullableLong(rs, "channel_id"),
                            JsonColumns.json(rs, "callback"), claim))
                    .list();
            for (Claimed c : claimed) {
                jdbc.sql("UPDATE attune.delivery_attempt SET status = 'failed', error = ?, finished_at = now() "
                        + "WHERE delivery_id = ? AND status = 'sending'").params(LOST, c.delivery().id()).update();
                jdbc.sql("INSERT INTO attune.delivery_attempt (delivery_id, attempt, status, replica) "
                                + "VALUES (?, ?, 'sending', ?) ON CONFLICT (delivery_id, attempt) DO NOTHING")
                        .params(c.delivery().id(), c.delivery().attempt(), replica).update();
            }
            return claimed;
        });
    }

    /**
     * Records one try's outcome: the attempt row, and the delivery's new state — delivered, failed, not sent, or
     * pending again at {@code retryAt} (given up once that is past {@code give_up_at}). False when the claim was lost.
     */
    public boolean record(Claimed claimed, DeliveryOutcome outcome, Duration retryAfter) {
        Boolean recorded = transactions.execute(status -> {
            long id = claimed.delivery().id();
            String attemptStatus = switch (outcome.result()) {
                case DELIVERED -> "delivered";
                case NOT_SENT -> "not_sent";
                case RETRY, FAILED -> "failed";
            };
            String error = outcome.error() == null ? null : truncate(outcome.error());
            jdbc.sql("UPDATE attune.delivery_attempt SET status = ?, response_code = ?, error = ?, finished_at = now() "
                            + "WHERE delivery_id = ? AND attempt = ?")
                    .params(attemptStatus, outcome.responseCode(), error, id, claimed.delivery().attempt()).update();
            String sql = switch (outcome.result()) {
                case DELIVERED -> "UPDATE attune.delivery SET status = 'delivered', delivered_at = now(), "
                        + "next_attempt_at = NULL, last_code = ?, last_error = ?, claim = NULL, lease_until = NULL "
                        + "WHERE id = ? AND claim = ?";
                case FAILED -> "UPDATE attune.delivery SET status = 'failed', next_attempt_at = NULL, last_code = ?, "
                        + "last_error = ?, claim = NULL, lease_until = NULL WHERE id = ? AND claim = ?";
                case NOT_SENT -> "UPDATE attune.delivery SET status = 'not_sent', next_attempt_at = NULL, "
                        + "last_code = ?, last_error = ?, claim = NULL, lease_until = NULL WHERE id = ? AND claim = ?";
                case RETRY -> "UPDATE attune.delivery SET "
                        + "status = CASE WHEN now() >= give_up_at THEN 'failed' ELSE 'pending' END, "
                        + "next_attempt_at = CASE WHEN now() >= give_up_at THEN NULL "
                        + "  ELSE least(now() + make_interval(secs => " + retryAfter.toMillis() / 1000.0 + "), "
                        + "give_up_at) END, last_code = ?, last_error = ?, claim = NULL, lease_until = NULL "
                        + "WHERE id = ? AND claim = ?";
            };
            return jdbc.sql(sql).params(outcome.responseCode(), error, id, claimed.claim()).update() == 1;
        });
        return Boolean.TRUE.equals(recorded);
    }

    /** Whether a delivery ended as given up (read after a retry was recorded, for the metrics). */
    public String status(long id) {
        return jdbc.sql("SELECT status FROM attune.delivery WHERE id = ?").param(id).query(String.class).optional()
                .orElse("gone");
    }

    /** Whether {@code inquiryId} is still pending: a respond link is offered only then. */
    public boolean inquiryPending(long inquiryId) {
        return jdbc.sql("SELECT status = 'pending' FROM attune.inquiry WHERE id = ?").param(inquiryId)
                .query(Boolean.class).optional().orElse(false);
    }

    /**
     * Gives up the due deliveries of channel {@code type} whose retry window is over while no replica can send them
     * (this one cannot, and none reported lately that it can): {@code failed}, with {@code reason}. Nobody else would
     * end them, as no replica claims them. The number given up.
     */
    public int giveUpUnsendable(String type, String reason) {
        return jdbc.sql("UPDATE attune.delivery SET status = 'failed', next_attempt_at = NULL, last_error = ? "
                        + "WHERE id IN (SELECT d.id FROM attune.delivery d WHERE d.status = 'pending' "
                        + "AND d.next_attempt_at <= now() AND d.give_up_at <= now() AND " + TYPE + " = ? "
                        + "AND NOT " + SenderReports.SOME_REPLICA_CAN_SEND.formatted("?") + " FOR UPDATE SKIP LOCKED)")
                .params(truncate("not sent within its retry window: " + reason), type, type).update();
    }

    static String truncate(String text) {
        return text.length() <= 1000 ? text : text.substring(0, 1000) + "…";
    }

    static Instant now() {
        return Instant.now();
    }
}
