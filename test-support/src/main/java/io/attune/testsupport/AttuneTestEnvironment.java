package io.attune.testsupport;

import org.springframework.test.context.DynamicPropertyRegistry;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Configures a service under test the way production does — through the docs/protocol.md §6 variables — pointed at a
 * database and broker namespace of its own.
 */
public final class AttuneTestEnvironment {
    /** A shared HS256 secret for tests (at least 32 bytes). */
    public static final String JWT_SECRET = "test-secret-test-secret-test-secret-0123456789";

    private final TestDatabase database;
    private final AmqpNamespace namespace;
    private String amqpUrl;
    private String databaseUrl;

    private AttuneTestEnvironment(TestDatabase database, AmqpNamespace namespace, String amqpUrl) {
        this.database = database;
        this.namespace = namespace;
        this.amqpUrl = amqpUrl;
        this.databaseUrl = database.jdbcUrl();
    }

    /** A fresh (unmigrated: the service migrates it on start) database and a fresh broker namespace. */
    public static AttuneTestEnvironment create() {
        TestServices services = TestServices.get();
        return new AttuneTestEnvironment(services.newDatabase(), services.newAmqpNamespace(), services.amqp().url());
    }

    public TestDatabase database() {
        return database;
    }

    public AmqpNamespace namespace() {
        return namespace;
    }

    /** Routes the service's broker connection through a proxy, for tests that take the broker away. */
    public AttuneTestEnvironment viaAmqpProxy(TcpProxy proxy) {
        this.amqpUrl = TestServices.get().amqp().url(proxy.host(), proxy.port());
        return this;
    }

    /** Routes the service's database connections through a proxy, for tests that take the database away. */
    public AttuneTestEnvironment viaDatabaseProxy(TcpProxy proxy) {
        this.databaseUrl = database.server().jdbcUrl(proxy.host(), proxy.port(), database.name());
        return this;
    }

    /** The variables and properties a service process needs, as a map (for child processes, say). */
    public Map<String, String> variables() {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("ATTUNE_DB_URL", databaseUrl);
        vars.put("ATTUNE_DB_USER", database.user());
        vars.put("ATTUNE_DB_PASSWORD", database.password());
        vars.put("ATTUNE_AMQP_URL", amqpUrl);
        vars.put("ATTUNE_JWT_SECRET", JWT_SECRET);
        vars.put("ATTUNE_AMQP_EXCHANGE", namespace.exchange());
        vars.put("ATTUNE_AMQP_QUEUE_PREFIX", namespace.queuePrefix());
        if (TestServices.get().amqp().kind().equals("embedded")) {
            // the embedded Qpid broker has no per-queue TTL dead-lettering, so no delay queues (docs/limits.md)
            vars.put("ATTUNE_AMQP_DELAY_QUEUES", "false");
        }
        return vars;
    }

    /** Registers {@link #variables()} for a Spring test (call from a {@code @DynamicPropertySource} method). */
    public void register(DynamicPropertyRegistry registry) {
        variables().forEach((name, value) -> registry.add(name, () -> value));
    }
}
