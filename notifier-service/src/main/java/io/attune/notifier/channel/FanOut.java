package io.attune.notifier.channel;

import io.attune.core.channel.Channel;
import io.attune.core.channel.ChannelFilters;
import io.attune.core.channel.ChannelRepository;
import io.attune.core.execution.ExecutionRepository;
import io.attune.core.inquiry.Inquiry;
import io.attune.core.inquiry.InquiryRepository;
import io.attune.core.inquiry.ResultMask;
import io.attune.model.json.Json;
import io.attune.model.rest.InquiryView;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the stored event trail into delivery rows: every inquiry event, for every enabled channel whose filters match
 * (and every {@link DeliveryTargetSource}), one row per target. One replica at a time moves the cursor
 * ({@code attune.channel_dispatch}, locked with SKIP LOCKED); the rows and the cursor commit together and the rows'
 * unique key (event, target) makes a repeated fan-out add nothing. Event ids are assigned in commit order, so reading
 * "after the cursor" in id order never skips an event. Any inquiry event counts, whatever its routing key
 * ({@code inquiry.<activity>}): events added later flow through as they are.
 */
@Component
public class FanOut {
    private static final Logger log = LoggerFactory.getLogger(FanOut.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final ChannelRepository channels;
    private final InquiryRepository inquiries;
    private final ExecutionRepository executions;
    private final ResultMask resultMask;
    private final Approvers approvers;
    private final InquiryLinks links;
    private final List<DeliveryTargetSource> sources;
    private final ChannelSettings settings;
    private final MeterRegistry meters;

    public FanOut(JdbcClient jdbc, TransactionTemplate transactions, ChannelRepository channels,
                  InquiryRepository inquiries, ExecutionRepository executions, ResultMask resultMask,
                  Approvers approvers, InquiryLinks links, List<DeliveryTargetSource> sources,
                  ChannelSettings settings, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.channels = channels;
        this.inquiries = inquiries;
        this.executions = executions;
        this.resultMask = resultMask;
        this.approvers = approvers;
        this.links = links;
        this.sources = sources;
        this.settings = settings;
        this.meters = meters;
    }

    /** Fans out up to one batch of events; the number of events read (0 when none, or another replica holds the cursor). */
    public int runOnce() {
        Integer read = transactions.execute(status -> {
            Optional<Long> cursor = jdbc.sql("SELECT last_event_id FROM attune.channel_dispatch FOR UPDATE SKIP LOCKED")
                    .query(Long.class).optional();
            if (cursor.isEmpty()) {
                return 0;
            }
            List<RawEvent> events = jdbc.sql("SELECT id, routing_key, inquiry_id FROM attune.event WHERE id > ? "
                            + "ORDER BY id LIMIT ?")
                    .params(cursor.get(), settings.batch())
                    .query((rs, n) -> new RawEvent(rs.getLong("id"), rs.getString("routing_key"),
                            io.attune.core.JsonColumns.nullableLong(rs, "inquiry_id")))
                    .list();
            if (events.isEmpty()) {
                return 0;
            }
            List<Channel> enabled = channels.enabled();
            List<RawEvent> inquiryEvents = events.stream()
                    .filter(raw -> raw.inquiryId() != null && raw.routingKey().startsWith("inquiry.")).toList();
            Set<Long> wanted = enabled.isEmpty() ? wantedBySources(inquiryEvents) : null;
            // no channel, and no source plans anything for an event's inquiry: neither it nor its envelope is read
            List<RawEvent> planned = wanted == null ? inquiryEvents
                    : inquiryEvents.stream().filter(raw -> wanted.contains(raw.inquiryId())).toList();
            Map<Long, String> envelopes = envelopes(planned);
            for (RawEvent raw : planned) {
                String envelope = envelopes.get(raw.id());
                if (envelope == null) {
                    continue; // pruned meanwhile: older than the retention, too old to announce
                }
                try {
                    toEvent(raw, envelope).ifPresent(event -> plan(event, enabled).forEach(p -> store(event, p)));
                } catch (RuntimeException e) {
                    // a defect with one event must not stop every channel behind it; it is logged, not retried
                    log.error("Event {} could not be fanned out to the channels: {}", raw.id(), e.toString(), e);
                }
            }
            jdbc.sql("UPDATE attune.channel_dispatch SET last_event_id = ?")
                    .param(events.get(events.size() - 1).id()).update();
            return events.size();
        });
        return read == null ? 0 : read;
    }

    private Set<Long> wantedBySources(List<RawEvent> inquiryEvents) {
        List<DeliveryTargetSource.InquiryEvent> asked = inquiryEvents.stream()
                .map(raw -> new DeliveryTargetSource.InquiryEvent(raw.routingKey(), raw.inquiryId())).toList();
        Set<Long> wanted = new HashSet<>();
        for (DeliveryTargetSource source : sources) {
            wanted.addAll(source.mayPlanFor(asked));
        }
        return wanted;
    }

    /** The envelopes of the events to plan, in one query. */
    private Map<Long, String> envelopes(List<RawEvent> events) {
        if (events.isEmpty()) {
            return Map.of();
        }
        Long[] ids = events.stream().map(RawEvent::id).toArray(Long[]::new);
        Map<Long, String> envelopes = new HashMap<>();
        jdbc.sql("SELECT id, envelope::text AS envelope FROM attune.event WHERE id = ANY(?)")
                .param(ids)
                .query(rs -> {
                    envelopes.put(rs.getLong("id"), rs.getString("envelope"));
                });
        return envelopes;
    }

    private Optional<StoredEvent> toEvent(RawEvent raw, String rawEnvelope) {
        Optional<Inquiry> inquiry = inquiries.find(raw.inquiryId());
        if (inquiry.isEmpty()) {
            return Optional.empty();
        }
        JsonNode envelope = Json.tree(rawEnvelope);
        Instant timestamp = envelope.hasNonNull("timestamp") ? Instant.parse(envelope.get("timestamp").asString())
                : Instant.now();
        String activity = raw.routingKey().substring("inquiry.".length());
        return Optional.of(new StoredEvent(raw.id(), raw.routingKey(), activity, timestamp, envelope.get("payload"),
                inquiry.get().toView()));
    }

    /** The deliveries one event calls for. */
    List<PlannedDelivery> plan(StoredEvent event, List<Channel> enabled) {
        List<PlannedDelivery> planned = new ArrayList<>();
        // who may answer is a query; events of a suite without channels (callbacks only) need not pay for it
        List<Long> eligible = enabled.isEmpty() ? List.of() : approvers.eligible(event.inquiry());
        for (Channel channel : enabled) {
            if (event.id() <= channel.startAfterEvent()
                    || !ChannelFilters.matches(channel.filters(), event.activity(), eligible, approvers::inGroup)) {
                continue;
            }
            String key = "channel:" + channel.id();
            if ("email".equals(channel.type())) {
                List<Approvers.Recipient> recipients = approvers.withEmail(eligible);
                if (recipients.isEmpty()) {
                    planned.add(new PlannedDelivery(channel.id(), key, null, null, null, message(event, true),
                            eligible.isEmpty() ? "the inquiry names no approver to email"
                                    : "no approver of the inquiry has an email attribute"));
                }
                for (Approvers.Recipient recipient : recipients) {
                    planned.add(new PlannedDelivery(channel.id(), key + ":identity:" + recipient.id(), null,
                            recipient.id(), recipient.email(), message(event, true), null));
                }
            } else {
                // a respond link is offered only when exactly one identity may answer (bound to it); never in
                // Slack, where a whole channel reads the message (it answers with its buttons, or the view link),
                // whose message summarises the context instead
                boolean slack = "slack".equals(channel.type());
                Long only = eligible.size() == 1 && !slack ? eligible.get(0) : null;
                planned.add(new PlannedDelivery(channel.id(), key, null, only, null, message(event, slack), null));
            }
        }
        for (DeliveryTargetSource source : sources) {
            planned.addAll(source.plan(event));
        }
        return planned;
    }

    /**
     * {@code {"type", "timestamp", "data": {"inquiry", "links": {"view"}}}}; the respond link is minted when the
     * delivery is sent (a token is never stored in clear). Email adds {@code data.context}: the execution's result
     * without {@code __inquiry}, its secrets masked (Slack too, for its summary).
     */
    ObjectNode message(StoredEvent event, boolean withContext) {
        ObjectNode message = Json.object();
        message.put("type", event.type());
        message.put("timestamp", event.timestamp().toString());
        ObjectNode data = message.putObject("data");
        data.set("inquiry", Json.convert(event.inquiry(), JsonNode.class));
        data.putObject("links").put("view", links.view(event.inquiry().id()));
        if (withContext) {
            data.set("context", context(event.inquiry()));
        }
        return message;
    }

    private JsonNode context(InquiryView inquiry) {
        return executions.find(inquiry.execution())
                .map(execution -> resultMask.shown(execution.result()))
                .filter(JsonNode::isObject)
                .map(result -> {
                    ObjectNode copy = (ObjectNode) result.deepCopy();
                    copy.remove("__inquiry");
                    return (JsonNode) copy;
                })
                .orElse(null);
    }

    private void store(StoredEvent event, PlannedDelivery planned) {
        int added = jdbc.sql("INSERT INTO attune.delivery (message_id, event_id, channel_id, target_key, callback, "
                        + "event_type, inquiry_id, recipient_id, recipient, message, status, next_attempt_at, "
                        + "give_up_at, last_error) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?::jsonb, ?, "
                        + "CASE WHEN ? THEN NULL ELSE now() END, now() + make_interval(secs => ?), ?) "
                        + "ON CONFLICT (event_id, target_key) DO NOTHING")
                .params(newMessageId(), event.id(), planned.channelId(), planned.targetKey(),
                        io.attune.core.JsonColumns.text(planned.callback()), event.type(), event.inquiry().id(),
                        planned.recipientId(), planned.recipient(), Json.write(planned.message()),
                        planned.notSent() == null ? "pending" : "not_sent", planned.notSent() != null,
                        (double) settings.retryWindow().toSeconds(), planned.notSent())
                .update();
        if (added == 1) {
            meters.counter("attune.channel.deliveries.planned", "outcome",
                    planned.notSent() == null ? "pending" : "not_sent").increment();
        }
    }

    /** Standard Webhooks' message id: {@code msg_} and 128 random bits. */
    public static String newMessageId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return "msg_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private record RawEvent(long id, String routingKey, Long inquiryId) {
    }
}
