package io.attune.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.LongSupplier;

/**
 * The moment at which the rows of a sweep figure (5, 11) fall due: far enough ahead to insert them all first (about
 * 15 s, more for big sizes), and the clock those figures read, which starts at that moment or at the insert's commit
 * if that came later.
 */
final class SweepMoment {
    private final long leadSeconds;
    private final long dueMicros;
    private long startMicros;

    private SweepMoment(long leadSeconds, long dueMicros) {
        this.leadSeconds = leadSeconds;
        this.dueMicros = dueMicros;
        this.startMicros = dueMicros;
    }

    /** A moment ahead of the database's clock, time enough to insert {@code rows}. */
    static SweepMoment ahead(Database db, int rows) {
        long lead = Math.max(15, 5 + rows / 10_000);
        return new SweepMoment(lead, db.queryLong(
                "SELECT (extract(epoch FROM now() + make_interval(secs => ?)) * 1000000)::bigint", lead));
    }

    long leadSeconds() {
        return leadSeconds;
    }

    /** Microseconds since the epoch, as the rows' due columns take them. */
    long dueMicros() {
        return dueMicros;
    }

    /**
     * Notes that the rows are committed; the clock starts at the later of the moment and now. Returns a note for
     * the report when the commit came after the moment, else null.
     */
    String committed(String figure) {
        long committedMicros = nowMicros();
        startMicros = Math.max(dueMicros, committedMicros);
        return committedMicros <= dueMicros ? null : String.format(
                "(%s) the insert committed %s after the due moment: measured from the commit", figure,
                Format.seconds((committedMicros - dueMicros) / 1e6));
    }

    /**
     * Waits for the moment, then for {@code count} to reach {@code target} (the sweep's work, committed) and for
     * {@code events} more events published than {@code publishedBefore}, by {@code run}'s relays.
     */
    Times await(Run run, String what, long target, LongSupplier count, long publishedBefore, long events) {
        Database.sleep(Math.max(0, (dueMicros - nowMicros()) / 1000 - 200));
        WalMeter walBefore = WalMeter.read(run.db());
        Run.awaitCount(what, target, 100, 60, count);
        double seconds = (nowMicros() - startMicros) / 1e6;
        WalMeter walAfter = WalMeter.read(run.db());
        Run.awaitCount("events of the sweep published", publishedBefore + events, 100, 120, run::published);
        return new Times(seconds, (nowMicros() - startMicros) / 1e6, walBefore, walAfter);
    }

    /**
     * Seconds from the moment until the sweep's work was done, and until its events were published; what the
     * server's WAL said at the moment and when the work was done.
     */
    record Times(double seconds, double eventsSeconds, WalMeter walBefore, WalMeter walAfter) {
        String wal(String figure, long rows) {
            return walAfter.since(walBefore, figure, rows);
        }
    }

    private static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }
}
