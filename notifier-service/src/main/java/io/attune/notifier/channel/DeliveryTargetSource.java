package io.attune.notifier.channel;

import java.util.List;

/**
 * Deliveries an event calls for besides the channels': a Spring bean implementing this is asked about every stored
 * inquiry event the fan-out reads, in the fan-out's transaction. Per-execution callbacks plug in here: for a decided
 * inquiry whose execution carries {@code callback {"url", "secret"}}, return one {@link PlannedDelivery} with no
 * channel, target key {@code callback:<execution>} and that callback; the engine signs and retries it like a webhook.
 */
public interface DeliveryTargetSource {

    List<PlannedDelivery> plan(StoredEvent event);
}
