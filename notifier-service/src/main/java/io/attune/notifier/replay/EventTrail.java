package io.attune.notifier.replay;

import io.attune.core.JsonColumns;
import io.attune.model.message.MalformedMessageException;
import io.attune.core.inquiry.Visibility;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessageType;
import io.attune.model.message.MessagePayload;
import io.attune.model.message.Messages;
import io.attune.model.ws.Notification;
import io.attune.notifier.notification.Activity;
import io.attune.notifier.notification.InquiryFacts;
import io.attune.notifier.notification.NotificationFactory;
import io.attune.notifier.notification.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads notifications back from the stored event trail ({@code attune.event}, kept for
 * {@code ATTUNE_EVENT_RETENTION}, 7 days by default). Filters and visibility are applied in SQL, exactly as
 * {@link Subscription#matches} applies them live.
 * Event ids are assigned in commit order, so a read that sees id N sees every smaller id too: reading "after N" in id
 * order never skips an event that a later read could still find.
 */
@Repository
public class EventTrail {
    private static final Logger log = LoggerFactory.getLogger(EventTrail.class);
    private static final String INQUIRY_TYPES = java.util.Arrays.stream(Activity.values())
            .map(a -> "'" + a.messageType().wireName() + "'").collect(Collectors.joining(", "));

    private final JdbcClient jdbc;

    public EventTrail(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Up to {@code limit} notifications with ids above {@code afterId} (and below {@code beforeId} when given) that
     * the subscription matches, in id order.
     */
    public List<Notification> after(long afterId, Long beforeId, Subscription subscription, int limit) {
        if (!subscription.canMatchInquiries()) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder("SELECT e.id, e.envelope::text AS envelope, i.execution, i.prompt, "
                + "i.assignment::text AS assignment FROM attune.event e JOIN attune.inquiry i ON i.id = e.inquiry_id "
                + "WHERE e.id > ? AND e.message_type IN (" + INQUIRY_TYPES + ")");
        List<Object> params = new ArrayList<>();
        params.add(afterId);
        if (beforeId != null) {
            sql.append(" AND e.id < ?");
            params.add(beforeId);
        }
        var filters = subscription.filters();
        if (subscription.inquiryId() != null) {
            sql.append(" AND e.inquiry_id = ?");
            params.add(subscription.inquiryId());
        }
        if (filters.activity() != null) {
            Activity activity = Activity.fromWire(filters.activity()).orElse(null);
            if (activity == null) {
                return List.of();
            }
            sql.append(" AND e.message_type = ?");
            params.add(activity.messageType().wireName());
        }
        if (filters.userId() != null) {
            sql.append(" AND ").append(Visibility.listsIdentity("i."));
            params.add(filters.userId());
        }
        if (filters.execution() != null) {
            sql.append(" AND i.execution = ?");
            params.add(filters.execution());
        }
        if (!subscription.actor().isAdmin()) {
            // Visibility.mayAnswer: the one rule; an escalation also reaches those it was taken from
            sql.append(" AND (").append(Visibility.mayAnswer("i.")).append(" OR (e.message_type = '")
                    .append(MessageType.INQUIRY_ESCALATED.wireName()).append("' AND attune.may_answer_inquiry("
                            + "attune.assignee_keys(e.envelope -> 'payload' -> 'previous_assigned_to'), ?)))");
            params.add(subscription.actor().id());
            params.add(subscription.actor().id());
        }
        sql.append(" ORDER BY e.id LIMIT ?");
        params.add(limit);
        List<Notification> notifications = new ArrayList<>();
        jdbc.sql(sql.toString()).params(params).query(rs -> {
            long id = rs.getLong("id");
            InquiryFacts facts = new InquiryFacts(rs.getLong("execution"), rs.getString("prompt"),
                    rs.getString("assignment") == null ? null
                            : io.attune.model.inquiry.Assignment.of(JsonColumns.json(rs, "assignment")));
            try {
                MessageEnvelope<MessagePayload> envelope = Messages.read(rs.getString("envelope"));
                NotificationFactory.notification(id, envelope.payload(), facts).ifPresent(notifications::add);
            } catch (MalformedMessageException e) {
                log.error("Stored event {} cannot be read, left out of the replay: {}", id, e.getMessage());
            }
        });
        return notifications;
    }

    /**
     * The assignee keys of an identity: itself and the groups it is a member of now (what the {@code user_id} filter
     * matches live; the replay asks the database the same question per row).
     */
    public Set<String> principalsOf(long identity) {
        return jdbc.sql(Visibility.PRINCIPALS_OF).param(identity)
                .query((rs, row) -> Set.of((String[]) rs.getArray(1).getArray())).single();
    }

    /** The newest event id stored so far (0 when there is none): what a subscribe reports as its position. */
    public long lastEventId() {
        return jdbc.sql("SELECT coalesce(max(id), 0) FROM attune.event").query(Long.class).single();
    }

    /**
     * The newest event id retention has deleted (0 when none): a replay from an older id cannot be complete. Kept by
     * service-core's EventPruner in the statement that deletes.
     */
    public long prunedThrough() {
        return jdbc.sql("SELECT pruned_through FROM attune.event_retention").query(Long.class).optional().orElse(0L);
    }
}
