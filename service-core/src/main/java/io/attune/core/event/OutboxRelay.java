package io.attune.core.event;

import io.attune.core.background.BackgroundLoop;
import io.attune.core.error.Failures;
import io.attune.core.messaging.AmqpSettings;
import io.attune.model.message.MessageEnvelope;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.postgresql.PGStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * Publishes stored events to RabbitMQ, in the order of their public ids, with publisher confirms.
 *
 * <p>Every process that stores events runs one; a Postgres advisory lock lets one at a time work, so that:
 * <ol>
 *   <li>each committed event gets its id from {@code attune.event_id_seq} in a short transaction of its own —
 *       ids therefore grow in commit order (and, among events committed by then, in the order they were stored),
 *       and a reader who sees id N sees every event before it;</li>
 *   <li>events are published in id order and confirmed before the next batch, so each queue receives them in
 *       that order;</li>
 *   <li>only then is the batch's last id recorded as published ({@code attune.event_relay.published_through}, one
 *       row: since the ids go out in order, every id up to it is published). If the broker is down nothing is
 *       recorded and the same events go out, still in order, once it is back. A crash between publish and record
 *       sends an event twice, with the same message id and event id: consumers are idempotent.</li>
 * </ol>
 */
public class OutboxRelay extends BackgroundLoop {
    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    /** Advisory lock key: "attune.relay". */
    private static final long LOCK_KEY = 0x61747475_6e650001L;

    /**
     * Both as functions of migration V25, which scan their partial indexes entry by entry (it says why); since V26
     * they return each envelope as it is published, with its event id, and the fields its message properties copy.
     */
    private static final String UNPUBLISHED = "SELECT id, routing_key, envelope, message_id, message_type, "
            + "correlation_id, source_service FROM attune.unpublished_events(?)";
    private static final String SEQUENCE = "SELECT id, routing_key, envelope, message_id, message_type, "
            + "correlation_id, source_service FROM attune.sequence_events(?)";
    /** One row for the whole batch (V27): the events themselves are not written again. */
    private static final String MARK =
            "UPDATE attune.event_relay SET published_through = greatest(published_through, ?)";

    private final DataSource dataSource;
    private final RabbitTemplate rabbit;
    private final AmqpSettings amqp;
    private final RelaySettings settings;
    private final RelaySignal signal;
    private final Counter published;

    public OutboxRelay(DataSource dataSource, RabbitTemplate rabbit, AmqpSettings amqp, RelaySettings settings,
                       RelaySignal signal, MeterRegistry meters) {
        super("outbox-relay");
        this.dataSource = dataSource;
        this.rabbit = rabbit;
        this.amqp = amqp;
        this.settings = settings;
        this.signal = signal;
        this.published = Counter.builder("attune.outbox.published").description("events published to the broker")
                .register(meters);
    }

    @Override
    protected void loop() {
        long backoff = 0;
        while (isRunning()) {
            try {
                if (backoff > 0) {
                    Thread.sleep(backoff);
                } else {
                    signal.await(settings.pollInterval().toMillis());
                }
                drain();
                backoff = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                backoff = backoff == 0 ? 250 : Math.min(backoff * 2, 5_000);
                log.warn("Events not published yet, retrying in {} ms: {}", backoff, Failures.rootMessage(e));
            }
        }
    }

    /** Publishes everything stored so far; public for tests and for a shutdown flush. */
    public void drain() throws SQLException, InterruptedException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            if (!lock(c)) {
                signal.wake(); // another process is relaying; look again shortly
                return;
            }
            try {
                // first what a relay left with an id but unpublished (the broker was down, or it stopped between
                // publishing and marking), in id order; then the events committed since, given their ids
                publishAll(c, UNPUBLISHED);
                publishAll(c, SEQUENCE);
            } finally {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
                }
            }
        }
    }

    private boolean lock(Connection c) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + 1_000_000_000L;
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, LOCK_KEY);
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return true;
                    }
                }
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(5);
            }
        }
    }

    /**
     * Publishes and marks what {@code sql} finds, batch after batch. A short batch means nothing more was waiting:
     * an event committed later has woken this relay ({@link RelaySignal}) and goes out on the next drain, so no empty
     * query ends each drain.
     */
    private void publishAll(Connection c, String sql) throws SQLException {
        List<Row> batch;
        do {
            batch = query(c, sql);
            if (!batch.isEmpty()) {
                publish(batch);
                markPublished(c, batch);
            }
        } while (batch.size() == settings.batchSize());
    }

    private List<Row> query(Connection c, String sql) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = planEachTime(c, sql)) {
            ps.setInt(1, settings.batchSize());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7)));
                }
            }
        }
        rows.sort((a, b) -> Long.compare(a.id, b.id));
        return rows;
    }

    private void publish(List<Row> batch) {
        rabbit.invoke(ops -> {
            for (Row row : batch) {
                ops.send(amqp.exchange(), row.routingKey, toMessage(row));
            }
            ops.waitForConfirmsOrDie(amqp.confirmTimeout().toMillis());
            return null;
        });
        published.increment(batch.size());
    }

    /** The envelope as the database wrote it out, its event id in its headers (V26): no JSON is parsed here. */
    private static Message toMessage(Row row) {
        MessageProperties props = new MessageProperties();
        props.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        props.setContentEncoding("UTF-8");
        props.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        props.setMessageId(row.messageId);
        props.setCorrelationId(row.correlationId);
        props.setType(row.messageType);
        props.setAppId(row.sourceService);
        props.setTimestamp(Date.from(Instant.now()));
        props.setHeader(MessageEnvelope.EVENT_ID, row.id);
        return new Message(row.envelope.getBytes(StandardCharsets.UTF_8), props);
    }

    private void markPublished(Connection c, List<Row> batch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(MARK)) {
            ps.setLong(1, batch.get(batch.size() - 1).id); // the batch is sorted by id
            ps.executeUpdate();
        }
    }

    /**
     * A statement Postgres plans for its values every time, never from a plan cached on the connection: the event
     * table grows from empty to millions between two ANALYZEs, and a plan made while it was small (a sequential scan
     * to mark a batch published) would otherwise stay for the connection's life.
     */
    private static PreparedStatement planEachTime(Connection c, String sql) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            ps.unwrap(PGStatement.class).setPrepareThreshold(0);
            return ps;
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
    }

    private record Row(long id, String routingKey, String envelope, String messageId, String messageType,
                       String correlationId, String sourceService) {
    }
}
