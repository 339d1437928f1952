package io.attune.e2e;

import io.attune.model.json.Json;
import io.attune.standalone.ServiceProcess;
import io.attune.testsupport.AttuneTestEnvironment;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The suite as it runs in production: the built jars ({@code <module>/target/<module>.jar}) as separate JVM
 * processes, configured only by environment variables, on a database and broker namespace of their own (local or
 * embedded Postgres and RabbitMQ, as test-support decides). Processes are always stopped: on {@link #close()}, and
 * by a shutdown hook if a test run dies first.
 */
public final class RunningSuite implements AutoCloseable {
    public static final String ADMIN_PASSWORD = "admin-password-e2e";
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path LOGS = Path.of("target", "e2e-logs").toAbsolutePath();
    private static final List<Process> ALL = new CopyOnWriteArrayList<>();
    /** Postgres refusing a connection because max_connections is reached (SQLSTATE 53300). */
    private static final String DATABASE_FULL = "too many clients already";
    private static final int MAX_RESTARTS = 3;
    /** How long services may take to become healthy; a machine shared with other builds may need more (-D). */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(Long.getLong("attune.e2e.start-seconds", 240));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ALL.forEach(Process::destroyForcibly), "e2e-cleanup"));
    }

    private final AttuneTestEnvironment environment;
    private final Map<String, String> variables;
    private final Map<String, Map<String, String>> variablesByKind;
    private final Map<String, Service> services = new LinkedHashMap<>();
    private Connection database;

    private RunningSuite(AttuneTestEnvironment environment, Map<String, String> variables,
                         Map<String, Map<String, String>> variablesByKind) {
        this.environment = environment;
        this.variables = variables;
        this.variablesByKind = variablesByKind;
    }

    /** Starts the given services, e.g. {@code start("api", "executor", "executor", "notifier", "worker")}. */
    public static RunningSuite start(String... kinds) {
        return start(Map.of(), kinds);
    }

    /** As {@link #start(String...)}, with extra environment variables for every service. */
    public static RunningSuite start(Map<String, String> extraVariables, String... kinds) {
        return start(AttuneTestEnvironment.create(), extraVariables, Map.of(), kinds);
    }

    /**
     * On an environment the test prepared (roles created in its database, say), with extra variables for every
     * service and, by kind ({@code "worker"}), variables for that kind's processes only.
     */
    public static RunningSuite start(AttuneTestEnvironment environment, Map<String, String> extraVariables,
                                     Map<String, Map<String, String>> variablesByKind, String... kinds) {
        Map<String, String> variables = new LinkedHashMap<>(environment.variables());
        variables.put("ATTUNE_ADMIN_PASSWORD", ADMIN_PASSWORD);
        variables.putAll(extraVariables);
        RunningSuite suite = new RunningSuite(environment, variables, variablesByKind);
        try {
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (String kind : kinds) {
                int n = counts.merge(kind, 1, Integer::sum);
                suite.launch(kind + "-" + n, kind);
            }
            suite.awaitHealthy(START_TIMEOUT);
            return suite;
        } catch (RuntimeException | Error e) {
            suite.close();
            throw e;
        }
    }

    public AttuneTestEnvironment environment() {
        return environment;
    }

    /** Base URL of the (first) api-service, e.g. {@code http://127.0.0.1:34567}. */
    public String apiUrl() {
        return "http://127.0.0.1:" + service("api-1").port;
    }

    /** WebSocket URL of the n-th notifier (1-based). */
    public String notifierUrl(int n) {
        return "ws://127.0.0.1:" + service("notifier-" + n).port + "/ws";
    }

    public Service service(String name) {
        Service service = services.get(name);
        if (service == null) {
            throw new IllegalArgumentException("no service " + name + " in " + services.keySet());
        }
        return service;
    }

    public List<Service> services() {
        return List.copyOf(services.values());
    }

    /** Starts one more service process (e.g. a replacement executor) and waits until it is healthy. */
    public Service launchAndAwait(String name, String kind) {
        return launchAndAwait(name, kind, Map.of());
    }

    /**
     * As {@link #launchAndAwait(String, String)}, with variables of its own on top of the suite's (say, a broker URL
     * through a proxy). A name already used (a killed process) is taken over by the new process.
     */
    public Service launchAndAwait(String name, String kind, Map<String, String> ownVariables) {
        Service service = launch(name, kind, ServiceProcess.freePort(), 0, ownVariables);
        awaitHealthy(START_TIMEOUT);
        return service;
    }

    /** A fresh token of the bootstrap admin. */
    public String adminToken() {
        return login("admin", ADMIN_PASSWORD);
    }

    public String login(String login, String password) {
        JsonNode body = call("POST", "/auth/login", null, Json.write(Map.of("login", login, "password", password)));
        return body.path("data").path("access_token").asString();
    }

    /** Creates an identity through the API (as admin) and returns its id. */
    public long createIdentity(String login, String password, String... roles) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("login", login);
        request.put("password", password);
        request.put("display_name", login);
        request.put("roles", roles.length == 0 ? List.of("user") : List.of(roles));
        return call("POST", "/api/v1/identities", adminToken(), Json.write(request)).path("data").path("id").asLong();
    }

    /** An API call that must succeed (2xx); returns the parsed body. */
    public JsonNode call(String method, String path, String token, String body) {
        HttpResponse<String> response = send(method, path, token, body);
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body().isEmpty() ? Json.object() : Json.tree(response.body());
    }

    /** An API call, whatever it answers. */
    public HttpResponse<String> send(String method, String path, String token, String body) {
        return sendWithTimeout(method, path, token, body, Duration.ofSeconds(30));
    }

    /** As {@link #send}, for a call that may take longer than 30 s (a long poll). */
    public HttpResponse<String> sendWithTimeout(String method, String path, String token, String body,
                                                Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiUrl() + path))
                .timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A connection to the suite's database for the test's own checks, opened on first use and closed with the suite.
     * The Postgres is shared with other builds: this waits for a free connection slot rather than fail on a busy
     * moment.
     */
    public synchronized Connection database() {
        if (database == null) {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (database == null) {
                try {
                    database = environment.database().connect();
                } catch (RuntimeException | SQLException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("no connection to the test database within 90 s", e);
                    }
                    sleep(1000);
                }
            }
        }
        return database;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (database != null) {
                try {
                    database.close();
                } catch (SQLException e) {
                    // the suite is going away: a connection that cannot close cleanly changes nothing
                }
                database = null;
            }
        }
        for (Service service : services.values()) {
            service.process.destroy();
        }
        for (Service service : services.values()) {
            try {
                // one writing its class-data archive at exit (QuickStart) may take a minute more on a busy machine
                if (!service.process.waitFor(service.launch.training() == null ? 15 : 180, TimeUnit.SECONDS)) {
                    service.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                service.process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            if (!service.process.isAlive()) {
                QuickStart.ended(service.launch, service.process.exitValue());
            }
            ALL.remove(service.process);
        }
    }

    private Service launch(String name, String kind) {
        return launch(name, kind, ServiceProcess.freePort(), 0, Map.of());
    }

    private Service launch(String name, String kind, int port, int restarts, Map<String, String> ownVariables) {
        String module = kind + "-service";
        Path jar = ROOT.resolve(module).resolve("target").resolve(module + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw package (or verify) first");
        }
        Path log = LOGS.resolve(environment.database().name() + "-" + name + ".log");
        try {
            Files.createDirectories(LOGS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        QuickStart.Launch launch = QuickStart.of(module, jar, log);
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Xmx384m"));
        command.addAll(launch.arguments());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(variables);
        builder.environment().putAll(variablesByKind.getOrDefault(kind, Map.of()));
        builder.environment().putAll(ownVariables);
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        if (kind.equals("api") && !variables.containsKey("ATTUNE_NOTIFIER_PUBLIC_URL")
                && services.containsKey("notifier-1")) {
            // the web UI served by api-service opens the notifier's WebSocket: tell it where (start notifier first)
            builder.environment().put("ATTUNE_NOTIFIER_PUBLIC_URL", notifierUrl(1));
        }
        try {
            long logStart = Files.exists(log) ? Files.size(log) : 0;
            Process process = builder.start();
            ALL.add(process);
            Service service = new Service(name, kind, port, process, launch, log, logStart, restarts,
                    ownVariables);
            services.put(name, service);
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    private void awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Service> waiting = new ArrayList<>(services.values().stream().filter(Service::isAlive).toList());
        while (!waiting.isEmpty()) {
            for (Service service : List.copyOf(waiting)) {
                if (!service.isAlive()) {
                    ALL.remove(service.process);
                    QuickStart.ended(service.launch, service.process.exitValue());
                    waiting.remove(service);
                    if (service.restarts < MAX_RESTARTS && service.startUpLog().contains(DATABASE_FULL)) {
                        // What compose's restart policy does; only for this, so that a start-up bug still fails.
                        System.out.printf("%s could not connect: the shared Postgres is full; starting it again%n",
                                service.name);
                        sleep(2_000);
                        waiting.add(launch(service.name, service.kind, service.port, service.restarts + 1,
                                service.ownVariables));
                        continue;
                    }
                    throw new IllegalStateException(service.name + " exited during start-up:\n" + service.logTail(40));
                }
                if (service.isHealthy()) {
                    waiting.remove(service);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not healthy in time: " + waiting);
            }
            sleep(200);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One service process. */
    public static final class Service {
        private final String name;
        private final String kind;
        private final int port;
        private final Process process;
        private final QuickStart.Launch launch;
        private final Path log;
        private final long logStart;
        private final int restarts;
        private final Map<String, String> ownVariables;

        Service(String name, String kind, int port, Process process, QuickStart.Launch launch, Path log,
                long logStart, int restarts, Map<String, String> ownVariables) {
            this.name = name;
            this.kind = kind;
            this.port = port;
            this.process = process;
            this.launch = launch;
            this.log = log;
            this.logStart = logStart;
            this.restarts = restarts;
            this.ownVariables = Map.copyOf(ownVariables);
        }

        public String name() {
            return name;
        }

        public String kind() {
            return kind;
        }

        public int port() {
            return port;
        }

        public long pid() {
            return process.pid();
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** SIGKILL: no shutdown hook, no graceful stop — a crash. */
        public void kill() {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!process.isAlive()) {
                QuickStart.ended(launch, process.exitValue());
            }
        }


        public boolean isHealthy() {
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                return response.statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        /** What this process (not an earlier one of the same name) wrote to the log. */
        String startUpLog() {
            try {
                byte[] all = Files.readAllBytes(log);
                return new String(all, (int) Math.min(logStart, all.length), (int) Math.max(0, all.length - logStart),
                        java.nio.charset.StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }

        public String logTail(int lines) {
            try {
                List<String> all = Files.readAllLines(log);
                return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
            } catch (IOException e) {
                return "(no log)";
            }
        }

        @Override
        public String toString() {
            return name + " (port " + port + ", log " + log + ")";
        }
    }
}
