package io.attune.bench;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.BooleanSupplier;

/**
 * The benchmark's own connection to a database (autocommit, one at a time: only the main thread uses it), with the
 * few helpers the figures need. SQL errors become unchecked: a failed set-up ends the run.
 */
public final class Database implements AutoCloseable {
    private final Connection connection;

    private Database(Connection connection) {
        this.connection = connection;
    }

    public static Database connect(Endpoints endpoints, String database) {
        Properties props = new Properties();
        props.setProperty("user", endpoints.dbUser());
        props.setProperty("password", endpoints.dbPassword());
        props.setProperty("ApplicationName", "attune-bench");
        try {
            return new Database(DriverManager.getConnection(endpoints.jdbcUrl(database), props));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to " + endpoints.jdbcUrl(database) + " as "
                    + endpoints.dbUser() + ": " + e.getMessage(), e);
        }
    }

    /** Drops {@code name} (closing every connection to it) and creates it again, empty. */
    public static void recreate(Endpoints endpoints, String name) {
        try (Database admin = connect(endpoints, "postgres")) {
            admin.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            admin.execute("CREATE DATABASE " + name);
        }
    }

    public Connection connection() {
        return connection;
    }

    public void execute(String sql) {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    public int update(String sql, Object... params) {
        try (PreparedStatement ps = prepare(sql, params)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    public long queryLong(String sql, Object... params) {
        return query(sql, rs -> {
            rs.next();
            return rs.getLong(1);
        }, params);
    }

    public boolean queryBoolean(String sql, Object... params) {
        return query(sql, rs -> {
            rs.next();
            return rs.getBoolean(1);
        }, params);
    }

    public String queryText(String sql, Object... params) {
        return query(sql, rs -> rs.next() ? rs.getString(1) : null, params);
    }

    /** The first two columns of every row, as longs. */
    public List<long[]> queryPairs(String sql, Object... params) {
        return query(sql, rs -> {
            List<long[]> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(new long[]{rs.getLong(1), rs.getLong(2)});
            }
            return rows;
        }, params);
    }

    /** Every column of the one row the query returns, as longs. */
    public long[] queryRow(String sql, Object... params) {
        return query(sql, rs -> {
            rs.next();
            long[] row = new long[rs.getMetaData().getColumnCount()];
            for (int i = 0; i < row.length; i++) {
                row[i] = rs.getLong(i + 1);
            }
            return row;
        }, params);
    }

    /** The first column of every row, as longs. */
    public List<Long> queryLongs(String sql, Object... params) {
        return query(sql, rs -> {
            List<Long> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getLong(1));
            }
            return values;
        }, params);
    }

    /** Every row of a one-column result as text (an EXPLAIN, say), one line each. */
    public String queryLines(String sql, Object... params) {
        return query(sql, rs -> {
            StringBuilder out = new StringBuilder();
            while (rs.next()) {
                out.append(rs.getString(1)).append('\n');
            }
            return out.toString();
        }, params);
    }

    private <T> T query(String sql, ResultReader<T> reader, Object... params) {
        try (PreparedStatement ps = prepare(sql, params); ResultSet rs = ps.executeQuery()) {
            return reader.read(rs);
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    @FunctionalInterface
    private interface ResultReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    public Array bigints(List<Long> ids) {
        try {
            return connection.createArrayOf("bigint", ids.toArray(Long[]::new));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code work} in one transaction; rolled back instead of committed when {@code commit} is false. */
    public <T> T inTransaction(boolean commit, java.util.function.Supplier<T> work) {
        try {
            connection.setAutoCommit(false);
            try {
                T result = work.get();
                if (commit) {
                    connection.commit();
                } else {
                    connection.rollback();
                }
                return result;
            } catch (RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("transaction failed: " + e.getMessage(), e);
        }
    }

    /**
     * Polls {@code done} every {@code pollMillis} until it holds; returns the moment it first held
     * ({@link System#nanoTime()}). Throws when it still does not after {@code timeoutMillis}.
     */
    public static long awaitNanos(String what, long pollMillis, long timeoutMillis, BooleanSupplier done) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            if (done.getAsBoolean()) {
                return System.nanoTime();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeoutMillis / 1000 + " s waiting until " + what);
            }
            sleep(pollMillis);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }

    private PreparedStatement prepare(String sql, Object... params) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
        return ps;
    }

    private static IllegalStateException failed(String sql, SQLException e) {
        String shown = sql.length() > 200 ? sql.substring(0, 200) + "…" : sql;
        return new IllegalStateException("SQL failed (" + e.getMessage() + "): " + shown, e);
    }
}
