package io.attune.core.messaging;

import com.rabbitmq.client.Channel;
import io.attune.model.message.MalformedMessageException;
import io.attune.model.message.MessageEnvelope;
import io.attune.model.message.MessagePayload;
import io.attune.model.message.Messages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareBatchMessageListener;

import java.util.ArrayList;
import java.util.List;

/**
 * A consumer that takes the messages its container hands over together (as many as have arrived, up to the batch
 * size) and handles them with one {@link EnvelopeBatchHandler} call: one transaction, one commit, one audit-chain
 * append for all of them instead of one each. Should that fail, for whatever reason, nothing of it was kept, and
 * every message goes through the {@link ReliableListener} on its own: the good ones are handled, the bad one is
 * retried or dead-lettered alone, exactly as without batching. Handlers are idempotent, so a message handled again
 * after a failed batch is harmless. A message that is not even an envelope never joins a batch.
 */
public class BatchReliableListener implements ChannelAwareBatchMessageListener {
    private static final Logger log = LoggerFactory.getLogger(BatchReliableListener.class);

    private final String queue;
    private final EnvelopeBatchHandler batchHandler;
    private final ReliableListener alone;

    public BatchReliableListener(String queue, EnvelopeBatchHandler batchHandler, ReliableListener alone) {
        this.queue = queue;
        this.batchHandler = batchHandler;
        this.alone = alone;
    }

    @Override
    public void onMessageBatch(List<Message> messages, Channel channel) {
        if (messages.size() == 1) {
            alone.onMessage(messages.get(0), channel);
            return;
        }
        List<Message> readable = new ArrayList<>(messages.size());
        List<MessageEnvelope<MessagePayload>> envelopes = new ArrayList<>(messages.size());
        for (Message message : messages) {
            try {
                envelopes.add(Messages.read(message.getBody()));
                readable.add(message);
            } catch (MalformedMessageException | Error e) {
                alone.onMessage(message, channel); // dead-lettered there, with the reason
            }
        }
        if (readable.isEmpty()) {
            return;
        }
        try {
            batchHandler.handleAll(envelopes);
        } catch (Throwable failure) {
            log.info("{}: a batch of {} failed ({}); handling each message on its own", queue, readable.size(),
                    failure.toString());
            readable.forEach(message -> alone.onMessage(message, channel));
            return;
        }
        for (Message message : readable) {
            try {
                channel.basicAck(message.getMessageProperties().getDeliveryTag(), false);
            } catch (Throwable channelGone) {
                // the broker requeues every unacknowledged message of a closed channel: handled again, idempotently
                log.warn("{}: a handled batch could not be acknowledged: {}", queue, channelGone.toString());
                return;
            }
        }
    }

    @Override
    public void onMessage(Message message, Channel channel) {
        alone.onMessage(message, channel);
    }
}
