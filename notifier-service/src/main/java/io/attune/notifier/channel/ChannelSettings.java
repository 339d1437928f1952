package io.attune.notifier.channel;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code attune.channels.*}: the delivery engine (docs/channels.md, "Configuration").
 *
 * @param enabled       whether this replica fans events out and sends deliveries at all
 * @param pollInterval  how often the trail is read for new events and due deliveries are claimed
 * @param batch         events read, and deliveries claimed, per round
 * @param senderThreads deliveries sent at once by this replica
 * @param timeout       how long a receiver may take to answer (webhooks, SMTP); then the try counts as failed
 * @param lease         how long a claimed delivery stays this replica's; a replica that dies lets it go after this.
 *                      Longer than {@code timeout}, so that a live replica never loses a try it is still making
 * @param retryInitial  the wait after the first failed try; doubled after each further one …
 * @param retryMax      … up to this
 * @param retryWindow   how long a delivery is retried before it is given up ({@code failed})
 * @param smtpUrl       {@code smtp://user:pass@host:port} or {@code smtps://…} ({@code ATTUNE_SMTP_URL}); empty: email
 *                      channels cannot send and say so
 * @param mailFrom      the sender address of emails ({@code ATTUNE_MAIL_FROM})
 */
@ConfigurationProperties("attune.channels")
public record ChannelSettings(Boolean enabled, Duration pollInterval, Integer batch, Integer senderThreads,
                              Duration timeout, Duration lease, Duration retryInitial, Duration retryMax,
                              Duration retryWindow, String smtpUrl, String mailFrom) {

    public ChannelSettings {
        enabled = enabled == null || enabled;
        pollInterval = pollInterval == null ? Duration.ofMillis(500) : pollInterval;
        batch = batch == null ? 100 : batch;
        senderThreads = senderThreads == null ? 8 : senderThreads;
        timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
        lease = lease == null ? Duration.ofSeconds(60) : lease;
        retryInitial = retryInitial == null ? Duration.ofSeconds(5) : retryInitial;
        retryMax = retryMax == null ? Duration.ofHours(1) : retryMax;
        retryWindow = retryWindow == null ? Duration.ofHours(24) : retryWindow;
        smtpUrl = smtpUrl == null ? "" : smtpUrl.trim();
        mailFrom = mailFrom == null ? "" : mailFrom.trim();
        if (batch < 1 || senderThreads < 1 || pollInterval.isNegative() || pollInterval.isZero()
                || retryInitial.isNegative() || retryInitial.isZero() || retryMax.compareTo(retryInitial) < 0) {
            throw new IllegalStateException("attune.channels: batch and sender-threads must be positive, "
                    + "poll-interval and retry-initial positive, retry-max at least retry-initial");
        }
        if (lease.compareTo(timeout.multipliedBy(2)) < 0) {
            throw new IllegalStateException("attune.channels.lease (" + lease + ") must be at least twice "
                    + "attune.channels.timeout (" + timeout + "): a replica must never lose a try it is still making");
        }
    }

    /** The wait before try {@code attempt + 1} after {@code attempt} failed tries: doubling, capped. */
    public Duration backoff(int attempt) {
        int doublings = Math.max(0, Math.min(attempt - 1, 30));
        Duration delay = retryInitial.multipliedBy(1L << doublings);
        return delay.compareTo(retryMax) > 0 ? retryMax : delay;
    }
}
