package io.attune.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;

/**
 * A real PostgreSQL server run from the binaries zonky ships on Maven Central, for machines that have none.
 * With a data directory it keeps its data across restarts (the standalone suite); without one it is thrown away on
 * close (tests). Running as root works too: zonky then starts Postgres in a user namespace.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** A throw-away server on a free port. */
    public static EmbeddedPostgresServer startTemporary() {
        return start(null, 0);
    }

    /**
     * Starts a server, stopped at the latest when the JVM exits. {@code dataDirectory} null means a temporary one;
     * {@code port} 0 means a free port.
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port) {
        return start(dataDirectory, port, true);
    }

    /**
     * Starts a server; with {@code stopAtJvmExit} false only {@link #close()} stops it. The standalone launcher stops
     * it itself, after the services that use it: stopped by its own hook, at the same moment as the launcher's, it
     * would cut the services' connections while they are still shutting down.
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port, boolean stopAtJvmExit) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setRegisterShutdownHook(stopAtJvmExit)
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("listen_addresses", "127.0.0.1");
            if (dataDirectory != null) {
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            }
            return new EmbeddedPostgresServer(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded Postgres", e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String user() {
        return "postgres";
    }

    /** JDBC URL of a database on this server (no user in it; the user is {@link #user()}, no password). */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /** Creates the database unless it exists. */
    public void createDatabaseIfMissing(String database) {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), user(), "")) {
            var rs = c.createStatement().executeQuery(
                    "SELECT 1 FROM pg_database WHERE datname = '" + database.replace("'", "''") + "'");
            if (!rs.next()) {
                c.createStatement().execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + database, e);
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
