package io.attune.core.messaging;

import com.rabbitmq.client.Channel;
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
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Instant;

/**
 * Manual-acknowledgement consumer that never loses a message and never lets one block its queue:
 * <ul>
 *   <li>handled: acknowledged;</li>
 *   <li>malformed (not an envelope, or a handler says so by throwing {@link MalformedMessageException}): straight
 *       to the dead-letter queue, since no retry can fix it;</li>
 *   <li>the database or broker is unavailable: not the message's fault, so it is put back after a pause and tried
 *       again for as long as the outage lasts;</li>
 *   <li>any other failure: re-published to the back of its queue with an attempt count, so that the messages behind
 *       it go first; after {@code maxAttempts} it goes to the dead-letter queue with the reason in
 *       {@code x-attune-error}.</li>
 * </ul>
 * A re-publish or dead-letter is confirmed by the broker before the original is acknowledged, so a crash in between
 * duplicates a message rather than losing it; handlers are idempotent.
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
    public void onMessage(Message message, Channel channel) throws Exception {
        long tag = message.getMessageProperties().getDeliveryTag();
        MessageEnvelope<MessagePayload> envelope;
        try {
            envelope = Messages.read(message.getBody());
        } catch (MalformedMessageException e) {
            deadLetter(message, "malformed message: " + e.getMessage(), attempt(message));
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
        } catch (Exception e) {
            if (isOutage(e)) {
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
                log.warn("{}: {} {} failed (attempt {} of {}): {}", queue, envelope.messageType().wireName(),
                        envelope.messageId(), attempt, settings.maxAttempts(), reason);
                republish(message, attempt + 1, reason);
            }
            channel.basicAck(tag, false);
        }
    }

    private void republish(Message original, int nextAttempt, String reason) {
        Message copy = copy(original);
        copy.getMessageProperties().setHeader(ATTEMPT_HEADER, nextAttempt);
        copy.getMessageProperties().setHeader(ERROR_HEADER, reason);
        copy.getMessageProperties().setHeader(ROUTING_KEY_HEADER, originalRoutingKey(original));
        sendConfirmed(queue, copy);
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
        from.getHeaders().forEach(props::setHeader);
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

    /** Whether {@code e} comes from the database or broker being unavailable, not from the message. */
    public static boolean isOutage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TransientDataAccessException || t instanceof DataAccessResourceFailureException
                    || t instanceof CannotGetJdbcConnectionException || t instanceof CannotCreateTransactionException
                    || t instanceof ConcurrencyFailureException || t instanceof SQLTransientException
                    || t instanceof SQLRecoverableException
                    || t instanceof org.springframework.amqp.AmqpConnectException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
