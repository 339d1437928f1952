package io.attune.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code ./bench.sh} was asked to do: the sizes of each figure and where the report goes.
 *
 * @param creation  ExecutionCompleted messages published for figure 1 (and executions pre-created for pgbench)
 * @param responses answers measured in figures 3 and 4
 * @param clients   concurrent HTTP clients answering
 * @param timeouts  inquiries expiring at the same moment in figure 5
 * @param stored    inquiries stored when the listing of figure 6 is measured
 * @param requests  sequential requests measured per listing variant
 * @param profile   record each service with Java Flight Recorder (target/bench-logs/&lt;service&gt;.jfr)
 * @param auditEntries entries appended to the audit chain before it is verified and exported in figure 9
 * @param autoExplainMillis log the plan of every statement of the services slower than this (auto_explain, in the
 *                  Postgres server log); 0 = off
 * @param eventRetentionSeconds the services' ATTUNE_EVENT_RETENTION for the whole run (figure 8)
 * @param retentionLoadSeconds  how long figure 8 creates inquiries at a constant rate
 * @param retentionRate         inquiries per second figure 8 creates
 * @param pruneBacklog          expired events figure 8 inserts at once to measure the prune rate
 * @param retentionOnly         run figure 8 alone (and the memory row), for a look at retention without the rest
 * @param openLoop      figures 12 and 13: answers on a fixed schedule, and the saturation rate
 */
public record BenchOptions(boolean quick, Path out, int creation, int responses, int clients, int timeouts,
                           int stored, int requests, int auditEntries, boolean profile, int autoExplainMillis,
                           int eventRetentionSeconds, int retentionLoadSeconds, int retentionRate, int pruneBacklog,
                           boolean retentionOnly, int workflowRuns, boolean workflowsOnly, OpenLoop openLoop,
                           List<String> arguments) {

    /**
     * How figures 12 (open loop) and 13 (saturation) and their ceiling (pgbench's respond transaction) run.
     *
     * @param rates          answers per second of figure 12, each for {@code seconds}
     * @param seconds        how long each rate (and each saturation step) is held
     * @param saturationStep by how many answers per second figure 13 steps the rate up
     * @param saturationMax  the highest rate figure 13 tries
     * @param ceilingClients pgbench clients committing the respond transaction
     * @param only           figures 12 and 13 alone, with the inquiries they need and the respond ceiling
     */
    public record OpenLoop(List<Integer> rates, int seconds, int saturationStep, int saturationMax, int ceilingClients,
                           boolean only) {
        /** Answers figure 12 sends, every rate included. */
        public int answers() {
            return rates.stream().mapToInt(r -> r * seconds).sum();
        }
    }

    public static final Path DEFAULT_OUT = Path.of("docs", "benchmarks.md");
    public static final Path QUICK_OUT = Path.of("target", "benchmarks-quick.md");

    static final String USAGE = """
            Usage: ./bench.sh [--quick] [--out FILE] [--creation N] [--responses N] [--clients N] [--timeouts N]
                              [--stored N] [--requests N] [--audit-entries N]
                              [--creation-only] [--workflows] [--workflow-runs N] [--escalations] [--timeouts-only]
                              [--open-loop] [--rates R,R,..] [--rate-seconds S] [--saturation-step N]
                              [--saturation-max N] [--respond-ceiling-clients N]

              --quick          small sizes, a smoke run of a minute or two; writes target/benchmarks-quick.md
              --out FILE       where the Markdown report goes (default docs/benchmarks.md)
              --creation N     ExecutionCompleted messages published for figure 1 (default 20000)
              --responses N    answers sent by the HTTP clients for figures 3 and 4 (default 5000)
              --clients N      concurrent HTTP clients answering (default 50)
              --timeouts N     inquiries expiring at the same moment for figure 5 (default 100000)
              --stored N       inquiries stored for the listing of figure 6 (default 1000000)
              --requests N     requests measured per listing variant (default 200)
              --retention S    the services' event retention in seconds for the run, figure 8 (default 60)
              --retention-load S  seconds of constant load in figure 8 (default 600)
              --retention-rate N  inquiries per second in figure 8 (default 150)
              --prune-backlog N   expired events inserted at once in figure 8 (default 500000)
              --retention-only figure 8 alone (with --out, so that docs/benchmarks.md keeps the full run)
              --audit-entries N  entries appended to the audit chain for figure 9 (default 1000000)
              --workflows      figure 10 alone: workflow steps through the engine beside pgbench (with --out,
                               so that docs/benchmarks.md keeps the full run, which includes it)
              --workflow-runs N  workflows of 5 steps started at once for figure 10 (default 2000)
              --creation-only  figures 1 and 2 alone: creation beside its ceiling (pgbench), with --out, so
                               that docs/benchmarks.md keeps the full run, which includes them
              --escalations    figure 11 alone: --timeouts inquiries escalating at the same moment (with --out,
                               so that docs/benchmarks.md keeps the full run, which includes it)
              --timeouts-only  figure 5 alone: --timeouts inquiries expiring at the same moment (with --out,
                               so that docs/benchmarks.md keeps the full run, which includes it)
              --open-loop      figures 12 and 13 alone, with the respond ceiling (pgbench) beside them, creating
                               the inquiries they answer through the executor (with --out, so that
                               docs/benchmarks.md keeps the full run, which includes them)
              --rates R,R,..   answers per second of figure 12, the open loop: sent on a fixed schedule whatever
                               the replies do, latency measured from each answer's scheduled time (default
                               25,50,100,200)
              --rate-seconds S how long each rate of figure 12 and each step of figure 13 lasts (default 15;
                               --quick 5)
              --saturation-step N  figure 13 steps the rate up by N answers/s from the highest rate of figure 12
                               that kept respond p99 within 100 ms, until one does not (default 25)
              --saturation-max N   the highest rate figure 13 tries (default 1000)
              --respond-ceiling-clients N  pgbench clients committing the respond transaction, the ceiling
                               of figures 12 and 13 (default 8)
              --profile        record each service with Java Flight Recorder: target/bench-logs/<service>.jfr
              --auto-explain MS  log the plan of every service statement slower than MS milliseconds
                               (auto_explain, to the Postgres server log; attune_bench only)

            Needs Postgres on 127.0.0.1:5432 (user postgres) and RabbitMQ on 127.0.0.1:5672 (guest/guest), or
            ATTUNE_DB_URL / ATTUNE_DB_USER / ATTUNE_DB_PASSWORD / ATTUNE_AMQP_URL pointing elsewhere (the database
            used is always attune_bench on that server: it is dropped and created again).
            The services start with their shipped JVM options; BENCH_JAVA_OPTS adds options after them (e.g.
            -XX:NativeMemoryTracking=summary), and ATTUNE_CLASS_DATA_SHARING=false starts them without their
            class-data archives.
            """;

    public static BenchOptions parse(String... args) {
        boolean quick = List.of(args).contains("--quick");
        Path out = null;
        int creation = quick ? 2_000 : 20_000;
        int responses = quick ? 500 : 5_000;
        int clients = 50;
        int timeouts = quick ? 5_000 : 100_000;
        int stored = quick ? 50_000 : 1_000_000;
        int requests = quick ? 50 : 200;
        int auditEntries = quick ? 50_000 : 1_000_000;
        int retention = quick ? 10 : 60;
        int retentionLoad = quick ? 45 : 600;
        int retentionRate = quick ? 100 : 150;
        int pruneBacklog = quick ? 50_000 : 500_000;
        boolean retentionOnly = false;
        int workflowRuns = quick ? 200 : 2_000;
        boolean workflowsOnly = false;
        boolean profile = false;
        int autoExplain = 0;
        List<Integer> rates = List.of(25, 50, 100, 200);
        int rateSeconds = quick ? 5 : 15;
        int saturationStep = 25;
        int saturationMax = 1_000;
        int ceilingClients = 8;
        boolean openLoopOnly = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--quick" -> {
                }
                case "--out" -> out = Path.of(value(args, ++i, arg));
                case "--creation" -> creation = positive(args, ++i, arg);
                case "--responses" -> responses = positive(args, ++i, arg);
                case "--clients" -> clients = positive(args, ++i, arg);
                case "--timeouts" -> timeouts = positive(args, ++i, arg);
                case "--stored" -> stored = positive(args, ++i, arg);
                case "--requests" -> requests = positive(args, ++i, arg);
                case "--audit-entries" -> auditEntries = positive(args, ++i, arg);
                case "--profile" -> profile = true;
                case "--auto-explain" -> autoExplain = positive(args, ++i, arg);
                case "--retention" -> retention = positive(args, ++i, arg);
                case "--retention-load" -> retentionLoad = positive(args, ++i, arg);
                case "--retention-rate" -> retentionRate = positive(args, ++i, arg);
                case "--prune-backlog" -> pruneBacklog = positive(args, ++i, arg);
                case "--retention-only" -> retentionOnly = true;
                case "--workflows" -> workflowsOnly = true;
                case "--creation-only" -> {
                }
                case "--escalations" -> {
                    // figure 11 alone: read by escalationsOnly()
                }
                case "--timeouts-only" -> {
                    // figure 5 alone: read by timeoutsOnly()
                }
                case "--workflow-runs" -> workflowRuns = positive(args, ++i, arg);
                case "--open-loop" -> openLoopOnly = true;
                case "--rates" -> rates = rates(args, ++i, arg);
                case "--rate-seconds" -> rateSeconds = positive(args, ++i, arg);
                case "--saturation-step" -> saturationStep = positive(args, ++i, arg);
                case "--saturation-max" -> saturationMax = positive(args, ++i, arg);
                case "--respond-ceiling-clients" -> ceilingClients = positive(args, ++i, arg);
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        if (out == null) {
            out = quick ? QUICK_OUT : DEFAULT_OUT;
        }
        // the answers (and a warm-up before them) are given to inquiries figure 1 created
        int needed = responses + warmUp(responses);
        if (creation < needed) {
            throw new IllegalArgumentException("--creation " + creation + " is too small for --responses " + responses
                    + ": the answers go to inquiries figure 1 creates, and " + needed + " are needed (with the warm-up)");
        }
        return new BenchOptions(quick, out, creation, responses, clients, timeouts, stored, requests, auditEntries,
                profile, autoExplain, retention, retentionLoad, retentionRate, pruneBacklog, retentionOnly,
                workflowRuns, workflowsOnly, new OpenLoop(rates, rateSeconds, saturationStep, saturationMax,
                        ceilingClients, openLoopOnly), List.of(args));
    }

    /** Figures 1 and 2 alone (--creation-only). */
    public boolean creationOnly() {
        return arguments.contains("--creation-only");
    }

    /** Figure 11 alone (--escalations). */
    public boolean escalationsOnly() {
        return arguments.contains("--escalations");
    }

    /** Figure 5 alone (--timeouts-only). */
    public boolean timeoutsOnly() {
        return arguments.contains("--timeouts-only");
    }

    /** Answers sent before the measured ones, not counted: the services' JIT and connection pools warm up. */
    public static int warmUp(int responses) {
        return Math.min(500, Math.max(50, responses / 10));
    }

    public int warmUpResponses() {
        return warmUp(responses);
    }

    /** {@code 25,50,100}: positive, rising. */
    private static List<Integer> rates(String[] args, int i, String option) {
        String value = value(args, i, option);
        List<Integer> rates = new java.util.ArrayList<>();
        for (String part : value.split(",")) {
            try {
                int rate = Integer.parseInt(part.strip());
                if (rate < 1 || (!rates.isEmpty() && rate <= rates.get(rates.size() - 1))) {
                    throw new NumberFormatException();
                }
                rates.add(rate);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs rising positive rates like 25,50,100, not '"
                        + value + "'");
            }
        }
        return List.copyOf(rates);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int positive(String[] args, int i, String option) {
        String value = value(args, i, option).replace("_", "").replace(",", "");
        try {
            int n = Integer.parseInt(value);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a positive integer, not '" + args[i] + "'");
        }
    }
}
