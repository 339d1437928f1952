package io.attune.model.channel;

import java.time.Instant;
import java.util.List;

/**
 * One delivery of an event to a channel (or to one recipient of an email channel), or of an inquiry's decision to the
 * callback of the external request it belongs to, with every try.
 * {@code status}: {@code pending} (waiting for its next try at {@code next_attempt_at}, or for a notifier that can
 * send its kind), {@code delivered}, {@code failed} (gave up; {@code last_error} says why), {@code not_sent} (there
 * was nobody to send it to: no approver with an address, a disabled channel; {@code last_error} says why).
 */
public record DeliveryView(long id, String messageId, Long eventId, String eventType, Long inquiry, String recipient,
                           String status, int attempts, Instant nextAttemptAt, Integer lastResponseCode,
                           String lastError, Instant deliveredAt, Instant giveUpAt, Instant created,
                           List<AttemptView> tries) {

    /** One try: {@code status} {@code sending} (under way, or its replica died), {@code delivered}, {@code failed}, {@code not_sent}. */
    public record AttemptView(int attempt, String status, Integer responseCode, String error, Instant startedAt,
                              Instant finishedAt) {
    }
}
