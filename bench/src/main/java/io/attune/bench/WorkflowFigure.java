package io.attune.bench;

import io.attune.model.json.Json;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Figure 10: workflow steps per second through the engine (docs/workflows.md). {@code --workflow-runs} workflows, each
 * a chain of {@link #STEPS} action tasks, are started through the API at once; the benchmark plays a worker that
 * finishes every task at once (ExecutionRequested → ExecutionCompleted on the broker), so what is timed is the
 * services: the completion recorded, then the engine's step — the run finished, the decision, the next child
 * execution with its ExecutionRequested, in one transaction — and the relay. Beside it, pgbench commits exactly one
 * step's SQL ({@code workflow-step.pgbench.sql}) as the database's ceiling for the engine.
 */
final class WorkflowFigure {
    static final String REF = "bench.chain";
    static final String ACTION = "bench.step";
    static final int STEPS = 5;
    static final String STEPS_COUNTER = "attune_workflow_steps_total";
    private static final String SCRIPT = "workflow-step.pgbench.sql";

    private WorkflowFigure() {
    }

    /** A chain of {@link #STEPS} actions: step1 → step2 → … (no worker runs them; the benchmark answers for it). */
    static String definition() {
        StringBuilder yaml = new StringBuilder("description: The benchmark's chain of actions\ninput: [n]\ntasks:\n");
        for (int i = 1; i <= STEPS; i++) {
            yaml.append("  step").append(i).append(": {action: ").append(ACTION)
                    .append(", input: {n: \"${input.n}\"}");
            if (i < STEPS) {
                yaml.append(", next: [{do: step").append(i + 1).append("}]");
            }
            yaml.append("}\n");
        }
        return yaml.toString();
    }

    static void run(Run run, Optional<Path> pgbench) {
        int workflows = run.options().workflowRuns();
        // registered as a worker registers what it finds in its packs
        run.db().update("INSERT INTO attune.workflow_definition (ref, file, source, checksum, input) "
                + "VALUES (?, 'bench/workflows/chain.yaml', ?, 'bench', '{n}') ON CONFLICT (ref) DO NOTHING",
                REF, definition());
        long stepsBefore = run.executorCounter(STEPS_COUNTER);
        long target = stepsBefore + (long) workflows * STEPS;
        double seconds;
        try (AutoCloseable worker = run.broker().answerAsWorker(ACTION)) {
            long t0 = System.nanoTime();
            startAll(run, workflows);
            long startedAt = System.nanoTime();
            Run.progress("%s workflows started through the API in %s", Format.count(workflows),
                    Format.seconds((startedAt - t0) / 1e9));
            long done = Run.awaitCount("workflow steps", target, 100, 120,
                    () -> run.executorCounter(STEPS_COUNTER));
            seconds = (done - t0) / 1e9;
        } catch (Exception e) {
            throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getMessage(), e);
        }
        long steps = (long) workflows * STEPS;
        long completed = run.db().queryLong("SELECT count(*) FROM attune.execution e JOIN attune.workflow_run r "
                + "ON r.execution = e.id WHERE r.ref = ? AND e.status = 'completed'", REF);
        run.report().row("10a", String.format(Locale.ROOT, "Workflow steps through the engine (%s workflows of %d "
                                + "action tasks started at once; the benchmark answers for the worker)",
                        Format.count(workflows), STEPS),
                String.format(Locale.ROOT, "%s steps/s (%s steps in %s, %s of %s workflows completed)",
                        Format.rate(steps / seconds), Format.count(steps), Format.seconds(seconds),
                        Format.count(completed), Format.count(workflows)), "—", Report.Verdict.NONE);

        if (pgbench.isEmpty()) {
            run.report().row("10b", "Ceiling: pgbench committing one step's SQL", "not measured: pgbench not found",
                    "—", Report.Verdict.NONE);
            return;
        }
        int clients = Math.min(8, run.options().clients());
        int perClient = Math.max(100, workflows * STEPS / clients);
        seed(run.endpoints(), clients * perClient);
        Ceiling.Result ceiling = Ceiling.pgbench(run.endpoints(), pgbench.get(), run.logs(), SCRIPT,
                List.of("n=" + clients * perClient), clients, perClient);
        run.report().row("10b", String.format(Locale.ROOT, "Ceiling: pgbench committing one step's SQL "
                        + "(`%s`, %d clients)", SCRIPT, clients),
                String.format(Locale.ROOT, "%s steps/s (%.2f ms a step); the engine reaches %.0f %%",
                        Format.rate(ceiling.tps()), ceiling.latencyMillis(), 100 * (steps / seconds) / ceiling.tps()),
                "—", Report.Verdict.NONE);
    }

    /** Starts the workflows with a few concurrent clients, as people would, each with its own {@code n}. */
    private static void startAll(Run run, int workflows) {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> started = new ArrayList<>();
            for (int i = 0; i < workflows; i++) {
                int n = i;
                started.add(clients.submit(() -> {
                    HttpResponse<String> response = run.api().send(run.api().post("/api/v1/executions",
                            run.adminToken(), Json.write(Map.of("action_ref", REF, "parameters", Map.of("n", n)))));
                    if (response.statusCode() / 100 != 2) {
                        throw new IllegalStateException("starting a workflow answered " + response.statusCode()
                                + ": " + response.body());
                    }
                }));
            }
            for (Future<?> future : started) {
                future.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("starting the workflows failed: " + e.getMessage(), e);
        } finally {
            clients.shutdownNow();
        }
    }

    /**
     * The ceiling database with {@code n} running workflows whose first task run has just finished: workflow i,
     * its child i + n ({@code completed}), its task run i — what one step finds (the script's {@code :w}).
     */
    private static void seed(Endpoints endpoints, int n) {
        Ceiling.freshDatabase(endpoints);
        try (Database db = Database.connect(endpoints, Endpoints.CEILING_DATABASE)) {
            db.update("INSERT INTO attune.execution (id, action_ref, parameters, status) "
                    + "SELECT g, ?, jsonb_build_object('n', g), 'running' FROM generate_series(1, ?) g", REF, n);
            db.update("INSERT INTO attune.workflow_run (execution, ref, file, source, checksum) "
                    + "SELECT g, ?, 'bench/workflows/chain.yaml', ?, 'bench' FROM generate_series(1, ?) g",
                    REF, definition(), n);
            db.update("INSERT INTO attune.execution (id, action_ref, parameters, status, result, parent) "
                    + "SELECT g + ?, ?, '{\"n\": 1}', 'completed', '{\"ok\": true}', g FROM generate_series(1, ?) g",
                    n, ACTION, n);
            db.update("INSERT INTO attune.workflow_task_run (id, workflow, task, execution) "
                    + "SELECT g, g, 'step1', g + ? FROM generate_series(1, ?) g", n, n);
            db.execute("SELECT setval('attune.execution_id_seq', " + (2L * n) + ")");
            db.execute("SELECT setval('attune.workflow_task_run_id_seq', " + n + ")");
            db.execute("CREATE SEQUENCE public.bench_pick START WITH 1");
            db.execute("ANALYZE");
            db.execute("CHECKPOINT");
        }
    }
}
