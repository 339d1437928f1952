package io.attune.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.concurrent.TimeUnit;

/**
 * One service of the suite as a child JVM: started from its jar, watched through its health endpoint, stopped.
 * Public because the benchmark ({@code bench}) starts the services the same way.
 */
public final class ServiceProcess {
    /** The children run on the launcher's own JDK. */
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private final String name;
    private final Path jar;
    private final int port;
    private final Path log;
    private Process process;
    private ClassDataArchive archive;
    private Path jarToRun;
    private boolean usesArchive;
    private volatile Process training;

    public ServiceProcess(String name, Path jar, int port, Path logDir) {
        this.name = name;
        this.jar = jar;
        this.port = port;
        this.log = logDir.resolve(name + ".log");
    }

    /**
     * A port nobody listens on now and that this JVM has not handed out before, for a service about to start. The
     * kernel may offer a port again before the process it went to has bound it; two services given one port would
     * leave the first health check answered by the wrong one (a 404 where the api was expected), so a port is never
     * given twice.
     */
    public static int freePort() {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0)) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    public Process process() {
        return process;
    }

    /**
     * The service's shipped JVM options ({@code deploy/jvm/<service>.options} of the checkout the jar was built in, a
     * java {@code @argument} file), the class-data archive when there is one, then {@code ATTUNE_JAVA_OPTS} of
     * {@code environment}, which come last and so override the shipped ones.
     */
    private List<String> javaCommand(Map<String, String> environment, List<String> archiveOptions) {
        List<String> command = new ArrayList<>(List.of(JAVA));
        Path options = shippedOptions();
        if (Files.isRegularFile(options)) {
            command.add("@" + options);
        }
        command.addAll(archiveOptions);
        String extra = environment.getOrDefault("ATTUNE_JAVA_OPTS", "");
        if (!extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        return command;
    }

    /** {@code deploy/jvm/<name>.options} beside the module the jar was built in ({@code <root>/<module>/target/}). */
    public Path shippedOptions() {
        Path root = jar.toAbsolutePath().getParent().getParent().getParent();
        return root.resolve("deploy").resolve("jvm").resolve(name + ".options");
    }

    public void start(Map<String, String> environment) {
        Path toRun = jarToRun == null ? jar : jarToRun;
        usesArchive = archive != null && archive.isUsable(toRun);
        List<String> command = javaCommand(environment, usesArchive ? archive.useOptions() : List.of());
        command.addAll(List.of("-jar", toRun.toString()));
        try {
            process = builder(command, environment).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    private ProcessBuilder builder(List<String> command, Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // glibc gives each thread that allocates its own malloc arena (up to 8 per core), and each keeps its freed
        // memory: resident memory grows with the thread count. Two arenas are enough for a JVM.
        builder.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
        builder.environment().putAll(environment);
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        return builder;
    }

    /**
     * Gets the services ready for a quicker start: extracts each jar once, the layout a class-data archive needs (see
     * {@link ClassDataArchive}); the services then start from it, with their archive when {@link #train} wrote one.
     * Quick after the first time (a second or two per jar then). {@code ATTUNE_CLASS_DATA_SHARING=false} in
     * {@code environment} turns all of it off.
     */
    public static void prepare(List<ServiceProcess> services, Map<String, String> environment) {
        if ("false".equalsIgnoreCase(environment.getOrDefault("ATTUNE_CLASS_DATA_SHARING", "true"))) {
            return;
        }
        for (ServiceProcess service : services) {
            service.archive = ClassDataArchive.of(JAVA, service.jar);
            service.jarToRun = service.archive.prepare(service.log);
        }
    }

    /** True when one of the services has no class-data archive yet (after {@link #prepare}). */
    public static boolean needTraining(List<ServiceProcess> services) {
        return services.stream().anyMatch(ServiceProcess::canTrain);
    }

    private boolean canTrain() {
        return archive != null && archive.canTrain(jarToRun);
    }

    /**
     * Writes the missing class-data archives: a training start of each such service (in parallel), which refreshes
     * its context on the same database and broker and exits without listening or consuming anything, so it may run
     * beside the running suite. About one ordinary start, once per build. {@code say} hears what happens; stopping
     * the service ({@link #requestStop}) ends its training too, and an unfinished archive is thrown away.
     */
    public static void train(List<ServiceProcess> services, Map<String, String> environment, Consumer<String> say) {
        List<ServiceProcess> training = services.stream().filter(ServiceProcess::canTrain).toList();
        if (training.isEmpty()) {
            return;
        }
        Map<ServiceProcess, Path> scratch = new java.util.LinkedHashMap<>();
        for (ServiceProcess service : training) {
            Path file = service.archive.trainingScratch();
            List<String> command = service.javaCommand(environment, service.archive.trainingOptions(file));
            command.addAll(List.of("-jar", service.jarToRun.toString()));
            try {
                service.training = service.builder(command, environment).start();
                scratch.put(service, file);
            } catch (IOException e) {
                say.accept("could not train " + service.name + " (" + e.getMessage() + ")");
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ClassDataArchive.TRAINING_TIMEOUT_SECONDS);
        List<String> written = new ArrayList<>();
        scratch.forEach((service, file) -> {
            Process process = service.training;
            boolean finished;
            try {
                finished = process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                        && process.exitValue() == 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                finished = false;
            }
            if (process.isAlive()) {
                process.destroyForcibly();
            }
            service.archive.keep(file, finished);
            if (Files.isRegularFile(service.archive.archive())) {
                written.add(service.name);
            }
        });
        if (!written.isEmpty()) {
            say.accept(training.get(0).archive.describe() + " written for " + written
                    + ": they start quicker from the next run");
        }
        if (written.size() < scratch.size()) {
            say.accept("a training start did not finish (the services' logs say why); the next run tries again");
        }
    }

    /** After a failed start: the next start trains a fresh archive rather than trust this one again. */
    void discardArchiveIfUsed() {
        if (usesArchive) {
            archive.discard();
        }
    }

    /** True once {@code /actuator/health} answers UP (database and broker reachable). */
    public boolean isHealthy() {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Asks the service to stop (SIGTERM, a graceful Spring shutdown); does not wait. */
    public void requestStop() {
        Process trainingRun = training;
        if (trainingRun != null && trainingRun.isAlive()) {
            trainingRun.destroyForcibly(); // its archive would be unfinished anyway
        }
        if (isAlive()) {
            process.destroy();
        }
    }

    public void awaitStop(Duration grace) {
        if (process == null) {
            return;
        }
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until each of {@code services} answers healthy, telling {@code ready} about each as it does; throws when
     * one exits first (with the end of its log) or when {@code timeout} has passed.
     */
    public static void awaitHealthy(List<ServiceProcess> services, Duration timeout, Consumer<ServiceProcess> ready) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ServiceProcess> waiting = new ArrayList<>(services);
        while (!waiting.isEmpty()) {
            for (ServiceProcess service : List.copyOf(waiting)) {
                if (!service.isAlive()) {
                    service.discardArchiveIfUsed();
                    throw new IllegalStateException(service.name() + " exited during start-up; its log ("
                            + service.log() + ") ends with:\n    " + String.join("\n    ", service.logTail(25)));
                }
                if (service.isHealthy()) {
                    ready.accept(service);
                    waiting.remove(service);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not healthy after " + timeout.toSeconds() + " s: "
                        + waiting.stream().map(ServiceProcess::name).toList() + " (logs in "
                        + waiting.get(0).log().getParent() + ")");
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + waiting, e);
            }
        }
    }

    /** The last lines of the service's log, to show why it failed. */
    public List<String> logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException e) {
            return List.of("(no log at " + log + ")");
        }
    }
}
