package io.attune.testsupport;

import io.attune.embedded.EmbeddedAmqpBroker;
import io.attune.embedded.EmbeddedPostgresServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.RabbitMQContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;

/**
 * The Postgres and RabbitMQ every test in this JVM talks to, chosen once by {@code ATTUNE_TEST_SERVICES}
 * (environment variable, or system property {@code attune.test.services}):
 * <ul>
 *   <li>{@code containers}: Testcontainers (needs a Docker engine);</li>
 *   <li>{@code local}: the servers on 127.0.0.1:5432 (user postgres, trust) and 127.0.0.1:5672 (guest/guest);</li>
 *   <li>{@code embedded}: a Postgres from zonky's binaries and an in-process Qpid Broker-J;</li>
 *   <li>{@code auto} (default): containers where Docker answers, else local where the port answers, else embedded —
 *       decided for Postgres and for RabbitMQ separately.</li>
 * </ul>
 * Tests never share data: each asks for its own {@link #newDatabase() database} and {@link #newAmqpNamespace()
 * exchange and queue names}.
 */
public final class TestServices {
    private static final Logger log = LoggerFactory.getLogger(TestServices.class);
    private static volatile TestServices instance;

    public enum Mode { AUTO, CONTAINERS, LOCAL, EMBEDDED }

    private final PostgresEndpoint postgres;
    private final AmqpEndpoint amqp;

    private TestServices(PostgresEndpoint postgres, AmqpEndpoint amqp) {
        this.postgres = postgres;
        this.amqp = amqp;
    }

    public static TestServices get() {
        if (instance == null) {
            synchronized (TestServices.class) {
                if (instance == null) {
                    instance = start(requestedMode());
                }
            }
        }
        return instance;
    }

    public PostgresEndpoint postgres() {
        return postgres;
    }

    public AmqpEndpoint amqp() {
        return amqp;
    }

    /** A new, empty database of its own (dropped when the JVM exits). */
    public TestDatabase newDatabase() {
        return TestDatabase.create(postgres);
    }

    /** A new, empty database with the suite's migrations applied. */
    public TestDatabase newMigratedDatabase() {
        TestDatabase database = newDatabase();
        database.migrate();
        return database;
    }

    /** Exchange and queue names no other test uses. */
    public AmqpNamespace newAmqpNamespace() {
        return AmqpNamespace.create(amqp);
    }

    static Mode requestedMode() {
        String value = System.getenv("ATTUNE_TEST_SERVICES");
        if (value == null || value.isBlank()) {
            value = System.getProperty("attune.test.services", "auto");
        }
        try {
            return Mode.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "ATTUNE_TEST_SERVICES must be auto, containers, local or embedded, not '" + value + "'");
        }
    }

    private static TestServices start(Mode mode) {
        boolean docker = (mode == Mode.AUTO || mode == Mode.CONTAINERS) && dockerAnswers();
        if (mode == Mode.CONTAINERS && !docker) {
            throw new IllegalStateException("ATTUNE_TEST_SERVICES=containers, but no Docker engine answers");
        }
        PostgresEndpoint postgres = switch (mode) {
            case CONTAINERS -> containerPostgres();
            case LOCAL -> localPostgres(true);
            case EMBEDDED -> embeddedPostgres();
            case AUTO -> docker ? containerPostgres()
                    : portAnswers(5432) ? localPostgres(false) : embeddedPostgres();
        };
        AmqpEndpoint amqp = switch (mode) {
            case CONTAINERS -> containerAmqp();
            case LOCAL -> localAmqp(true);
            case EMBEDDED -> embeddedAmqp();
            case AUTO -> docker ? containerAmqp() : portAnswers(5672) ? localAmqp(false) : embeddedAmqp();
        };
        log.info("Test services ({}): Postgres {} ({}), AMQP {} ({})", mode, postgres.host() + ":" + postgres.port(),
                postgres.kind(), amqp.host() + ":" + amqp.port(), amqp.kind());
        return new TestServices(postgres, amqp);
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    static boolean portAnswers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static PostgresEndpoint localPostgres(boolean required) {
        if (required && !portAnswers(5432)) {
            throw new IllegalStateException("ATTUNE_TEST_SERVICES=local, but nothing answers on 127.0.0.1:5432");
        }
        return new PostgresEndpoint("local", "127.0.0.1", 5432, "postgres", "");
    }

    private static AmqpEndpoint localAmqp(boolean required) {
        if (required && !portAnswers(5672)) {
            throw new IllegalStateException("ATTUNE_TEST_SERVICES=local, but nothing answers on 127.0.0.1:5672");
        }
        return new AmqpEndpoint("local", "127.0.0.1", 5672, "guest", "guest");
    }

    private static PostgresEndpoint embeddedPostgres() {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.startTemporary();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "embedded-postgres-stop"));
        return new PostgresEndpoint("embedded", "127.0.0.1", server.port(), server.user(), "");
    }

    private static AmqpEndpoint embeddedAmqp() {
        EmbeddedAmqpBroker broker = EmbeddedAmqpBroker.start(0);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "embedded-broker-stop"));
        return new AmqpEndpoint("embedded", "127.0.0.1", broker.port(), "guest", "guest");
    }

    @SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM exits
    private static PostgresEndpoint containerPostgres() {
        PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine")
                .withUsername("postgres").withPassword("postgres");
        container.start();
        return new PostgresEndpoint("container", container.getHost(), container.getMappedPort(5432), "postgres",
                "postgres");
    }

    @SuppressWarnings("resource")
    private static AmqpEndpoint containerAmqp() {
        RabbitMQContainer container = new RabbitMQContainer("rabbitmq:3.13-management-alpine");
        container.start();
        return new AmqpEndpoint("container", container.getHost(), container.getAmqpPort(),
                container.getAdminUsername(), container.getAdminPassword());
    }
}
