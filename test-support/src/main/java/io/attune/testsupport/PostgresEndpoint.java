package io.attune.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Where the test Postgres listens; {@code kind} is container, local or embedded. */
public record PostgresEndpoint(String kind, String host, int port, String user, String password) {

    public String jdbcUrl(String database) {
        return jdbcUrl(host, port, database);
    }

    /** The same database at another address (a {@link TcpProxy} in front of the server, say). */
    public String jdbcUrl(String host, int port, String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), user, password);
    }
}
