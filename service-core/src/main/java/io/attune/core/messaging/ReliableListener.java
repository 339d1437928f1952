package io.attune.core.messaging;

import com.rabbitmq.client.Channel;
import io.attune.core.error.Failures;
import io.attune.model.message.ConsumerQueues;
import io.attune.model.message.MalformedMessageException;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessagePayload;
import io.attune.model.message.Messages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;

import java.time.Duration;
import java.time.Instant;

/**
 * Manual-acknowledgement consumer that never loses a message, never lets one block its queue, and never lets one
 * stop its consumer:
 * <ul>
 *   <li>handled: acknowledged;</li>
 *   <li>malformed (not an envelope, or a handler says so by throwing {@link MalformedMessageException}): straight
 *       to the dead-letter queue, since no retry can fix it;</li>
 *   <li>an {@link Error} while handling it (a StackOverflowError from a schema, an OutOfMemoryError from its size):
 *       straight to the dead-letter queue with the reason, since it would do the same again; the consumer goes on;</li>
 *   <li>the database or broker is unreachable ({@link Failures#isOutage}): not the message's fault, so it is put
 *       back after a pause and tried again for as long as the outage lasts;</li>
 *   <li>any other failure (a deadlock, a serialization failure, a query timeout, a defect): it waits in a delay queue
 *       ({@code retryDelay}, doubling up to {@code maxRetryDelay}) and comes back with its attempt count; after
 *       {@code maxAttempts} it goes to the dead-letter queue with the reason in {@code x-attune-error}. The consumer
 *       thread never sleeps on it: the messages behind it go on at once.</li>
 * </ul>
 * A re-publish or dead-letter is confirmed by the broker before the original is acknowledged, so a crash in between
 * duplicates a message rather than losing it; handlers are idempotent. Nothing is thrown to the container.
 */
public class ReliableListener implements ChannelAwareMessageListener {
    static final String ATTEMPT_HEADER = "x-attune-attempt";
    static final String ERROR_HEADER = "x-attune-error";
    /** The routing key the message first arrived with; a retry arrives through the default exchange instead. */
    static final String ROUTING_KEY_HEADER = "x-attune-routing-key";
    private static final Logger log = LoggerFactory.getLogger(ReliableListener.class);

    private final String queue;
    private final EnvelopeHandler handler;
    private final RabbitTemplate publisher;
    private final AmqpSettings settings;
    private volatile long outageBackoffMillis = 200;

    public ReliableListener(String queue, EnvelopeHandler handler, RabbitTemplate publisher, AmqpSettings settings) {
        this.queue = queue;
        this.handler = handler;
        this.publisher = publisher;
        this.settings = settings;
    }

    @Override
    public void onMessage(Message message, Channel channel) {
        long tag = message.getMessageProperties().getDeliveryTag();
        try {
            process(message, channel, tag);
        } catch (Throwable failure) {
            // the message's failure could not be recorded (the broker refused a re-publish, the channel closed):
            // hand it back for another try rather than lose it or stop the consumer
            log.error("{}: message {} could not be settled, returned to the queue: {}", queue,
                    message.getMessageProperties().getMessageId(), failure.toString());
            try {
                channel.basicNack(tag, false, true);
            } catch (Throwable channelGone) {
                // the broker requeues every unacknowledged message of a closed channel
            }
        }
    }

    private void process(Message message, Channel channel, long tag) throws Exception {
        MessageEnvelope<MessagePayload> envelope;
        try {
            envelope = Messages.read(message.getBody());
        } catch (MalformedMessageException e) {
            deadLetter(message, "malformed message: " + e.getMessage(), attempt(message));
            channel.basicAck(tag, false);
            return;
        } catch (Error e) {
            // reading it exhausted something (a body too deeply nested, too large): it would do so again
            deadLetter(message, e.getClass().getSimpleName() + " while reading the message", attempt(message));
            channel.basicAck(tag, false);
            return;
        }
        try {
            handler.handle(envelope);
            outageBackoffMillis = 200;
            channel.basicAck(tag, false);
        } catch (MalformedMessageException e) {
            log.error("{}: {} {} can never be processed, dead-lettered: {}", queue, envelope.messageType().wireName(),
                    envelope.messageId(), e.getMessage());
            deadLetter(message, "malformed message: " + e.getMessage(), attempt(message));
            channel.basicAck(tag, false);
        } catch (Error e) {
            String reason = e.getClass().getSimpleName() + " while handling the message"
                    + (e.getMessage() == null ? "" : ": " + e.getMessage());
            log.error("{}: {} {} dead-lettered: {}", queue, envelope.messageType().wireName(), envelope.messageId(),
                    reason);
            deadLetter(message, reason, attempt(message));
            channel.basicAck(tag, false);
        } catch (Exception e) {
            if (Failures.isOutage(e)) {
                log.warn("{}: {} {} not processed, will retry: {}", queue, envelope.messageType().wireName(),
                        envelope.messageId(), e.getMessage());
                Thread.sleep(outageBackoffMillis);
                outageBackoffMillis = Math.min(outageBackoffMillis * 2, 5_000);
                channel.basicNack(tag, false, true);
                return;
            }
            int attempt = attempt(message);
            String reason = describe(e);
            if (attempt >= settings.maxAttempts()) {
                log.error("{}: {} {} failed {} times, dead-lettered: {}", queue, envelope.messageType().wireName(),
                        envelope.messageId(), attempt, reason);
                deadLetter(message, reason, attempt);
            } else {
                Duration delay = settings.retryDelay(attempt);
                log.warn("{}: {} {} failed (attempt {} of {}), next try in {} ms: {}", queue,
                        envelope.messageType().wireName(), envelope.messageId(), attempt, settings.maxAttempts(),
                        delay.toMillis(), reason);
                republish(message, attempt + 1, reason, delay);
            }
            channel.basicAck(tag, false);
        }
    }

    /** Into the delay queue of {@code delay}, whence it returns to this queue when its wait is over. */
    private void republish(Message original, int nextAttempt, String reason, Duration delay) {
        Message copy = copy(original);
        copy.getMessageProperties().setHeader(ATTEMPT_HEADER, nextAttempt);
        copy.getMessageProperties().setHeader(ERROR_HEADER, reason);
        copy.getMessageProperties().setHeader(ROUTING_KEY_HEADER, originalRoutingKey(original));
        sendConfirmed(ConsumerQueues.retryQueue(queue, delay), copy);
    }

    private void deadLetter(Message original, String reason, int attempts) {
        Message copy = copy(original);
        MessageProperties props = copy.getMessageProperties();
        props.setHeader(ERROR_HEADER, reason);
        props.setHeader(ATTEMPT_HEADER, attempts);
        props.setHeader("x-attune-queue", queue);
        props.setHeader(ROUTING_KEY_HEADER, originalRoutingKey(original));
        props.setHeader("x-attune-failed-at", Instant.now().toString());
        sendConfirmed(AmqpSettings.deadLetterQueue(queue), copy);
    }

    private void sendConfirmed(String targetQueue, Message message) {
        publisher.invoke(ops -> {
            ops.send("", targetQueue, message);
            ops.waitForConfirmsOrDie(settings.confirmTimeout().toMillis());
            return null;
        });
    }

    private static Message copy(Message original) {
        MessageProperties props = new MessageProperties();
        MessageProperties from = original.getMessageProperties();
        props.setContentType(from.getContentType());
        props.setContentEncoding(from.getContentEncoding());
        props.setMessageId(from.getMessageId());
        props.setCorrelationId(from.getCorrelationId());
        props.setType(from.getType());
        props.setTimestamp(from.getTimestamp());
        props.setAppId(from.getAppId());
        props.setDeliveryMode(org.springframework.amqp.core.MessageDeliveryMode.PERSISTENT);
        from.getHeaders().forEach((name, value) -> {
            // the broker's own record of dead-lettering (the delay queues add it) is the broker's to write
            if (!name.startsWith("x-death") && !name.startsWith("x-first-death") && !name.startsWith("x-last-death")) {
                props.setHeader(name, value);
            }
        });
        return new Message(original.getBody(), props);
    }

    private static String originalRoutingKey(Message message) {
        Object first = message.getMessageProperties().getHeaders().get(ROUTING_KEY_HEADER);
        return first != null ? first.toString() : message.getMessageProperties().getReceivedRoutingKey();
    }

    private static int attempt(Message message) {
        Object value = message.getMessageProperties().getHeaders().get(ATTEMPT_HEADER);
        return value instanceof Number n ? n.intValue() : 1;
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
