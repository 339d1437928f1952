package io.attune.bench;

import io.attune.model.message.ConsumerQueues;
import io.attune.standalone.ServiceProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code ./bench.sh}: starts api, executor and notifier on the local Postgres and RabbitMQ (a database, an exchange
 * and queues of the benchmark's own), measures the figures of the benchmark issue, prints the table and writes it
 * with the machine, the date and the command to {@code docs/benchmarks.md} (or {@code --out}). The services are
 * stopped and the broker's exchange and queues deleted at the end, also on failure or Ctrl-C; the database is kept
 * for inspection.
 */
public final class Bench {
    private final BenchOptions options;
    /** attune.amqp.concurrency in executor-service's application.properties. */
    private static final int EXECUTOR_CONCURRENCY = 4;
    private final Path repository;
    private final Endpoints endpoints;
    private final Path logs;
    private final AtomicBoolean cleanedUp = new AtomicBoolean();
    private volatile BenchSuite suite;
    private volatile Broker broker;
    private volatile Database db;
    private CpuMeter cpu;

    Bench(BenchOptions options, Path repository, Endpoints endpoints) {
        this.options = options;
        this.repository = repository;
        this.endpoints = endpoints;
        this.logs = repository.resolve("target").resolve("bench-logs");
    }

    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(BenchOptions.USAGE);
            return;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        Path repository = Path.of(System.getProperty("attune.repository", "")).toAbsolutePath();
        Bench bench = new Bench(options, repository, Endpoints.from(System.getenv()));
        Runtime.getRuntime().addShutdownHook(new Thread(bench::cleanUp, "bench-clean-up"));
        try {
            bench.run();
        } catch (RuntimeException e) {
            System.err.println();
            System.err.println("The benchmark failed: " + e.getMessage());
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                System.err.println("  because: " + cause);
            }
            System.exit(1);
        }
        System.exit(0);
    }

    void run() {
        long started = System.nanoTime();
        String command = System.getProperty("bench.launcher", "./bench.sh")
                + options.arguments().stream().map(Bench::shellQuoted).map(a -> " " + a).collect(Collectors.joining());
        Report report = new Report(Instant.now(), command);
        System.out.println("Attune benchmark: " + command);
        System.out.println("  Postgres " + endpoints.dbHost() + ":" + endpoints.dbPort() + " (database "
                + Endpoints.DATABASE + ", dropped and created again), RabbitMQ " + endpoints.amqpUrlForDisplay()
                + " (exchange " + Endpoints.EXCHANGE + ", queues " + Endpoints.QUEUE_PREFIX + "*)");
        refuseIfAnotherRunIsGoing();
        cleanLogs();
        broker = Broker.connect(endpoints.amqpUrl());
        broker.deleteBenchNamespace(); // what a run that was killed may have left
        Database.recreate(endpoints, Endpoints.DATABASE);
        diagnostics(report);
        suite = new BenchSuite(repository, logs, endpoints, options.profile(), options.eventRetentionSeconds());
        System.out.println("Starting api-service, executor-service and notifier-service (logs in " + logs + ") …");
        suite.start();
        cpu = CpuMeter.of(suite);
        db = Database.connect(endpoints, Endpoints.DATABASE);
        ApiClient api = new ApiClient(suite.apiUrl());
        Run run = new Run(options, endpoints, logs, db, broker, api, suite, report,
                api.login("admin", suite.adminPassword()));
        Optional<Path> pgbench = Ceiling.findPgbench();
        Machine.describe(report, db, broker, pgbench.map(Ceiling::version).orElse("not found"));
        sizes(report);

        boolean openLoopOnly = options.openLoop().only();
        boolean creationOnly = options.creationOnly();
        boolean sweepOnly = options.escalationsOnly() || options.timeoutsOnly();
        boolean only = options.retentionOnly() || options.workflowsOnly() || sweepOnly || openLoopOnly
                || creationOnly;
        if (!only || creationOnly) {
            Double creation = figure(run, "1", "Creation", () -> CreationFigure.run(run));
            Ceiling.Result ceiling = figure(run, "2", "The database's ceiling (pgbench)", () -> ceiling(run, pgbench));
            creationRows(report, creation, ceiling);
        }
        if (!only) {
            figure(run, "3-4", "Respond and notification", () -> {
                RespondFigure.run(run);
                return null;
            });
            figure(run, "12-13", "Respond in an open loop, and saturation", () -> {
                OpenLoopFigure.run(run, pgbench);
                return null;
            });
            // Before figures 5 and 6: they seed inquiries and their audit rows straight into the tables, around the
            // chain.
            figure(run, "9", "The audit chain", () -> {
                AuditFigure.run(run);
                return null;
            });
            figure(run, "5", "Timeouts", () -> {
                TimeoutFigure.run(run);
                return null;
            });
            figure(run, "11", "Escalations", () -> {
                EscalationFigure.run(run);
                return null;
            });
            figure(run, "6", "Listing", () -> {
                ListingFigure.run(run);
                return null;
            });
        }
        if (openLoopOnly) {
            figure(run, "12-13", "Respond in an open loop, and saturation", () -> {
                OpenLoopFigure.run(run, pgbench);
                return null;
            });
        }
        if (options.timeoutsOnly()) {
            figure(run, "5", "Timeouts", () -> {
                TimeoutFigure.run(run);
                return null;
            });
        }
        if (options.escalationsOnly()) {
            figure(run, "11", "Escalations", () -> {
                EscalationFigure.run(run);
                return null;
            });
        }
        if (!options.retentionOnly() && !sweepOnly && !openLoopOnly && !creationOnly) {
            figure(run, "10", "Workflow steps", () -> {
                WorkflowFigure.run(run, pgbench);
                return null;
            });
        }
        if (!options.workflowsOnly() && !sweepOnly && !openLoopOnly && !creationOnly) {
            figure(run, "8", "Retention", () -> {
                RetentionFigure.run(run);
                return null;
            });
        }
        memoryRow(report);
        report.note("statistics: the benchmark runs ANALYZE after each bulk change it makes (as autovacuum would "
                + "before long), so the services' plans see the data as it is");

        cleanUp();
        List<String> problems = suite.problemsInLogs();
        report.note(problems.isEmpty() ? "service logs: no WARN or ERROR line"
                : problems.size() + " WARN/ERROR lines in the service logs (target/bench-logs), the first: "
                + problems.get(0).replace("|", "\\|"));
        report.note(String.format(Locale.ROOT, "the whole run took %s", Format.seconds((System.nanoTime() - started) / 1e9)));
        Path out = repository.resolve(options.out());
        report.write(out);
        System.out.println();
        System.out.println(report.summary());
        System.out.println("Written to " + out + (problems.isEmpty() ? "" : "; WARN/ERROR lines in the logs:"));
        problems.stream().limit(10).forEach(p -> System.out.println("  " + p));
    }

    /**
     * Two runs on one server would drop each other's database and queues: a run starts only when nobody is connected
     * to the benchmark's databases (a run killed with SIGKILL leaves no session behind: its services die with it or
     * are still running — stop them first).
     */
    private void refuseIfAnotherRunIsGoing() {
        try (Database admin = Database.connect(endpoints, "postgres")) {
            long sessions = admin.queryLong("SELECT count(*) FROM pg_stat_activity WHERE datname IN (?, ?) "
                    + "AND pid <> pg_backend_pid()", Endpoints.DATABASE, Endpoints.CEILING_DATABASE);
            if (sessions > 0) {
                throw new IllegalStateException(sessions + " session(s) are connected to " + Endpoints.DATABASE + " or "
                        + Endpoints.CEILING_DATABASE + ": another benchmark seems to be running on this server (or its "
                        + "services outlived it). Nothing was changed; stop it first.");
            }
        }
    }

    /** The optional diagnostics: they cost a little speed, so the report says they were on. */
    private void diagnostics(Report report) {
        if (options.profile()) {
            report.note("profiled: each service ran with Java Flight Recorder (`settings=profile`), recordings in "
                    + "target/bench-logs/<service>.jfr; the figures are a little lower than without");
        }
        if (options.autoExplainMillis() > 0) {
            try (Database admin = Database.connect(endpoints, "postgres")) {
                admin.execute("ALTER DATABASE " + Endpoints.DATABASE
                        + " SET session_preload_libraries = 'auto_explain'");
                admin.execute("ALTER DATABASE " + Endpoints.DATABASE + " SET auto_explain.log_min_duration = '"
                        + options.autoExplainMillis() + "ms'");
                admin.execute("ALTER DATABASE " + Endpoints.DATABASE + " SET auto_explain.log_analyze = on");
                admin.execute("ALTER DATABASE " + Endpoints.DATABASE + " SET auto_explain.log_buffers = on");
                admin.execute("ALTER DATABASE " + Endpoints.DATABASE + " SET auto_explain.log_timing = off");
            }
            report.note("auto_explain: the plan of every statement in " + Endpoints.DATABASE + " slower than "
                    + options.autoExplainMillis() + " ms went to the Postgres server log");
        }
    }

    private <T> T figure(Run run, String number, String name, java.util.function.Supplier<T> figure) {
        System.out.println();
        System.out.println(number + ". " + name);
        CpuMeter.Snapshot before = cpu.snapshot();
        try {
            suite.requireAlive();
            T result = figure.get();
            suite.requireAlive();
            return result;
        } catch (RuntimeException e) {
            System.err.println("  " + name + " failed: " + e.getMessage());
            run.report().failure("(" + number + ") " + name + ": " + e.getMessage().lines().findFirst().orElse(""));
            return null;
        } finally {
            CpuMeter.Snapshot after = cpu.snapshot();
            String usage = CpuMeter.describe(before, after);
            long others = otherSessions();
            if (others > 0) {
                run.report().note("(" + number + ") " + others + " session(s) of other databases were active on the "
                        + "Postgres server at the end of this figure: it may have been disturbed");
            }
            run.report().note("(" + number + ") CPU in cores, averaged over the figure's "
                    + Format.seconds((after.nanos() - before.nanos()) / 1e9) + " (set-up included): " + usage);
            Run.progress("(%s; CPU: %s)", Format.seconds((after.nanos() - before.nanos()) / 1e9), usage);
        }
    }

    /** Sessions of other databases busy on the server right now: the figures want a quiet machine. */
    private long otherSessions() {
        try {
            return db.queryLong("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                    + "AND datname NOT IN (?, ?, 'postgres') AND pid <> pg_backend_pid()", Endpoints.DATABASE,
                    Endpoints.CEILING_DATABASE);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private Ceiling.Result ceiling(Run run, Optional<Path> pgbench) {
        if (pgbench.isEmpty()) {
            throw new IllegalStateException("pgbench is not installed (PATH, /usr/lib/postgresql/*/bin)");
        }
        // as many clients as the running executor may have consumers on execution.completed: what the broker counts
        // now, and at least the executor's default concurrency (4), since an idle batching consumer scales down to one
        int clients = Math.max(EXECUTOR_CONCURRENCY,
                run.broker().consumerCount(Endpoints.QUEUE_PREFIX + ConsumerQueues.EXECUTOR_COMPLETED));
        int perClient = Math.max(500, options.creation() / clients);
        Run.progress("pgbench: %d clients × %,d transactions in %s …", clients, perClient,
                Endpoints.CEILING_DATABASE);
        Ceiling.Result result = Ceiling.run(endpoints, pgbench.get(), logs, clients, perClient);
        Run.progress("%s transactions/s (latency average %.2f ms)", Format.rate(result.tps()), result.latencyMillis());
        return result;
    }

    private static void creationRows(Report report, Double creation, Ceiling.Result ceiling) {
        double ratio = creation != null && ceiling != null ? creation / ceiling.tps() : Double.NaN;
        if (creation != null) {
            report.row("1", "Creation: ExecutionCompleted with `__inquiry` published as fast as the broker takes "
                            + "them → inquiries pending, end to end", Format.rate(creation) + " inquiries/s",
                    "≥ ½ of (2)", Double.isNaN(ratio) ? Report.Verdict.NONE : Report.Verdict.of(ratio >= 0.5));
        }
        if (ceiling != null) {
            report.row("2", "Ceiling: pgbench committing the completion listener's SQL for one inquiry per "
                            + "transaction, " + ceiling.clients() + " clients (the executor's consumers)",
                    Format.rate(ceiling.tps()) + " transactions/s", "—", Report.Verdict.NONE);
            report.note(String.format(Locale.ROOT, "(2) `pgbench -n -M prepared -f completion-listener.pgbench.sql "
                            + "-c %d -j %d -t %d` in a database of its own with the same schema; latency average %.2f ms",
                    ceiling.clients(), ceiling.clients(), ceiling.transactionsPerClient(), ceiling.latencyMillis()));
        }
        if (!Double.isNaN(ratio)) {
            report.row("1/2", "Creation as a share of the database's ceiling", String.format(Locale.ROOT, "%.2f", ratio),
                    "≥ 0.5", Report.Verdict.of(ratio >= 0.5));
        }
    }

    /** Resident memory the services' shipped JVM options (deploy/jvm) are meant to keep each of them under. */
    static final long MEMORY_TARGET_MB = 300;

    private void memoryRow(Report report) {
        StringBuilder result = new StringBuilder();
        boolean known = true;
        long highest = 0;
        for (ServiceProcess service : suite.services()) {
            Optional<Long> kb = suite.peakRssKb(service);
            known &= kb.isPresent();
            highest = Math.max(highest, kb.map(k -> Math.round(k / 1024.0)).orElse(0L));
            result.append(result.isEmpty() ? "" : ", ").append(service.name()).append(' ')
                    .append(kb.map(k -> Format.count(Math.round(k / 1024.0)) + " MB").orElse("unknown"));
        }
        System.out.println();
        System.out.println("7. Peak resident memory (VmHWM): " + result);
        report.row("7", "Peak resident memory (VmHWM) of each service during the run, shipped JVM options",
                result.toString(), "≤ " + MEMORY_TARGET_MB + " MB each",
                known ? Report.Verdict.of(highest <= MEMORY_TARGET_MB) : Report.Verdict.NONE);
    }

    private void sizes(Report report) {
        report.size("(1) creation", Format.count(options.creation()) + " ExecutionCompleted messages");
        report.size("(3) respond", Format.count(options.responses()) + " answers by " + options.clients()
                + " concurrent clients, after " + Format.count(options.warmUpResponses()) + " not counted");
        report.size("(5) timeouts", Format.count(options.timeouts()) + " inquiries expiring at the same moment");
        report.size("(6) listing", Format.count(options.stored()) + " stored inquiries, "
                + Format.count(options.requests()) + " requests per variant");
        report.size("(8) retention", "the services keep events " + options.eventRetentionSeconds() + " s for the "
                + "whole run; " + Format.count(options.pruneBacklog()) + " expired events at once; "
                + options.retentionRate() + " inquiries/s for " + options.retentionLoadSeconds() + " s");
        BenchOptions.OpenLoop openLoop = options.openLoop();
        report.size("(12-13) open loop", openLoop.rates().stream().map(r -> r + "/s").collect(Collectors.joining(", "))
                + " for " + openLoop.seconds() + " s each (" + Format.count(openLoop.answers()) + " answers), then "
                + "steps of " + openLoop.saturationStep() + "/s up to " + openLoop.saturationMax() + "/s; the respond "
                + "ceiling with " + openLoop.ceilingClients() + " pgbench clients");
        report.size("(10) workflows", Format.count(options.workflowRuns()) + " workflows of "
                + WorkflowFigure.STEPS + " action tasks started at once");
    }

    /** Stops the services and removes the broker's exchange and queues; safe to call twice (and from the hook). */
    void cleanUp() {
        if (!cleanedUp.compareAndSet(false, true)) {
            return;
        }
        if (suite != null) {
            System.out.println("Stopping the services …");
            suite.stop();
        }
        if (broker != null) {
            broker.deleteBenchNamespace();
            broker.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private void cleanLogs() {
        try {
            Files.createDirectories(logs);
            try (Stream<Path> files = Files.list(logs)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + logs, e);
        }
    }

    static String shellQuoted(String arg) {
        return arg.matches("[A-Za-z0-9_./=:,@%+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }
}
