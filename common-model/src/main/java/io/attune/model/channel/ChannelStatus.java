package io.attune.model.channel;

import java.time.Instant;

/**
 * How a channel is doing: {@code state} {@code ok} (nothing failed lately), {@code retrying} (its newest delivery
 * failed and will be tried again), {@code failing} (its newest delivery gave up), {@code disabled}, or
 * {@code unavailable} (its kind cannot send at all, e.g. no SMTP server configured; {@code reason} says why).
 */
public record ChannelStatus(String state, String reason, Instant lastDeliveryAt, long pending) {
}
