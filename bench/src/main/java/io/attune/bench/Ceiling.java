package io.attune.bench;

import org.flywaydb.core.Flyway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database's own ceiling for figure 1: pgbench committing, per transaction, exactly the SQL the completion
 * listener commits for one inquiry ({@value #SCRIPT}), with as many clients as the executor has consumers on
 * {@code execution.completed}. It runs in a database of its own ({@link Endpoints#CEILING_DATABASE}, migrated by the
 * services' Flyway migrations) so that no service relays its events or otherwise competes with it.
 */
public final class Ceiling {
    static final String SCRIPT = "completion-listener.pgbench.sql";
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
    private static final Pattern FAILED = Pattern.compile("number of failed transactions: (\\d+)");
    private static final Pattern LATENCY = Pattern.compile("latency average = ([0-9.]+) ms");

    /** What pgbench measured. */
    public record Result(double tps, double latencyMillis, int clients, int transactionsPerClient, String output) {
    }

    private Ceiling() {
    }

    /** pgbench on the PATH, else the newest under /usr/lib/postgresql/&lt;version&gt;/bin. */
    public static Optional<Path> findPgbench() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "pgbench");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (var versions = Files.list(root)) {
                return versions.map(v -> v.resolve("bin").resolve("pgbench")).filter(Files::isExecutable)
                        .max(Comparator.comparing(p -> versionOf(p.getParent().getParent().getFileName().toString())));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static int versionOf(String name) {
        try {
            return Integer.parseInt(name.replaceAll("\\..*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The script as pgbench reads it. */
    public static String script() {
        return script(SCRIPT);
    }

    static String script(String name) {
        try (InputStream in = Ceiling.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the benchmark's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Creates and migrates the ceiling database, gives it {@code clients × transactionsPerClient} running
     * executions and the pending inquiries figure 1 warms up with, and runs pgbench on the executions; its output goes
     * to {@code logs/pgbench.log}.
     */
    public static Result run(Endpoints endpoints, Path pgbench, Path logs, int clients, int transactionsPerClient) {
        freshDatabase(endpoints);
        try (Database db = Database.connect(endpoints, Endpoints.CEILING_DATABASE)) {
            Seed.Range executions = Seed.runningExecutions(db, clients * transactionsPerClient);
            db.execute("CREATE SEQUENCE public.bench_pick START WITH " + executions.first());
            // inquiries already there and analyzed before pgbench's connections plan their foreign-key checks, as
            // figure 1's warm-up leaves them for the executor: planned on an empty table, each check would scan it
            Seed.expiringInquiries(db, CreationFigure.warmUp(clients * transactionsPerClient), aDayAheadMicros());
            db.execute("ANALYZE");
            db.execute("CHECKPOINT"); // as figure 1 does before it publishes
        }
        return pgbench(endpoints, pgbench, logs, SCRIPT, List.of(), clients, transactionsPerClient);
    }

    /** The respond transaction as the service commits it, the ceiling of figures 12 and 13. */
    static final String RESPOND_SCRIPT = "respond-transaction.pgbench.sql";

    /**
     * The ceiling of an answer: creates and migrates the ceiling database, gives it an approver and
     * {@code clients × transactionsPerClient} pending inquiries (each with its paused execution, timing out in a day),
     * and runs pgbench committing {@value #RESPOND_SCRIPT} once per inquiry; its output goes to
     * {@code logs/pgbench-respond-transaction.log}.
     */
    public static Result respond(Endpoints endpoints, Path pgbench, Path logs, int clients, int transactionsPerClient) {
        freshDatabase(endpoints);
        long actor;
        try (Database db = Database.connect(endpoints, Endpoints.CEILING_DATABASE)) {
            actor = db.queryLong("INSERT INTO attune.identity (login, password_hash, roles) "
                    + "VALUES ('bench-approver', 'x', '{admin}') RETURNING id");
            Seed.Range inquiries = Seed.expiringInquiries(db, clients * transactionsPerClient, aDayAheadMicros());
            db.execute("CREATE SEQUENCE public.bench_pick START WITH " + inquiries.first());
            db.execute("ANALYZE");
            db.execute("CHECKPOINT");
        }
        return pgbench(endpoints, pgbench, logs, RESPOND_SCRIPT, List.of("actor_id=" + actor), clients,
                transactionsPerClient);
    }

    /** A timeout a day from now (Unix epoch, microseconds): pending inquiries that stay pending while pgbench runs. */
    private static long aDayAheadMicros() {
        return java.time.temporal.ChronoUnit.MICROS.between(java.time.Instant.EPOCH,
                java.time.Instant.now().plus(java.time.Duration.ofDays(1)));
    }

    /** The ceiling database dropped, created again and migrated: the services' schema, no rows. */
    static void freshDatabase(Endpoints endpoints) {
        Database.recreate(endpoints, Endpoints.CEILING_DATABASE);
        Flyway.configure()
                .dataSource(endpoints.jdbcUrl(Endpoints.CEILING_DATABASE), endpoints.dbUser(), endpoints.dbPassword())
                .schemas("attune").defaultSchema("attune").locations("classpath:db/migration")
                .load().migrate();
    }

    /**
     * Runs pgbench with the script {@code scriptName} (a resource of the benchmark's jar) on the ceiling database as
     * it is, {@code variables} given as {@code -D name=value}; its output goes to {@code logs/pgbench-<script>.log}.
     */
    static Result pgbench(Endpoints endpoints, Path pgbench, Path logs, String scriptName, List<String> variables,
                          int clients, int transactionsPerClient) {
        try {
            Files.createDirectories(logs);
            Path script = logs.resolve(scriptName);
            Files.writeString(script, script(scriptName));
            Path log = logs.resolve(SCRIPT.equals(scriptName) ? "pgbench.log"
                    : "pgbench-" + scriptName.replace(".pgbench.sql", "") + ".log");
            List<String> command = new ArrayList<>(List.of(pgbench.toString(), "-n", "-M", "prepared",
                    "-f", script.toString(), "-c", Integer.toString(clients), "-j", Integer.toString(clients),
                    "-t", Integer.toString(transactionsPerClient), "-h", endpoints.dbHost(),
                    "-p", Integer.toString(endpoints.dbPort()), "-U", endpoints.dbUser()));
            variables.forEach(variable -> command.addAll(List.of("-D", variable)));
            command.add(Endpoints.CEILING_DATABASE);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("PGPASSWORD", endpoints.dbPassword());
            Process process = builder.start();
            if (!process.waitFor(30, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("pgbench did not finish within 30 minutes");
            }
            String output = Files.readString(log);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("pgbench failed (exit " + process.exitValue() + "):\n" + output);
            }
            return parse(output, clients, transactionsPerClient);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + pgbench, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The figures of pgbench's summary; throws when it had failed transactions or printed no tps. */
    static Result parse(String output, int clients, int transactionsPerClient) {
        Matcher failed = FAILED.matcher(output);
        if (failed.find() && Integer.parseInt(failed.group(1)) != 0) {
            throw new IllegalStateException("pgbench had failed transactions:\n" + output);
        }
        Matcher tps = TPS.matcher(output);
        if (!tps.find()) {
            throw new IllegalStateException("no tps in pgbench's output:\n" + output);
        }
        Matcher latency = LATENCY.matcher(output);
        return new Result(Double.parseDouble(tps.group(1)), latency.find() ? Double.parseDouble(latency.group(1)) : 0,
                clients, transactionsPerClient, output);
    }

    /** {@code pgbench (PostgreSQL) 15.20}. */
    public static String version(Path pgbench) {
        try {
            Process process = new ProcessBuilder(pgbench.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            process.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    static List<String> statements() {
        return Arrays.stream(script().split("\n")).filter(l -> !l.startsWith("--") && !l.isBlank()).toList();
    }
}
