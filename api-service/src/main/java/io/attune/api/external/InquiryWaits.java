package io.attune.api.external;

import io.attune.core.background.DaemonThreads;
import io.attune.core.error.DomainException;
import io.attune.core.external.ExternalRequests;
import io.attune.core.identity.Actor;
import io.attune.core.inquiry.Inquiry;
import io.attune.core.workflow.WorkflowRepository;
import io.attune.model.InquiryStatus;
import io.attune.model.json.Json;
import io.attune.model.rest.DataResponse;
import io.attune.model.rest.ErrorCode;
import io.attune.model.rest.InquiryView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.listener.ConsumeOkEvent;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.async.DeferredResult;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /api/v1/inquiries/{id}?wait=N}: long polls that hold neither a request thread nor a database connection
 * while they wait. A wait is a {@link DeferredResult} registered under its inquiry; it is checked — one short read,
 * on a small pool of its own — when an event about its inquiry arrives on this replica's queue, when its N seconds
 * are up, and by the safety sweeps below; it answers once the inquiry is no longer pending, or at its deadline.
 *
 * <p>No wake-up is lost: a wait is registered <em>before</em> its first read, so a decision committed after that read
 * publishes an event the wait is there to receive — once the replica's queue is bound, which it is only while there
 * are waits ({@link WaitBindings}: each new binding is followed by a check of every wait, for what was decided before
 * it). The queue is exclusive to this replica's broker connection (events published while it is away are not in it),
 * so every wait is checked again as soon as the queue consumes after a reconnect, and every {@link #SWEEP} all waits
 * are checked in one query whatever happens to the broker: a wait misses a decision by at most that long, never for
 * good.
 *
 * <p>Bounded: at most {@code attune.waits.max} waits per replica (503 with Retry-After beyond) and
 * {@code attune.waits.max-per-identity} per identity (429 with Retry-After).
 */
@Component
public class InquiryWaits implements MessageListener {
    private static final Logger log = LoggerFactory.getLogger(InquiryWaits.class);
    static final Duration SWEEP = Duration.ofSeconds(5);
    /** How long past its deadline a wait may take before the container gives up on it (a stuck read). */
    private static final Duration GRACE = Duration.ofSeconds(15);

    private final ExternalRequests reader;
    private final WorkflowRepository workflows;
    private final JdbcClient jdbc;
    private final int max;
    private final int maxPerIdentity;
    private final String queue;
    private final WaitBindings bindings;
    private final Counter events;
    private final Map<Long, Set<Waiter>> byInquiry = new ConcurrentHashMap<>();
    private final Map<Long, Integer> perIdentity = new ConcurrentHashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final ScheduledExecutorService timer;
    /** The reads that answer waits: few threads, so that 1,000 deadlines at once queue here, not in the pool. */
    private final ExecutorService reads;

    InquiryWaits(ExternalRequests reader, WorkflowRepository workflows, JdbcClient jdbc,
                 WaitConfiguration.WaitQueue waitQueue, AmqpAdmin admin,
                 @Value("${attune.waits.unbind-after:60s}") Duration unbindAfter,
                 @Value("${attune.waits.max:2000}") int max,
                 @Value("${attune.waits.max-per-identity:500}") int maxPerIdentity,
                 @Value("${attune.waits.read-threads:4}") int readThreads, MeterRegistry meters) {
        this.reader = reader;
        this.workflows = workflows;
        this.jdbc = jdbc;
        this.max = max;
        this.maxPerIdentity = maxPerIdentity;
        this.queue = waitQueue.queue().getName();
        this.timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                DaemonThreads.named("inquiry-wait-timer-"));
        this.reads = new ThreadPoolExecutor(readThreads, readThreads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                DaemonThreads.named("inquiry-wait-read-"));
        this.bindings = new WaitBindings(admin, waitQueue.decisions(), unbindAfter, () -> timer.execute(this::sweep),
                meters);
        this.events = Counter.builder("attune.inquiry.waits.events")
                .description("decision events received for the waits on this replica (none while it has no waits)")
                .register(meters);
        timer.scheduleWithFixedDelay(this::sweep, SWEEP.toMillis(), SWEEP.toMillis(), TimeUnit.MILLISECONDS);
        Gauge.builder("attune.inquiry.waits", waiting, AtomicInteger::get)
                .description("GET /api/v1/inquiries/{id}?wait=N requests waiting on this replica").register(meters);
    }

    /**
     * Waits up to {@code wait} for the inquiry to be decided. 404 (not readable) and the bounds are answered at once,
     * as exceptions; everything after that through the returned result.
     */
    public DeferredResult<Object> await(long inquiryId, Actor actor, Duration wait) {
        long identity = actor.id() == null ? 0 : actor.id();
        if (perIdentity.merge(identity, 1, Integer::sum) > maxPerIdentity) {
            release(identity);
            throw new RetryLater(ErrorCode.RATE_LIMITED, "you have " + maxPerIdentity
                    + " waiting requests already; try again shortly", 1);
        }
        if (waiting.incrementAndGet() > max) {
            waiting.decrementAndGet();
            release(identity);
            throw new RetryLater(ErrorCode.UNAVAILABLE, "too many waiting requests on this replica (" + max
                    + "); try again shortly", 1);
        }
        DeferredResult<Object> result = new DeferredResult<>(wait.plus(GRACE).toMillis());
        Waiter waiter = new Waiter(inquiryId, actor, identity, result, System.nanoTime() + wait.toNanos());
        result.onCompletion(() -> unregister(waiter));
        result.onTimeout(() -> result.setErrorResult(new DomainException(ErrorCode.UNAVAILABLE,
                "the inquiry could not be read in time; try again", List.of())));
        result.onError(error -> unregister(waiter));
        // registered before the first read: a decision committed after the read finds the waiter (no lost wake-up)
        byInquiry.compute(inquiryId, (id, waiters) -> {
            Set<Waiter> set = waiters == null ? ConcurrentHashMap.newKeySet() : waiters;
            set.add(waiter);
            return set;
        });
        if (!wait.isZero()) {
            bindings.want(); // a wait of 0 s is answered by its read alone
        }
        Inquiry current;
        try {
            current = reader.readable(inquiryId, actor);
        } catch (RuntimeException e) {
            unregister(waiter);
            throw e;
        }
        if (current.status() != InquiryStatus.PENDING || wait.isZero()) {
            answer(waiter, current);
        } else {
            waiter.expiry = timer.schedule(() -> check(waiter), wait.toNanos(), TimeUnit.NANOSECONDS);
        }
        return result;
    }

    /** An event about an inquiry (any of them: a re-read decides whether the wait is over). */
    @Override
    public void onMessage(Message message) {
        events.increment();
        try {
            JsonNode id = Json.tree(new String(message.getBody(), java.nio.charset.StandardCharsets.UTF_8))
                    .path("payload").path("inquiry_id");
            if (id.canConvertToLong()) {
                wake(id.asLong());
            }
        } catch (RuntimeException e) { // a malformed message wakes nobody; the sweep covers what it might have meant
            log.debug("Ignored an unreadable message on {}: {}", queue, e.getMessage());
        }
    }

    /** The queue consumes again (start-up, after a reconnect): events published while it was away are not in it. */
    @EventListener
    void consuming(ConsumeOkEvent event) {
        if (queue.equals(event.getQueue())) {
            bindings.consuming(this::noWaits);
            timer.execute(this::sweep);
        }
    }

    /**
     * Answers the inquiry's waits that may read it now that it changed: one read per distinct caller (200 waits of
     * one pipeline cost one query), on the read pool. It runs after the event, so after the decision's commit.
     */
    void wake(long inquiryId) {
        if (!byInquiry.containsKey(inquiryId)) {
            return;
        }
        reads.execute(() -> {
            Set<Waiter> waiters = byInquiry.get(inquiryId);
            if (waiters == null) {
                return;
            }
            Map<Actor, List<Waiter>> byCaller = waiters.stream().filter(waiter -> !waiter.done.get())
                    .collect(java.util.stream.Collectors.groupingBy(waiter -> waiter.actor));
            byCaller.forEach((actor, theirs) -> {
                try {
                    Inquiry current = reader.readable(inquiryId, actor);
                    for (Waiter waiter : theirs) {
                        if (current.status() != InquiryStatus.PENDING || System.nanoTime() - waiter.deadline >= 0) {
                            answer(waiter, current);
                        }
                    }
                } catch (RuntimeException e) {
                    theirs.forEach(waiter -> fail(waiter, e));
                }
            });
        });
    }

    /** Every wait whose inquiry is no longer pending, found in one query, is answered. */
    void sweep() {
        try {
            Long[] ids = byInquiry.keySet().toArray(Long[]::new);
            if (ids.length == 0) {
                bindings.releaseIfIdle(this::noWaits);
                return;
            }
            bindings.want(); // a binding that failed (the broker away) is tried again
            jdbc.sql("SELECT id FROM attune.inquiry WHERE id = ANY(?) AND status <> 'pending'").param(ids)
                    .query(Long.class).list().forEach(this::wake);
        } catch (RuntimeException e) { // the database may be away: the deadlines still answer
            log.warn("Checking the waiting inquiries failed, trying again in {}: {}", SWEEP, e.getMessage());
        }
    }

    /**
     * Reads the inquiry for the wait (on the read pool) and answers if it is decided or the deadline has come. A check
     * asked for while one runs is not dropped: the running one reads again, since its read may predate the decision.
     */
    private void check(Waiter waiter) {
        if (waiter.done.get()) {
            return;
        }
        waiter.again.set(true);
        if (waiter.checking.compareAndSet(false, true)) {
            reads.execute(() -> runChecks(waiter));
        }
    }

    private void runChecks(Waiter waiter) {
        try {
            while (!waiter.done.get() && waiter.again.getAndSet(false)) {
                Inquiry current = reader.readable(waiter.inquiryId, waiter.actor);
                if (current.status() != InquiryStatus.PENDING || System.nanoTime() - waiter.deadline >= 0) {
                    answer(waiter, current);
                }
            }
        } catch (RuntimeException e) {
            fail(waiter, e);
        } finally {
            waiter.checking.set(false);
        }
        if (waiter.again.get() && !waiter.done.get()) {
            check(waiter); // asked for between the loop's last read and the release
        }
    }

    /** The inquiry as the plain detail shows it (with the workflow it waits in, if any). */
    private InquiryView view(Inquiry inquiry) {
        return inquiry.toView().inWorkflow(workflows.workflowsOf(List.of(inquiry.execution())).get(inquiry.execution()));
    }

    /** 404 if the inquiry became invisible to the caller, 503 if the database is away. */
    private void fail(Waiter waiter, RuntimeException e) {
        if (waiter.done.compareAndSet(false, true)) {
            waiter.result.setErrorResult(e);
        }
    }

    private void answer(Waiter waiter, Inquiry current) {
        if (waiter.done.compareAndSet(false, true)) {
            waiter.result.setResult(DataResponse.of(view(current)));
        }
    }

    private void unregister(Waiter waiter) {
        waiter.done.set(true);
        if (waiter.unregistered.compareAndSet(false, true)) {
            byInquiry.computeIfPresent(waiter.inquiryId, (id, waiters) -> {
                waiters.remove(waiter);
                return waiters.isEmpty() ? null : waiters;
            });
            if (waiter.expiry != null) {
                waiter.expiry.cancel(false);
            }
            waiting.decrementAndGet();
            release(waiter.identity);
        }
    }

    private void release(long identity) {
        perIdentity.computeIfPresent(identity, (id, count) -> count <= 1 ? null : count - 1);
    }

    /** Waits on this replica now. */
    public int waiting() {
        return waiting.get();
    }

    /** Whether this replica's queue is bound to the decisions' routing keys (only while it has or just had waits). */
    public boolean receivingDecisions() {
        return bindings.bound();
    }

    /** A wait is counted before it is registered and uncounted after it is removed: no count, no wait. */
    private boolean noWaits() {
        return waiting.get() == 0;
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
        reads.shutdownNow();
        bindings.close();
    }

    private static final class Waiter {
        final long inquiryId;
        final Actor actor;
        final long identity;
        final DeferredResult<Object> result;
        final long deadline;
        final AtomicBoolean done = new AtomicBoolean();
        final AtomicBoolean checking = new AtomicBoolean();
        final AtomicBoolean again = new AtomicBoolean();
        final AtomicBoolean unregistered = new AtomicBoolean();
        volatile ScheduledFuture<?> expiry;

        Waiter(long inquiryId, Actor actor, long identity, DeferredResult<Object> result, long deadline) {
            this.inquiryId = inquiryId;
            this.actor = actor;
            this.identity = identity;
            this.result = result;
            this.deadline = deadline;
        }
    }
}
