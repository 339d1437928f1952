package io.attune.bench;

import io.attune.standalone.ServiceProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * api-service, executor-service and notifier-service as child JVMs of their built jars, on free ports, on the
 * benchmark's database and broker namespace, with the services' shipped JVM options and class-data archive (what
 * users get): the same {@link ServiceProcess} the standalone launcher uses.
 */
public final class BenchSuite {
    /** Generous: on a machine busy with other work the three JVMs took over three minutes to start. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(360);
    private static final HttpClient METRICS = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final String adminPassword;
    private final Path logs;

    private final boolean profile;
    private String metricsToken;

    public BenchSuite(Path repository, Path logs, Endpoints endpoints, boolean profile, int eventRetentionSeconds) {
        this.logs = logs;
        this.profile = profile;
        this.adminPassword = random(18);
        environment.put("ATTUNE_DB_URL", endpoints.jdbcUrl(Endpoints.DATABASE));
        environment.put("ATTUNE_DB_USER", endpoints.dbUser());
        environment.put("ATTUNE_DB_PASSWORD", endpoints.dbPassword());
        environment.put("ATTUNE_AMQP_URL", endpoints.amqpUrl());
        environment.put("ATTUNE_AMQP_EXCHANGE", Endpoints.EXCHANGE);
        environment.put("ATTUNE_AMQP_QUEUE_PREFIX", Endpoints.QUEUE_PREFIX);
        environment.put("ATTUNE_JWT_SECRET", random(48));
        environment.put("ATTUNE_ADMIN_PASSWORD", adminPassword);
        // the metrics the benchmark follows need an admin token; one token lasts the whole run
        environment.put("ATTUNE_JWT_EXPIRY", "24h");
        // short, so that figure 8 sees the event trail at its steady state within the run
        environment.put("ATTUNE_EVENT_RETENTION", eventRetentionSeconds + "s");
        // the services' shipped JVM options (deploy/jvm/<service>.options), whatever the caller's shell has for
        // ./run.sh, and after them what an experiment adds (BENCH_JAVA_OPTS, --help)
        environment.put("ATTUNE_JAVA_OPTS", System.getenv().getOrDefault("BENCH_JAVA_OPTS", ""));
        if (System.getenv("ATTUNE_CLASS_DATA_SHARING") != null) {
            environment.put("ATTUNE_CLASS_DATA_SHARING", System.getenv("ATTUNE_CLASS_DATA_SHARING"));
        }
        if (profile) {
            // JDK 17 crashes (SIGSEGV in check_shared_class_file_load_hook) when Flight Recorder meets a dynamic
            // class-data archive: a profiled run starts the services without one
            environment.put("ATTUNE_CLASS_DATA_SHARING", "false");
        }
        for (String module : List.of("api-service", "executor-service", "notifier-service")) {
            Path jar = repository.resolve(module).resolve("target").resolve(module + ".jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: build the suite first (./bench.sh does it)");
            }
            services.put(module, new ServiceProcess(module, jar, ServiceProcess.freePort(), logs));
        }
    }

    /** Starts the three services at once (Flyway serialises the migration) and waits until each is healthy. */
    public void start() {
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String notifier = "ws://127.0.0.1:" + service("notifier-service").port() + "/ws";
        Map<String, String> training = new LinkedHashMap<>(environment);
        training.put("ATTUNE_NOTIFIER_PUBLIC_URL", notifier);
        // before, not beside, the measured services: the training runs would compete with the figures
        ServiceProcess.prepare(List.copyOf(services.values()), training);
        if (ServiceProcess.needTraining(List.copyOf(services.values()))) {
            System.out.println("  training starts of the services, for their class-data archives (once per build) …");
            ServiceProcess.train(List.copyOf(services.values()), training, message -> System.out.println("  " + message));
        }
        for (ServiceProcess service : services.values()) {
            Map<String, String> env = new LinkedHashMap<>(environment);
            env.put("ATTUNE_NOTIFIER_PUBLIC_URL", notifier);
            if (profile) {
                env.put("ATTUNE_JAVA_OPTS", "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                        + logs.resolve(service.name() + ".jfr"));
            }
            service.start(env);
        }
        ServiceProcess.awaitHealthy(List.copyOf(services.values()), READY_TIMEOUT, service -> System.out.printf(
                "  ready: %s on port %d (pid %d)%n", service.name(), service.port(), service.process().pid()));
    }

    public String adminPassword() {
        return adminPassword;
    }

    /** The admin's token that reads the services' metrics (which need one), logged in on first use. */
    private synchronized String adminToken() {
        if (metricsToken == null) {
            metricsToken = new ApiClient(apiUrl()).login("admin", adminPassword).accessToken();
        }
        return metricsToken;
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + service("api-service").port();
    }

    public String notifierUrl() {
        return "ws://127.0.0.1:" + service("notifier-service").port() + "/ws";
    }

    public List<ServiceProcess> services() {
        return List.copyOf(services.values());
    }

    /** Throws when a service died during the run: its figures would mean nothing. */
    public void requireAlive() {
        for (ServiceProcess service : services.values()) {
            if (!service.isAlive()) {
                throw new IllegalStateException(service.name() + " died during the run; its log ends with:\n    "
                        + String.join("\n    ", service.logTail(30)));
            }
        }
    }

    /** Peak resident memory of a running service ({@code VmHWM} of {@code /proc/<pid>/status}), in kB. */
    public Optional<Long> peakRssKb(ServiceProcess service) {
        if (!service.isAlive()) {
            return Optional.empty();
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(service.process().pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Optional.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process is gone
        }
        return Optional.empty();
    }

    /**
     * A counter of a service's {@code /actuator/prometheus} (summed over its labels): the benchmark follows the
     * services' progress there rather than by polling the database, which would compete with what it measures;
     * {@code includedNames} keeps each scrape to the one counter (named with and without {@code _total}: which one
     * the filter sees depends on the Prometheus client), so that the polling costs the service little.
     */
    public double metric(String service, String name) {
        HttpResponse<String> response;
        try {
            response = METRICS.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + service(service).port() + "/actuator/prometheus?includedNames=" + name.replaceAll("_total$", "") + "," + name))
                            .header("Authorization", "Bearer " + adminToken())
                            .timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the metrics of " + service + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return sum(response.body(), name);
    }

    /** The sum of every sample of {@code name} in a Prometheus text exposition. */
    static double sum(String exposition, String name) {
        double sum = 0;
        for (String line : exposition.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** SIGTERM to every service, then waits for each (killing what does not stop within 20 s). */
    public void stop() {
        services.values().forEach(ServiceProcess::requestStop);
        services.values().forEach(s -> s.awaitStop(Duration.ofSeconds(20)));
    }

    /** Lines of the services' logs at WARN or ERROR level (Spring Boot's console format), for a quick check. */
    public List<String> problemsInLogs() {
        List<String> problems = new ArrayList<>();
        for (ServiceProcess service : services.values()) {
            try {
                for (String line : Files.readAllLines(service.log())) {
                    if (line.contains(" ERROR ") || line.contains(" WARN ")) {
                        problems.add(service.name() + ": " + line);
                    }
                }
            } catch (IOException e) {
                problems.add(service.name() + ": no log at " + service.log());
            }
        }
        return problems;
    }

    private ServiceProcess service(String name) {
        return services.get(name);
    }

    private static String random(int bytes) {
        byte[] secret = new byte[bytes];
        new SecureRandom().nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

}
