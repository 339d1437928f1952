package io.attune.testsupport;

import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A database created for one test class. Its name carries its creation time so that databases left behind by a
 * killed run are dropped by a later one.
 */
public record TestDatabase(PostgresEndpoint server, String name) {
    private static final String PREFIX = "attune_test_";
    private static final long STALE_AFTER_SECONDS = 6 * 3600;
    private static final List<String> created = new ArrayList<>();
    private static boolean swept;

    static synchronized TestDatabase create(PostgresEndpoint server) {
        long now = System.currentTimeMillis() / 1000;
        String name = PREFIX + now + "_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        try (Connection c = server.connect("postgres")) {
            if (!swept) {
                swept = true;
                dropStale(c, now);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> dropAll(server), "test-database-drop"));
            }
            c.createStatement().execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database on " + server, e);
        }
        created.add(name);
        return new TestDatabase(server, name);
    }

    public String jdbcUrl() {
        return server.jdbcUrl(name);
    }

    public String user() {
        return server.user();
    }

    public String password() {
        return server.password();
    }

    public Connection connect() throws SQLException {
        return server.connect(name);
    }

    /** Applies the suite's Flyway migrations (classpath:db/migration) to this database. */
    public void migrate() {
        migrate("latest");
    }

    /** Applies the migrations up to {@code version} ("26", "latest"): for tests of an upgrade with data in place. */
    public void migrate(String version) {
        Flyway.configure()
                .dataSource(jdbcUrl(), user(), password())
                .schemas("attune")
                .defaultSchema("attune")
                .locations("classpath:db/migration")
                .target(version)
                .load()
                .migrate();
    }

    private static void dropStale(Connection c, long now) throws SQLException {
        List<String> stale = new ArrayList<>();
        try (ResultSet rs = c.createStatement().executeQuery(
                "SELECT datname FROM pg_database WHERE datname LIKE '" + PREFIX + "%'")) {
            while (rs.next()) {
                String name = rs.getString(1);
                String[] parts = name.substring(PREFIX.length()).split("_");
                try {
                    if (now - Long.parseLong(parts[0]) > STALE_AFTER_SECONDS) {
                        stale.add(name);
                    }
                } catch (NumberFormatException ignored) {
                    // not one of ours
                }
            }
        }
        for (String name : stale) {
            c.createStatement().execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    private static synchronized void dropAll(PostgresEndpoint server) {
        try (Connection c = server.connect("postgres")) {
            for (String name : created) {
                c.createStatement().execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        } catch (SQLException e) {
            // the server may already be gone (embedded mode); nothing is left behind then
        }
    }
}
