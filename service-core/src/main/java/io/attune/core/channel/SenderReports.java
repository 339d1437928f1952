package io.attune.core.channel;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.Duration;
import java.util.Optional;

/**
 * {@code attune.channel_sender_status}: what each notifier replica's senders can do (email: is SMTP configured?),
 * one row per (type, replica). Replicas may differ — one with SMTP, one without — so a kind of channel can send as
 * long as one replica reported lately that it can; a replica that stopped reporting (it died) no longer counts once
 * its report is older than {@link #FRESH}.
 */
@Repository
public class SenderReports {
    /** How often a running replica reports. */
    public static final Duration EVERY = Duration.ofSeconds(30);
    /** How long a report counts: a few missed reports, so that one slow round does not flip a channel's status. */
    public static final Duration FRESH = EVERY.multipliedBy(4);
    /**
     * SQL: whether a replica reported lately that it can send channels of the type given by the expression
     * {@code %s} (a column, or {@code ?}).
     */
    public static final String SOME_REPLICA_CAN_SEND = "EXISTS (SELECT 1 FROM attune.channel_sender_status s "
            + "WHERE s.type = %s AND s.available AND s.reported_at > now() - make_interval(secs => "
            + FRESH.toSeconds() + "))";

    private final JdbcClient jdbc;

    public SenderReports(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** What the senders of {@code type} can do, as far as the replicas' fresh reports say; empty without any. */
    public record State(boolean available, String reason) {
    }

    /** Whether some replica can send channels of {@code type}, else the newest fresh reason why not. */
    public Optional<State> state(String type) {
        return jdbc.sql("SELECT available, reason FROM attune.channel_sender_status WHERE type = ? "
                        + "AND reported_at > now() - make_interval(secs => ?) ORDER BY available DESC, reported_at DESC "
                        + "LIMIT 1")
                .params(type, (double) FRESH.toSeconds())
                .query((rs, n) -> new State(rs.getBoolean("available"), rs.getString("reason"))).optional();
    }

    /** {@code replica}'s senders of {@code type}: available, or why not. Reports long stale are pruned meanwhile. */
    public void report(String type, boolean available, String reason, String replica) {
        jdbc.sql("INSERT INTO attune.channel_sender_status (type, available, reason, replica, reported_at) "
                        + "VALUES (?, ?, ?, ?, now()) ON CONFLICT (type, replica) DO UPDATE SET "
                        + "available = excluded.available, reason = excluded.reason, reported_at = excluded.reported_at")
                .params(type, available, reason, replica).update();
        // each replica start has a name of its own: the rows of replicas gone for a day are only clutter
        jdbc.sql("DELETE FROM attune.channel_sender_status WHERE reported_at < now() - interval '1 day'").update();
    }

    /** A replica stopping: its senders count no more at once (a replica that dies counts until its report is stale). */
    public void forget(String replica) {
        jdbc.sql("DELETE FROM attune.channel_sender_status WHERE replica = ?").param(replica).update();
    }
}
