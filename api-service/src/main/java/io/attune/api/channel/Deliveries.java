package io.attune.api.channel;

import io.attune.api.web.Paging;
import io.attune.core.JsonColumns;
import io.attune.core.channel.Channel;
import io.attune.core.channel.SenderReports;
import io.attune.core.error.DomainException;
import io.attune.model.channel.ChannelStatus;
import io.attune.model.channel.DeliveryView;
import io.attune.model.channel.DeliveryView.AttemptView;
import io.attune.model.rest.ApiError.ErrorDetail;
import io.attune.model.rest.ErrorCode;
import io.attune.model.rest.PageResponse;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.attune.core.JsonColumns.instant;

/**
 * What the API reads of the deliveries: the log of a channel or of an external request's decision callback (the same
 * rows, with no channel: {@link Target}), and each channel's status. The {@code callback} column, which holds the
 * callback's signing secret, is never read here.
 */
@Repository
public class Deliveries {
    /** The {@code status} filter of a delivery log. */
    private static final Set<String> STATUSES = Set.of("pending", "delivered", "failed", "not_sent");

    private final JdbcClient jdbc;
    private final SenderReports senderReports;

    public Deliveries(JdbcClient jdbc, SenderReports senderReports) {
        this.jdbc = jdbc;
        this.senderReports = senderReports;
    }

    /** Whose deliveries a log shows: each kind is one index range (channel_id, id) or (target_key, id). */
    public static final class Target {
        private final String condition;
        private final Object key;

        private Target(String condition, Object key) {
            this.condition = condition;
            this.key = key;
        }

        public static Target channel(long channelId) {
            return new Target("channel_id = ?", channelId);
        }

        /** A decision callback's deliveries, by their target key ({@code ExternalRequests.Callback#targetKey}). */
        public static Target callback(String targetKey) {
            return new Target("channel_id IS NULL AND target_key = ?", targetKey);
        }
    }

    /**
     * A page of the target's log as the API answers it: {@code status} one of {@link #STATUSES} or blank for all; 400
     * naming the parameter otherwise.
     */
    public PageResponse<DeliveryView> log(Target target, String status, Paging paging) {
        String wanted = status == null || status.isBlank() ? null : status;
        if (wanted != null && !STATUSES.contains(wanted)) {
            throw new DomainException(ErrorCode.BAD_REQUEST, "invalid parameter: status", List.of(new ErrorDetail(
                    "status", "must be pending, delivered, failed or not_sent, not " + wanted)));
        }
        return PageResponse.of(read(target, null, wanted, paging.perPage(), paging.offset()), count(target, wanted),
                paging.page(), paging.perPage());
    }

    private List<DeliveryView> read(Target target, Long deliveryId, String status, int limit, long offset) {
        List<DeliveryView> rows = jdbc.sql("SELECT id, message_id, event_id, event_type, inquiry_id, recipient, status, "
                        + "attempts, next_attempt_at, last_code, last_error, delivered_at, give_up_at, created "
                        + "FROM attune.delivery WHERE " + target.condition + " AND (?::text IS NULL OR status = ?) "
                        + "AND (?::bigint IS NULL OR id = ?) ORDER BY id DESC LIMIT ? OFFSET ?")
                .params(target.key, status, status, deliveryId, deliveryId, limit, offset)
                .query((rs, n) -> new DeliveryView(rs.getLong("id"), rs.getString("message_id"),
                        JsonColumns.nullableLong(rs, "event_id"), rs.getString("event_type"),
                        JsonColumns.nullableLong(rs, "inquiry_id"), rs.getString("recipient"), rs.getString("status"),
                        rs.getInt("attempts"), instant(rs, "next_attempt_at"), JsonColumns.nullableLong(rs, "last_code")
                        == null ? null : rs.getInt("last_code"), rs.getString("last_error"),
                        instant(rs, "delivered_at"), instant(rs, "give_up_at"), instant(rs, "created"), List.of()))
                .list();
        if (rows.isEmpty()) {
            return rows;
        }
        Map<Long, List<AttemptView>> tries = new HashMap<>();
        jdbc.sql("SELECT delivery_id, attempt, status, response_code, error, started_at, finished_at "
                        + "FROM attune.delivery_attempt WHERE delivery_id = ANY (?) ORDER BY delivery_id, attempt")
                .param(rows.stream().map(DeliveryView::id).toArray(Long[]::new))
                .query(rs -> {
                    tries.computeIfAbsent(rs.getLong("delivery_id"), k -> new ArrayList<>()).add(new AttemptView(
                            rs.getInt("attempt"), rs.getString("status"),
                            JsonColumns.nullableLong(rs, "response_code") == null ? null : rs.getInt("response_code"),
                            rs.getString("error"), instant(rs, "started_at"), instant(rs, "finished_at")));
                });
        return rows.stream().map(d -> new DeliveryView(d.id(), d.messageId(), d.eventId(), d.eventType(), d.inquiry(),
                d.recipient(), d.status(), d.attempts(), d.nextAttemptAt(), d.lastResponseCode(), d.lastError(),
                d.deliveredAt(), d.giveUpAt(), d.created(), tries.getOrDefault(d.id(), List.of()))).toList();
    }

    private long count(Target target, String status) {
        return jdbc.sql("SELECT count(*) FROM attune.delivery WHERE " + target.condition
                        + " AND (?::text IS NULL OR status = ?)")
                .params(target.key, status, status).query(Long.class).single();
    }

    public DeliveryView one(long channelId, long deliveryId) {
        return read(Target.channel(channelId), deliveryId, null, 1, 0).get(0);
    }

    /**
     * How {@code channel} is doing: unavailable while the notifiers report that none of them can send its kind (no
     * SMTP server, say), else by its newest delivery.
     */
    public ChannelStatus status(Channel channel) {
        Optional<SenderReports.State> sender = senderReports.state(channel.type());
        var newest = jdbc.sql("SELECT status, last_error, coalesce(delivered_at, updated) AS at FROM attune.delivery "
                        + "WHERE channel_id = ? ORDER BY id DESC LIMIT 1").param(channel.id())
                .query((rs, n) -> new Object[]{rs.getString("status"), rs.getString("last_error"), instant(rs, "at")})
                .optional();
        long pending = jdbc.sql("SELECT count(*) FROM attune.delivery WHERE channel_id = ? AND status = 'pending'")
                .param(channel.id()).query(Long.class).single();
        java.time.Instant last = newest.map(row -> (java.time.Instant) row[2]).orElse(null);
        if (!channel.enabled()) {
            return new ChannelStatus("disabled", "the channel is disabled: no deliveries are made", last, pending);
        }
        if (sender.isPresent() && !sender.get().available()) {
            return new ChannelStatus("unavailable", sender.get().reason(), last, pending);
        }
        if (newest.isEmpty()) {
            return new ChannelStatus("ok", null, null, pending);
        }
        String status = (String) newest.get()[0];
        String error = (String) newest.get()[1];
        return switch (status) {
            case "pending" -> error == null ? new ChannelStatus("ok", null, last, pending)
                    : new ChannelStatus("retrying", error, last, pending);
            case "failed" -> new ChannelStatus("failing", error, last, pending);
            case "not_sent" -> new ChannelStatus("unavailable", error, last, pending);
            default -> new ChannelStatus("ok", null, last, pending);
        };
    }
}
