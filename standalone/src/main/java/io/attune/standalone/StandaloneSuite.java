package io.attune.standalone;

import io.attune.embedded.EmbeddedAmqpBroker;
import io.attune.embedded.EmbeddedPostgresServer;
import io.attune.model.json.Json;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The whole suite with one command. Postgres and the AMQP broker are embedded (Postgres data kept in
 * {@code ~/.attune/data}) unless {@code ATTUNE_DB_URL} / {@code ATTUNE_AMQP_URL} point at real ones; api, executor,
 * notifier and worker run as child processes configured by the docs/protocol.md §6 environment, exactly as in production.
 * Ctrl-C stops everything; starting again keeps the data.
 */
public final class StandaloneSuite {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final Map<String, String> env;
    private final Path repository;
    private final LocalState state;
    private final List<ServiceProcess> services = new ArrayList<>();
    private final Object postgresLock = new Object();
    private final Object brokerLock = new Object();
    private EmbeddedPostgresServer postgres;
    private volatile EmbeddedAmqpBroker broker;
    private volatile boolean stopping;

    StandaloneSuite(Map<String, String> env, Path repository, LocalState state) {
        this.env = env;
        this.repository = repository;
        this.state = state;
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        Path home = Path.of(env.getOrDefault("ATTUNE_HOME", System.getProperty("user.home") + "/.attune"));
        StandaloneSuite suite = new StandaloneSuite(env, repositoryRoot(), new LocalState(home));
        Runtime.getRuntime().addShutdownHook(new Thread(suite::stop, "attune-stop"));
        try {
            suite.start();
        } catch (RuntimeException e) {
            System.err.println();
            System.err.println("The suite did not start: " + e.getMessage());
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                System.err.println("  because: " + cause);
            }
            System.exit(1);
        }
        suite.superviseUntilStopped();
    }

    void start() {
        long started = System.nanoTime();
        System.out.println("Starting the Attune inquiry suite (state in " + state.home() + ")");
        Map<String, String> serviceEnv = new LinkedHashMap<>();
        // the broker starts in this JVM while Postgres starts in its own process: side by side, not one after the other
        CompletableFuture<String> amqp = CompletableFuture.supplyAsync(this::amqpUrl);
        serviceEnv.putAll(database());
        try {
            serviceEnv.put("ATTUNE_AMQP_URL", amqp.join());
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        if (broker != null) {
            // Qpid has no per-queue TTL dead-lettering: retries go to the tail of their queue without a delay
            serviceEnv.put("ATTUNE_AMQP_DELAY_QUEUES", "false");
        }
        serviceEnv.put("ATTUNE_JWT_SECRET", Optional.ofNullable(env.get("ATTUNE_JWT_SECRET"))
                .orElseGet(() -> state.secret("jwt-secret", 48)));
        String adminPassword = Optional.ofNullable(env.get("ATTUNE_ADMIN_PASSWORD"))
                .orElseGet(() -> state.secret("admin-password", 12));
        serviceEnv.put("ATTUNE_ADMIN_PASSWORD", adminPassword);
        // after each service's shipped options (deploy/jvm): a quick start matters more here than peak speed, so C1
        // only (about half the CPU of a start, and less code cache); ATTUNE_JAVA_OPTS replaces it
        serviceEnv.put("ATTUNE_JAVA_OPTS", env.getOrDefault("ATTUNE_JAVA_OPTS", "-XX:TieredStopAtLevel=1"));
        if (env.containsKey("ATTUNE_CLASS_DATA_SHARING")) {
            serviceEnv.put("ATTUNE_CLASS_DATA_SHARING", env.get("ATTUNE_CLASS_DATA_SHARING"));
        }
        int apiPort = port("ATTUNE_API_PORT", 8080);
        int notifierPort = port("ATTUNE_NOTIFIER_PORT", 8081);
        serviceEnv.put("ATTUNE_NOTIFIER_PUBLIC_URL", env.getOrDefault("ATTUNE_NOTIFIER_PUBLIC_URL",
                "ws://localhost:" + notifierPort + "/ws"));
        // where the links that channels send (signed links, the web UI's inquiry pages) point
        serviceEnv.put("ATTUNE_PUBLIC_URL", env.getOrDefault("ATTUNE_PUBLIC_URL", "http://localhost:" + apiPort));

        services.add(new ServiceProcess("api-service", jar("api-service"), apiPort, state.logs()));
        services.add(new ServiceProcess("executor-service", jar("executor-service"),
                port("ATTUNE_EXECUTOR_PORT", 8082), state.logs()));
        services.add(new ServiceProcess("notifier-service", jar("notifier-service"), notifierPort, state.logs()));
        services.add(new ServiceProcess("worker-service", jar("worker-service"), port("ATTUNE_WORKER_PORT", 8083),
                state.logs()));
        for (ServiceProcess service : services) {
            requireFree(service.port(), service.name());
        }
        ServiceProcess.prepare(services, serviceEnv);
        // all at once: Flyway serialises the schema migration through a database lock
        System.out.printf("  starting: the services (after %.1f s)%n", (System.nanoTime() - started) / 1e9);
        for (ServiceProcess service : services) {
            service.start(serviceEnv);
        }
        awaitHealthy(services, started);

        double seconds = (System.nanoTime() - started) / 1e9;
        printBanner(seconds, apiPort, notifierPort, adminPassword);
        if (ServiceProcess.needTraining(services)) {
            // once per build, beside the running suite rather than before it: the first start is not delayed
            System.out.println("(first start of these jars: writing class-data archives in the background, for a "
                    + "quicker start next time)");
            Thread training = new Thread(() -> ServiceProcess.train(services, serviceEnv,
                    message -> System.out.println("  " + message)), "attune-cds-training");
            training.setDaemon(true);
            training.start();
        }
    }

    private Map<String, String> database() {
        Map<String, String> db = new LinkedHashMap<>();
        if (env.containsKey("ATTUNE_DB_URL")) {
            db.put("ATTUNE_DB_URL", env.get("ATTUNE_DB_URL"));
            db.put("ATTUNE_DB_USER", env.getOrDefault("ATTUNE_DB_USER", "postgres"));
            db.put("ATTUNE_DB_PASSWORD", env.getOrDefault("ATTUNE_DB_PASSWORD", ""));
            System.out.println("  database: " + env.get("ATTUNE_DB_URL"));
            return db;
        }
        int port = port("ATTUNE_EMBEDDED_DB_PORT", 54329);
        requireFree(port, "the embedded Postgres");
        System.out.println("  database: embedded Postgres on 127.0.0.1:" + port + ", data in " + state.postgresData());
        startPostgres(port);
        postgres.createDatabaseIfMissing("attune");
        db.put("ATTUNE_DB_URL", postgres.jdbcUrl("attune"));
        db.put("ATTUNE_DB_USER", postgres.user());
        db.put("ATTUNE_DB_PASSWORD", "");
        return db;
    }

    private String amqpUrl() {
        if (env.containsKey("ATTUNE_AMQP_URL")) {
            System.out.println("  broker:   " + env.get("ATTUNE_AMQP_URL").replaceAll("//[^@/]*@", "//***@"));
            return env.get("ATTUNE_AMQP_URL");
        }
        int port = port("ATTUNE_EMBEDDED_AMQP_PORT", 5673);
        requireFree(port, "the embedded AMQP broker");
        System.out.println("  broker:   embedded AMQP 0-9-1 broker (Qpid) on 127.0.0.1:" + port
                + " (in memory: messages in flight do not survive a restart; stored events are re-sent)");
        startBroker(port);
        return broker.url();
    }

    /*
     * Postgres and the broker are stopped by stop(), after the services, not by hooks of their own beside it. Each
     * starts under a lock that stop() takes before stopping it: a stop waits for a start under way and then stops
     * what it started, and no start begins once the suite is stopping (nothing is left running after the launcher).
     * Two locks, so that the two still start side by side.
     */
    private void startPostgres(int port) {
        synchronized (postgresLock) {
            requireNotStopping();
            postgres = EmbeddedPostgresServer.start(state.postgresData(), port, false);
        }
    }

    private void startBroker(int port) {
        synchronized (brokerLock) {
            requireNotStopping();
            broker = EmbeddedAmqpBroker.start(port);
            broker.stopOnlyOnClose();
        }
    }

    private void requireNotStopping() {
        if (stopping) {
            throw new IllegalStateException("the suite is stopping");
        }
    }

    private void awaitHealthy(List<ServiceProcess> group, long started) {
        ServiceProcess.awaitHealthy(group, READY_TIMEOUT, service -> System.out.printf(
                "  ready:    %s on port %d (after %.1f s)%n", service.name(), service.port(),
                (System.nanoTime() - started) / 1e9));
    }

    private void printBanner(double seconds, int apiPort, int notifierPort, String adminPassword) {
        String api = "http://localhost:" + apiPort;
        String token = login(api, adminPassword);
        StringBuilder out = new StringBuilder();
        out.append(String.format("%nAttune inquiry suite is ready (%.1f s).%n%n", seconds));
        out.append("  Web UI and REST API  ").append(api).append("/\n");
        out.append("  API documentation    ").append(api).append("/swagger-ui.html\n");
        out.append("  WebSocket            ws://localhost:").append(notifierPort).append("/ws\n");
        out.append("  Sign in as           admin / ").append(adminPassword)
                .append(env.containsKey("ATTUNE_ADMIN_PASSWORD") ? "   (from ATTUNE_ADMIN_PASSWORD)"
                        : "   (kept in " + state.home().resolve("admin-password") + ")").append('\n');
        out.append("  Logs                 ").append(state.logs()).append("\n\n");
        out.append("Try it: start the deployment-approval example, then answer it in the web UI:\n\n");
        out.append("  export TOKEN=").append(token == null ? "<access_token from POST " + api + "/auth/login>" : token)
                .append("\n");
        out.append("  curl -s -X POST ").append(api).append("/api/v1/executions \\\n")
                .append("    -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' \\\n")
                .append("    -d '{\"action_ref\": \"examples.deploy_approval\", \"parameters\": ")
                .append("{\"service\": \"api-service\", \"version\": \"2.1.0\"}}'\n\n");
        out.append("Press Ctrl-C to stop the suite; starting it again keeps the data.\n");
        System.out.println(out);
    }

    /** A token for the banner's example command, or null when the login fails (e.g. admin's password changed). */
    private static String login(String api, String password) {
        try {
            String body = Json.write(Map.of("login", "admin", "password", password));
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(api + "/auth/login")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode token = Json.tree(response.body()).path("data").path("access_token");
            return response.statusCode() == 200 && token.isString() ? token.asString() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Keeps the launcher alive; if a service dies on its own, says why and stops the rest. */
    void superviseUntilStopped() {
        while (!stopping) {
            for (ServiceProcess service : services) {
                if (!stopping && !service.isAlive()) {
                    System.err.println(service.name() + " stopped unexpectedly (exit code "
                            + service.process().exitValue() + "); its log ends with:\n    "
                            + String.join("\n    ", service.logTail(25)));
                    System.exit(1); // runs the shutdown hook, which stops the others
                }
            }
            sleep(500);
        }
    }

    synchronized void stop() {
        if (stopping) {
            return;
        }
        stopping = true;
        // were Qpid's own shutdown hook still there (stopOnlyOnClose), it would stop the broker beside this one and
        // log every client that then loses its connection: noise, not news, while everything is stopping anyway
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.qpid"))
                .setLevel(ch.qos.logback.classic.Level.OFF);
        if (!services.isEmpty()) {
            System.out.println("\nStopping the suite...");
        }
        List<ServiceProcess> reverse = new ArrayList<>(services);
        java.util.Collections.reverse(reverse);
        try {
            reverse.forEach(ServiceProcess::requestStop);
            reverse.forEach(s -> s.awaitStop(Duration.ofSeconds(20)));
        } finally {
            synchronized (brokerLock) {
                if (broker != null) {
                    broker.close();
                }
            }
            synchronized (postgresLock) {
                if (postgres != null) {
                    postgres.close();
                }
            }
        }
        if (!services.isEmpty()) {
            System.out.println("Stopped. Data kept in " + state.home());
        }
    }

    private Path jar(String module) {
        Path jar = repository.resolve(module).resolve("target").resolve(module + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the suite first (./run.sh does it)");
        }
        return jar;
    }

    private int port(String variable, int fallback) {
        String value = env.get(variable);
        try {
            return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(variable + " must be a port number, not '" + value + "'");
        }
    }

    private static void requireFree(int port, String what) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " for " + what + " is already in use (is the suite "
                    + "already running? other ports can be chosen with the ATTUNE_*_PORT variables, see README)");
        }
    }

    /** The checkout the jars were built in: {@code attune.repository}, else two levels above this jar. */
    static Path repositoryRoot() {
        String configured = System.getProperty("attune.repository");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath();
        }
        try {
            Path self = Path.of(StandaloneSuite.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path candidate = self.getParent() == null ? null : self.getParent().getParent();
            if (candidate != null && candidate.getParent() != null
                    && Files.isDirectory(candidate.getParent().resolve("api-service"))) {
                return candidate.getParent();
            }
        } catch (Exception ignored) {
            // fall back to the working directory
        }
        return Path.of("").toAbsolutePath();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
