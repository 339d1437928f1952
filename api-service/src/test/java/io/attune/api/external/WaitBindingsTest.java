package io.attune.api.external;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;

import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When the wait queue is bound and unbound (the broker's side is in ExternalRequestApiTest): what the admin was asked
 * to do, recorded by a stand-in that can also fail as a broker away does.
 */
class WaitBindingsTest {
    private static final Queue QUEUE = new Queue("api.waits.test", false, true, true);
    private static final List<Binding> DECISIONS = List.of(
            BindingBuilder.bind(QUEUE).to(new TopicExchange("x")).with("inquiry.responded"),
            BindingBuilder.bind(QUEUE).to(new TopicExchange("x")).with("inquiry.timeout"));

    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final AtomicBoolean brokerAway = new AtomicBoolean();
    private final AtomicInteger checks = new AtomicInteger();
    private final AmqpAdmin admin = (AmqpAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {AmqpAdmin.class}, (proxy, method, args) -> {
                if (brokerAway.get()) {
                    throw new AmqpConnectException(new ConnectException("Connection refused"));
                }
                calls.add(method.getName() + " " + ((Binding) args[0]).getRoutingKey());
                return null;
            });
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private WaitBindings bindings;

    @AfterEach
    void close() {
        bindings.close();
    }

    private WaitBindings bindings(Duration unbindAfter) {
        bindings = new WaitBindings(admin, DECISIONS, unbindAfter, checks::incrementAndGet, meters);
        return bindings;
    }

    @Test
    void theFirstWaitBindsTheQueueOnceAndEveryWaitIsCheckedAfterwards() {
        WaitBindings bindings = bindings(Duration.ofMinutes(1));
        assertThat(bindings.bound()).isFalse();
        bindings.want();
        await().atMost(Duration.ofSeconds(5)).until(bindings::bound);
        bindings.want();
        bindings.want();
        await().atMost(Duration.ofSeconds(5)).until(() -> checks.get() == 1);
        assertThat(calls).containsExactly("declareBinding inquiry.responded", "declareBinding inquiry.timeout");
        assertThat(checks).hasValue(1); // the check that finds what was decided before the binding, once
    }

    @Test
    void theBindingsGoOnlyAfterTheReplicaHadNoWaitForUnbindAfter() throws Exception {
        WaitBindings bindings = bindings(Duration.ofMillis(300));
        bindings.want();
        await().atMost(Duration.ofSeconds(5)).until(bindings::bound);
        bindings.releaseIfIdle(() -> false); // waits open
        bindings.releaseIfIdle(() -> true);  // none, but one came just now
        Thread.sleep(100);
        assertThat(bindings.bound()).isTrue();
        assertThat(calls).noneMatch(call -> call.startsWith("removeBinding"));

        Thread.sleep(300);
        bindings.releaseIfIdle(() -> true);
        await().atMost(Duration.ofSeconds(5)).until(() -> !bindings.bound());
        assertThat(calls).endsWith("removeBinding inquiry.responded", "removeBinding inquiry.timeout");

        // the next wait binds again, and the waits are checked again
        bindings.want();
        await().atMost(Duration.ofSeconds(5)).until(() -> bindings.bound() && checks.get() == 2);
    }

    @Test
    void aWaitThatComesWhileTheBindingsAreToGoKeepsThem() throws Exception {
        WaitBindings bindings = bindings(Duration.ZERO);
        bindings.want();
        await().atMost(Duration.ofSeconds(5)).until(bindings::bound);
        // the sweep saw no wait; by the time the removal runs, one has registered
        AtomicBoolean waitRegistered = new AtomicBoolean();
        bindings.releaseIfIdle(() -> {
            boolean none = !waitRegistered.getAndSet(true);
            return none; // true for the sweep's look, false for the removal's second look
        });
        Thread.sleep(200);
        assertThat(bindings.bound()).isTrue();
        assertThat(calls).noneMatch(call -> call.startsWith("removeBinding"));
    }

    @Test
    void aBrokerAwayIsTriedAgainAfterAPauseAndTheFirstSuccessChecksTheWaits() {
        WaitBindings bindings = bindings(Duration.ofMinutes(1));
        brokerAway.set(true);
        bindings.want();
        await().atMost(Duration.ofSeconds(5)).until(() -> failedAttempts() == 1);
        brokerAway.set(false);
        bindings.want(); // within the pause: not tried
        assertThat(bindings.bound()).isFalse();
        assertThat(failedAttempts()).isEqualTo(1);
        assertThat(checks).hasValue(0);

        await().atMost(WaitBindings.RETRY.plusSeconds(5)).until(() -> {
            bindings.want(); // what the waits' sweep does every 5 s while there are waits
            return bindings.bound();
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> checks.get() == 1);
        assertThat(calls).containsExactly("declareBinding inquiry.responded", "declareBinding inquiry.timeout");
    }

    @Test
    void consumingAgainBindsANewQueueWhenThereAreWaitsAndClearsAnOldOneWhenThereAreNone() throws Exception {
        WaitBindings bindings = bindings(Duration.ofMinutes(1));
        // start-up, no wait: the new queue has no bindings, and nothing is removed from it
        bindings.consuming(() -> true);
        Thread.sleep(200);
        assertThat(calls).isEmpty();

        bindings.want();
        await().atMost(Duration.ofSeconds(5)).until(bindings::bound);
        // a new connection: the old queue and its bindings are gone, a new one is declared without them
        bindings.consuming(() -> false);
        await().atMost(Duration.ofSeconds(5)).until(() -> calls.size() == 4 && bindings.bound());
        assertThat(calls.subList(2, 4)).containsExactly("declareBinding inquiry.responded",
                "declareBinding inquiry.timeout");
        assertThat(checks).hasValue(2);

        bindings.consuming(() -> true);
        await().atMost(Duration.ofSeconds(5)).until(() -> calls.size() == 6);
        assertThat(calls.subList(4, 6)).containsExactly("removeBinding inquiry.responded",
                "removeBinding inquiry.timeout");
        assertThat(bindings.bound()).isFalse();
    }

    private double failedAttempts() {
        return meters.get("attune.inquiry.waits.binding.failures").counter().count();
    }
}
