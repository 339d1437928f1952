package io.attune.notifier.channel;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Deliveries an event calls for besides the channels': a Spring bean implementing this is asked about every stored
 * inquiry event the fan-out reads, in the fan-out's transaction. Per-execution callbacks plug in here: for a decided
 * inquiry whose execution carries {@code callback {"url", "secret"}}, return one {@link PlannedDelivery} with no
 * channel, target key {@code callback:<execution>} and that callback; the engine signs and retries it like a webhook.
 */
public interface DeliveryTargetSource {

    List<PlannedDelivery> plan(StoredEvent event);

    /**
     * Of a batch of inquiry events, the inquiries this source may plan a delivery for, asked once per batch before
     * any inquiry is read: with no channel enabled, the fan-out reads only the inquiries some source may want (one
     * query for the batch instead of a read of each inquiry and a question to each source per event). By default
     * every one.
     */
    default Set<Long> mayPlanFor(Collection<InquiryEvent> events) {
        return events.stream().map(InquiryEvent::inquiryId).collect(java.util.stream.Collectors.toSet());
    }

    /** An event of a batch: its routing key ({@code inquiry.responded}) and its inquiry. */
    record InquiryEvent(String type, long inquiryId) {
    }
}
