package io.attune.core.channel;

import java.util.Optional;

/**
 * Sends one delivery to one kind of channel. The notifier's delivery engine picks the sender whose {@link #type()}
 * is the channel's type (a Spring bean implementing this interface is all a new kind needs), calls {@link #send}
 * outside any transaction, and records the outcome as one attempt: a {@link DeliveryOutcome#retry} is tried again
 * with backoff until the delivery's retry window ends, the other outcomes are final.
 *
 * <p>{@code send} may be called more than once for the same delivery (a replica that died after sending but before
 * recording is replaced by another): it must be safe to repeat, e.g. by carrying {@link Delivery#messageId()} as the
 * receiver's idempotency key. It must not throw for a failure of the far end; an exception counts as a retry.
 */
public interface ChannelSender {

    /** The channel type this sender serves: {@code webhook}, {@code email}, {@code slack}. */
    String type();

    /**
     * Why this sender cannot send at all right now (say, no SMTP server configured), or empty when it can. Shown as
     * the channel's status while no replica can send; this replica then claims no delivery of this type, which waits,
     * pending, for a replica that can send it, and is given up ({@code failed}) with this reason once its retry
     * window is over.
     */
    default Optional<String> unavailable() {
        return Optional.empty();
    }

    /** Sends {@code delivery} to {@code channel}; never null. */
    DeliveryOutcome send(ChannelConfig channel, Delivery delivery);
}
