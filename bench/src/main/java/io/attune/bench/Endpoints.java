package io.attune.bench;

import java.net.URI;
import java.util.Map;

/**
 * Where Postgres and RabbitMQ are: the local servers (127.0.0.1:5432, user postgres; 127.0.0.1:5672, guest/guest)
 * unless {@code ATTUNE_DB_URL} (only its host and port are used: the database is always {@link #DATABASE}),
 * {@code ATTUNE_DB_USER}, {@code ATTUNE_DB_PASSWORD} and {@code ATTUNE_AMQP_URL} say otherwise.
 */
public record Endpoints(String dbHost, int dbPort, String dbUser, String dbPassword, String amqpUrl) {
    /** The benchmark's database, dropped and created again by every run and left for inspection. */
    public static final String DATABASE = "attune_bench";
    /** The database pgbench runs in: the same schema, nobody else connected. */
    public static final String CEILING_DATABASE = "attune_bench_ceiling";
    /** The benchmark's own exchange and queue names, so a running suite or the tests are not disturbed. */
    public static final String EXCHANGE = "attune.bench";
    public static final String QUEUE_PREFIX = "attune.bench.";

    public static Endpoints from(Map<String, String> env) {
        String host = "127.0.0.1";
        int port = 5432;
        String url = env.get("ATTUNE_DB_URL");
        if (url != null && !url.isBlank()) {
            if (!url.startsWith("jdbc:postgresql://")) {
                throw new IllegalArgumentException("ATTUNE_DB_URL must look like jdbc:postgresql://host:port/db, not "
                        + url);
            }
            URI uri = URI.create(url.substring("jdbc:".length()));
            host = uri.getHost() == null ? host : uri.getHost();
            port = uri.getPort() < 0 ? port : uri.getPort();
        }
        return new Endpoints(host, port, env.getOrDefault("ATTUNE_DB_USER", "postgres"),
                env.getOrDefault("ATTUNE_DB_PASSWORD", ""),
                env.getOrDefault("ATTUNE_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/"));
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + dbHost + ":" + dbPort + "/" + database;
    }

    /** The broker URL without its password, for printing. */
    public String amqpUrlForDisplay() {
        return amqpUrl.replaceAll("//[^@/]*@", "//***@");
    }
}
