package io.attune.bench;

import java.util.Locale;

/**
 * What Postgres wrote to its write-ahead log between two moments (pg_stat_wal, pg_stat_bgwriter): the sweeps (5, 11)
 * are bound by writing, so their figures say how much they wrote and whether the log's buffers or a checkpoint got in
 * the way. Counts the whole server: the relay's and the notifier's work for the sweep's events is part of the figure.
 */
record WalMeter(long records, long fullPageImages, long bytes, long buffersFull, long checkpoints) {

    static WalMeter read(Database db) {
        long[] row = db.queryRow("SELECT w.wal_records, w.wal_fpi, w.wal_bytes::bigint, w.wal_buffers_full, "
                + "b.checkpoints_timed + b.checkpoints_req FROM pg_stat_wal w, pg_stat_bgwriter b");
        return new WalMeter(row[0], row[1], row[2], row[3], row[4]);
    }

    /** A report note on what was written since {@code before}, per row of the sweep. */
    String since(WalMeter before, String figure, long rows) {
        long written = bytes - before.bytes;
        return String.format(Locale.ROOT, "(%s) WAL written from the moment until the sweep was done: %s (%s per row, "
                        + "%,d records, %,d full-page images); WAL buffers full %,d times; %d checkpoint(s)", figure,
                String.format(Locale.ROOT, "%,.0f MB", written / 1048576.0),
                String.format(Locale.ROOT, "%.1f kB", rows == 0 ? 0 : written / 1024.0 / rows),
                records - before.records, fullPageImages - before.fullPageImages, buffersFull - before.buffersFull,
                checkpoints - before.checkpoints);
    }
}
