package io.attune.worker.action;

import io.attune.core.background.DaemonThreads;
import io.attune.model.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Runs an action as a child process, as the {@link ActionUser} with the {@link ActionEnvironment} (an allow-list: no
 * secret of the worker's), a fresh directory of its own as HOME and TMPDIR: the parameters as JSON on stdin,
 * {@code ATTUNE_EXECUTION_ID} and {@code ATTUNE_ACTION_REF} in its environment, the pack's directory as working
 * directory. Its stdout must be one JSON object, the result; its stderr goes to the log line by line. Every way a run can end becomes an
 * {@link ActionOutcome} — nothing an action does can break the worker.
 */
public class ActionRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ActionRunner.class);
    /** Action stderr is logged under its own name, so that it can be routed or silenced apart from the worker's. */
    private static final Logger actionLog = LoggerFactory.getLogger("io.attune.worker.action.stderr");
    static final int STDERR_TAIL_BYTES = 4096;
    static final int STDOUT_HEAD_BYTES = 1024;
    /** How long a stopped action has between SIGTERM and SIGKILL. */
    private static final Duration TERMINATION_GRACE = Duration.ofSeconds(2);
    /** How long to wait for output after the action exited (a process it left behind may hold the pipe open). */
    private static final Duration DRAIN_GRACE = Duration.ofSeconds(2);
    private static final ObjectReader STRICT_JSON = Json.mapper().readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final long maxOutputBytes;
    private final ActionUser user;
    private final ActionEnvironment environment;
    private final ExecutorService io;
    private final Set<Run> running = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    /** Runs actions as {@link ActionUser#DEFAULT} (when the worker is root) with the base environment. */
    public ActionRunner(long maxOutputBytes) {
        this(maxOutputBytes, ActionUser.resolve(ActionUser.DEFAULT), new ActionEnvironment(List.of()));
    }

    public ActionRunner(long maxOutputBytes, ActionUser user, ActionEnvironment environment) {
        this.maxOutputBytes = maxOutputBytes;
        this.user = user;
        this.environment = environment;
        this.io = Executors.newCachedThreadPool(DaemonThreads.named("action-io-"));
    }

    private enum StopReason { TIMEOUT, OUTPUT_TOO_LARGE, WORKER_STOPPED }

    /** One running action and why it was stopped, if it was (the first reason wins). */
    private static final class Run {
        final Process process;
        final AtomicReference<StopReason> stopped = new AtomicReference<>();

        Run(Process process) {
            this.process = process;
        }

        void stop(StopReason reason) {
            if (stopped.compareAndSet(null, reason)) {
                ProcessTrees.terminate(process.toHandle(), TERMINATION_GRACE);
            }
        }
    }

    /**
     * Runs {@code action} to its end and says how it went; throws {@link ActionException} only when it could not
     * even be started.
     */
    public ActionOutcome run(Action action, long executionId, JsonNode parameters) {
        Path home = createHome(action, executionId);
        try {
            return run(action, executionId, parameters, home);
        } finally {
            deleteQuietly(home);
        }
    }

    private ActionOutcome run(Action action, long executionId, JsonNode parameters, Path home) {
        Map<String, String> env = environment.forRun(System.getenv(), action, executionId, user.name(), home);
        // Found here, not by setpriv: a missing interpreter is then the same clear error whoever runs the action.
        String interpreter = findProgram(action.interpreter(), env.get("PATH")).orElseThrow(() -> new ActionException(
                "cannot run action '" + action.ref() + "': " + action.interpreter() + " could not be started (is it "
                        + "installed and on the PATH?): not found on " + env.get("PATH")));
        ProcessBuilder builder = new ProcessBuilder(user.wrap(List.of(interpreter, action.script().toString())))
                .directory(action.packDir().toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new ActionException("cannot run action '" + action.ref() + "': " + action.interpreter()
                    + " could not be started (is it installed and on the PATH?): " + e.getMessage());
        }
        Run run = new Run(process);
        running.add(run);
        boolean interrupted = false;
        try {
            if (stopping) {
                run.stop(StopReason.WORKER_STOPPED);
            }
            log.info("Execution {}: running {} ({} {}), pid {}", executionId, action.ref(), action.interpreter(),
                    action.script().getFileName(), process.pid());
            byte[] input = Json.writeBytes(parameters == null ? Json.object() : parameters);
            io.execute(() -> feed(process, input));
            OutputCapture stdout = new OutputCapture(maxOutputBytes, () -> run.stop(StopReason.OUTPUT_TOO_LARGE));
            StderrTail stderr = new StderrTail(STDERR_TAIL_BYTES,
                    line -> actionLog.info("execution {} {}: {}", executionId, action.ref(), line));
            Future<?> out = io.submit(() -> stdout.readFrom(process.getInputStream()));
            Future<?> err = io.submit(() -> stderr.readFrom(process.getErrorStream()));
            try {
                if (!process.waitFor(action.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                    run.stop(StopReason.TIMEOUT);
                }
            } catch (InterruptedException e) {
                // the worker is going down: stop the action, and still say how it ended
                interrupted = true;
                run.stop(StopReason.WORKER_STOPPED);
            }
            awaitExit(process);
            long drainDeadline = System.nanoTime() + DRAIN_GRACE.toNanos();
            boolean drained = drain(out, drainDeadline) & drain(err, drainDeadline); // both, whatever the first says
            if (!drained) {
                log.warn("Execution {}: {} exited but left a process behind that holds its output open",
                        executionId, action.ref());
            }
            ActionOutcome outcome = outcome(action, process.exitValue(), run.stopped.get(), stdout, stderr);
            log.info("Execution {}: {} ended {} (exit code {})", executionId, action.ref(),
                    outcome.status().wire(), process.exitValue());
            return outcome;
        } finally {
            running.remove(run);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits for a process that has been told to stop (or has stopped), whatever interrupts come meanwhile. */
    private static void awaitExit(Process process) {
        boolean interrupted = false;
        while (true) {
            try {
                process.waitFor();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                ProcessTrees.terminate(process.toHandle(), Duration.ZERO);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private ActionOutcome outcome(Action action, int exitCode, StopReason stopped, OutputCapture stdout,
                                  StderrTail stderr) {
        if (stopped == StopReason.TIMEOUT) {
            ActionOutcome outcome = ActionOutcome.timedOut("action timed out after " + seconds(action.timeout())
                    + " s");
            if (action.timeout().toMillis() % 1000 == 0) {
                outcome.result().put("timeout_seconds", action.timeout().toSeconds());
            } else {
                outcome.result().put("timeout_seconds", action.timeout().toMillis() / 1000.0);
            }
            outcome.result().put("stderr_tail", stderr.tail());
            return outcome;
        }
        if (stopped == StopReason.OUTPUT_TOO_LARGE) {
            ActionOutcome outcome = ActionOutcome.failed("action output exceeds " + maxOutputBytes
                    + " bytes; the action was stopped");
            outcome.result().put("stdout_head", stdout.head(STDOUT_HEAD_BYTES));
            outcome.result().put("stderr_tail", stderr.tail());
            return outcome;
        }
        if (stopped == StopReason.WORKER_STOPPED) {
            ActionOutcome outcome = ActionOutcome.failed("the worker stopped before the action finished");
            outcome.result().put("stderr_tail", stderr.tail());
            return outcome;
        }
        if (exitCode != 0) {
            ActionOutcome outcome = ActionOutcome.failed("action exited with code " + exitCode);
            outcome.result().put("exit_code", exitCode);
            outcome.result().put("stderr_tail", stderr.tail());
            String head = stdout.head(STDOUT_HEAD_BYTES);
            if (!head.isEmpty()) {
                outcome.result().put("stdout_head", head);
            }
            return outcome;
        }
        JsonNode result = parse(stdout.bytes());
        if (result instanceof ObjectNode object) {
            return ActionOutcome.completed(object);
        }
        ActionOutcome outcome = ActionOutcome.failed("action output is not a JSON object");
        outcome.result().put("stdout_head", stdout.head(STDOUT_HEAD_BYTES));
        outcome.result().put("exit_code", 0);
        outcome.result().put("stderr_tail", stderr.tail());
        return outcome;
    }

    private static JsonNode parse(byte[] stdout) {
        try {
            return STRICT_JSON.readValue(stdout);
        } catch (JacksonException e) {
            return null;
        }
    }

    /**
     * A program name as the action's PATH finds it (a path is taken as it is). When actions run as another user, a
     * program that user cannot reach (under root's home, say) is skipped.
     */
    Optional<String> findProgram(String program, String path) {
        if (program.contains("/")) {
            return runnable(Path.of(program)) ? Optional.of(program) : Optional.empty();
        }
        for (String directory : (path == null ? "" : path).split(":")) {
            if (!directory.isBlank() && runnable(Path.of(directory, program))) {
                return Optional.of(Path.of(directory, program).toString());
            }
        }
        return Optional.empty();
    }

    private boolean runnable(Path program) {
        if (!Files.isExecutable(program) || Files.isDirectory(program)) {
            return false;
        }
        if (!user.switches()) {
            return true;
        }
        try {
            // the program and every directory above it must be searchable by the action's user
            for (Path file = program.toRealPath(); file != null; file = file.getParent()) {
                if (!actionUserMayExecute(file)) {
                    return false;
                }
            }
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** By the owner's bits if the action's user owns the file, else by everyone's (it has no groups). */
    private boolean actionUserMayExecute(Path file) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        return Integer.valueOf(user.uid()).equals(Files.getAttribute(file, "unix:uid"))
                ? permissions.contains(PosixFilePermission.OWNER_EXECUTE)
                : permissions.contains(PosixFilePermission.OTHERS_EXECUTE);
    }

    /** A directory of the run's own, writable by the action's user only: its HOME and TMPDIR. */
    private Path createHome(Action action, long executionId) {
        try {
            Path home = Files.createTempDirectory("attune-action-" + executionId + "-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            if (user.switches()) {
                Files.setAttribute(home, "unix:uid", user.uid());
                Files.setAttribute(home, "unix:gid", user.gid());
            }
            return home;
        } catch (IOException e) {
            throw new ActionException("cannot run action '" + action.ref() + "': no directory for it: " + e);
        }
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // something the action left running still writes there: not worth failing the run for
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log.debug("Could not delete {}: {}", directory, e.toString());
        }
    }

    private static void feed(Process process, byte[] input) {
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(input);
        } catch (IOException e) {
            // the action exited without reading its parameters: its business
        }
    }

    private static boolean drain(Future<?> reader, long deadline) {
        try {
            reader.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return reader.isDone();
        }
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? Long.toString(duration.toSeconds())
                : Double.toString(duration.toMillis() / 1000.0);
    }

    /** How many actions are running right now. */
    public int runningCount() {
        return running.size();
    }

    /**
     * Stops every running action (they end {@code failed}: "the worker stopped before the action finished") and
     * refuses new ones; for shutdown.
     */
    public void stopAll() {
        stopping = true;
        running.forEach(run -> io.execute(() -> run.stop(StopReason.WORKER_STOPPED)));
    }

    @Override
    public void close() {
        stopAll();
        io.shutdown();
    }
}
