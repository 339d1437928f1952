package io.attune.notifier.channel;

import io.attune.core.background.DaemonThreads;
import io.attune.core.channel.Channel;
import io.attune.core.channel.ChannelConfig;
import io.attune.core.channel.ChannelRepository;
import io.attune.core.channel.ChannelSender;
import io.attune.core.channel.Delivery;
import io.attune.core.channel.DeliveryOutcome;
import io.attune.core.channel.SenderReports;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The channel engine's loop on each notifier replica: every {@code poll-interval} it fans new events out
 * ({@link FanOut}), claims due deliveries ({@link DeliveryStore}) of the kinds it can send now, as far as it has free
 * sender threads, and sends each with the {@link ChannelSender} of its channel's type, outside any transaction; then
 * it records the try. At least once: a try whose result was not recorded (the replica died) is made again once its
 * lease has passed. A kind it cannot send (email without SMTP) is left to a replica that can, and reported as such
 * ({@link SenderReports}) for the channels' status.
 */
@Component
public class DeliveryEngine implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(DeliveryEngine.class);

    /** How often deliveries no replica can send are looked for at the end of their retry window. */
    static final Duration GIVE_UP_EVERY = Duration.ofSeconds(5);

    private final FanOut fanOut;
    private final DeliveryStore store;
    private final SenderReports reports;
    private final ChannelRepository channels;
    private final InquiryLinks links;
    private final Map<String, ChannelSender> senders = new HashMap<>();
    private final ChannelSettings settings;
    private final MeterRegistry meters;
    private final String replica;
    private final Semaphore free;
    private volatile ScheduledExecutorService loop;
    private volatile ExecutorService pool;
    private volatile Instant lastStatus = Instant.EPOCH;
    private volatile Instant lastGiveUp = Instant.EPOCH;

    public DeliveryEngine(FanOut fanOut, DeliveryStore store, SenderReports reports, ChannelRepository channels,
                          InquiryLinks links, List<ChannelSender> senders, ChannelSettings settings,
                          MeterRegistry meters) {
        this.fanOut = fanOut;
        this.store = store;
        this.reports = reports;
        this.channels = channels;
        this.links = links;
        senders.forEach(sender -> this.senders.put(sender.type(), sender));
        this.settings = settings;
        this.meters = meters;
        this.replica = hostName() + "/" + UUID.randomUUID().toString().substring(0, 8);
        this.free = new Semaphore(settings.senderThreads());
    }

    @Override
    public void start() {
        if (!settings.enabled()) {
            log.info("Channel deliveries are off on this replica (attune.channels.enabled=false)");
            return;
        }
        pool = Executors.newFixedThreadPool(settings.senderThreads(), DaemonThreads.named("channel-send-"));
        loop = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("channel-engine-"));
        loop.scheduleWithFixedDelay(this::round, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        log.info("Channel engine started as {} with senders {}", replica, senders.keySet());
    }

    @Override
    public void stop() {
        if (loop != null) {
            loop.shutdownNow();
            pool.shutdown();
            try {
                // tries under way get their own time to end; one that does not is made again after its lease
                pool.awaitTermination(settings.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            pool.shutdownNow();
            loop = null;
            try {
                reports.forget(replica);
            } catch (RuntimeException e) {
                log.warn("The senders' report of {} could not be withdrawn ({}); it goes stale in {}", replica,
                        e.toString(), SenderReports.FRESH);
            }
        }
    }

    @Override
    public boolean isRunning() {
        return loop != null;
    }

    /** The replica name recorded on claims and tries. */
    public String replica() {
        return replica;
    }

    void round() {
        try {
            reportSenders();
            giveUpUnsendable();
            while (fanOut.runOnce() >= settings.batch()) {
                // a backlog: read on at once
            }
            int wanted = free.availablePermits();
            if (wanted == 0) {
                return;
            }
            for (DeliveryStore.Claimed claimed : store.claim(wanted, sendable(), replica, settings.lease())) {
                free.acquireUninterruptibly();
                try {
                    pool.execute(() -> {
                        try {
                            send(claimed);
                        } finally {
                            free.release();
                        }
                    });
                } catch (RuntimeException rejected) {
                    free.release();  // shutting down: the lease lets another replica take it
                }
            }
        } catch (Throwable e) {
            // the database away, say: the next round tries again
            log.warn("Channel engine round failed: {}", e.toString());
        }
    }

    private void reportSenders() {
        if (!due(lastStatus, SenderReports.EVERY)) {
            return;
        }
        for (ChannelSender sender : senders.values()) {
            Optional<String> reason = sender.unavailable();
            reports.report(sender.type(), reason.isEmpty(), reason.orElse(null), replica);
        }
        lastStatus = Instant.now();
    }

    /** Whether {@code every} has passed since {@code last}: the pace of the round's occasional chores. */
    private static boolean due(Instant last, Duration every) {
        return Duration.between(last, Instant.now()).compareTo(every) >= 0;
    }

    /** The channel types this replica can send now: the only ones it claims. */
    private Set<String> sendable() {
        return senders.values().stream().filter(sender -> sender.unavailable().isEmpty()).map(ChannelSender::type)
                .collect(Collectors.toSet());
    }

    /**
     * Ends, with the reason, the deliveries nobody could send within their retry window (no replica claims them). Every
     * {@link #GIVE_UP_EVERY}, not every round: a window is a day long, and a notifier without SMTP (the default) would
     * otherwise ask the database twice a second for nothing.
     */
    private void giveUpUnsendable() {
        if (!due(lastGiveUp, GIVE_UP_EVERY)) {
            return;
        }
        lastGiveUp = Instant.now();
        for (ChannelSender sender : senders.values()) {
            Optional<String> reason = sender.unavailable();
            if (reason.isPresent()) {
                int given = store.giveUpUnsendable(sender.type(), reason.get());
                if (given > 0) {
                    meters.counter("attune.channel.failed", "type", sender.type(), "reason", "gave_up")
                            .increment(given);
                    log.warn("{} {} deliveries were given up unsent at the end of their retry window: {}", given,
                            sender.type(), reason.get());
                }
            }
        }
    }

    void send(DeliveryStore.Claimed claimed) {
        Delivery delivery = claimed.delivery();
        ChannelConfig target;
        if (claimed.channelId() != null) {
            Optional<Channel> channel = channels.find(claimed.channelId());
            if (channel.isEmpty()) {
                return;  // deleted meanwhile: its deliveries went with it
            }
            target = channel.get().target();
            if (!channel.get().enabled()) {
                finish(claimed, target, DeliveryOutcome.notSent("the channel was disabled"), 0);
                return;
            }
        } else {
            target = new ChannelConfig(null, "webhook", "callback", claimed.callback());
        }
        ChannelSender sender = senders.get(target.type());
        Optional<String> unavailable = sender == null
                ? Optional.of("this notifier has no sender for " + target.type() + " channels")
                : sender.unavailable();
        if (unavailable.isPresent()) {
            // claimed just as its sender became unavailable: left to a replica (or a later round) that can send it
            finish(claimed, target, DeliveryOutcome.retry(null, unavailable.get()), 0);
            return;
        }
        Delivery withLinks = withRespondLink(delivery);
        long started = System.nanoTime();
        DeliveryOutcome outcome;
        try {
            outcome = sender.send(target, withLinks);
            if (outcome == null) {
                outcome = DeliveryOutcome.retry(null, "the sender gave no outcome");
            }
        } catch (Throwable e) {
            outcome = DeliveryOutcome.retry(null, "sending failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        finish(claimed, target, outcome, System.nanoTime() - started);
    }

    /** The message with {@code data.links.respond}, minted now for its recipient while the inquiry is pending. */
    private Delivery withRespondLink(Delivery delivery) {
        if (delivery.recipientId() == null || delivery.inquiryId() == null || delivery.message() == null
                || !(delivery.message().path("data").path("links") instanceof ObjectNode)
                || !store.inquiryPending(delivery.inquiryId())) {
            return delivery;
        }
        Optional<String> link = links.respond(delivery.inquiryId(), delivery.recipientId());
        if (link.isEmpty()) {
            return delivery;
        }
        ObjectNode message = (ObjectNode) delivery.message().deepCopy();
        ((ObjectNode) message.get("data").get("links")).put("respond", link.get());
        return new Delivery(delivery.id(), delivery.messageId(), delivery.eventId(), delivery.eventType(),
                delivery.inquiryId(), delivery.recipientId(), delivery.recipient(), delivery.attempt(),
                delivery.created(), message);
    }

    private void finish(DeliveryStore.Claimed claimed, ChannelConfig target, DeliveryOutcome outcome, long nanos) {
        Duration backoff = settings.backoff(claimed.delivery().attempt());
        // a little jitter, so that the retries of one outage do not all arrive at once
        backoff = backoff.plusMillis(ThreadLocalRandom.current().nextLong(Math.max(1, backoff.toMillis() / 10)));
        boolean recorded;
        try {
            recorded = store.record(claimed, outcome, backoff);
        } catch (RuntimeException e) {
            log.warn("Delivery {} try {} could not be recorded ({}); it will be made again after its lease",
                    claimed.delivery().id(), claimed.delivery().attempt(), e.toString());
            return;
        }
        String type = target.id() == null ? "callback" : target.type();
        meters.counter("attune.channel.delivery.attempts", "type", type, "outcome",
                outcome.result().name().toLowerCase()).increment();
        if (nanos > 0) {
            Timer.builder("attune.channel.delivery.latency").tag("type", type).publishPercentileHistogram()
                    .register(meters).record(Duration.ofNanos(nanos));
        }
        if (!recorded) {
            log.warn("Delivery {} try {}: the claim was lost meanwhile; its outcome ({}) is kept in the try only",
                    claimed.delivery().id(), claimed.delivery().attempt(), outcome.result());
            return;
        }
        switch (outcome.result()) {
            case DELIVERED -> meters.counter("attune.channel.delivered", "type", type).increment();
            case FAILED, NOT_SENT -> meters.counter("attune.channel.failed", "type", type, "reason",
                    outcome.result().name().toLowerCase()).increment();
            case RETRY -> {
                if ("failed".equals(store.status(claimed.delivery().id()))) {
                    meters.counter("attune.channel.failed", "type", type, "reason", "gave_up").increment();
                }
            }
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "notifier";
        }
    }
}
