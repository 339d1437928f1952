package io.attune.bench;

import io.attune.model.ws.SubscriptionFilters;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Figures 12 and 13, the open loop: answers sent on a fixed schedule — the i-th at {@code start + i / rate} — whatever
 * the replies do, each on its own request ({@code sendAsync}), so a slow reply delays no later answer. Every latency
 * is measured from the answer's <em>scheduled</em> time, not from when it left: an answer that could only leave late
 * (the benchmark's own thread was starved) counts its wait, so there is no coordinated omission.
 *
 * <p>Figure 12 holds each rate of {@code --rates} for {@code --rate-seconds}: respond p50/p99 (the HTTP reply),
 * answer → execution resumed (the execution's {@code updated}, set by the resuming transaction, minus the scheduled
 * wall-clock time), answer → the {@code responded} notification at a connected WebSocket client. Figure 13 steps the
 * rate up from the highest rate of figure 12 that kept respond p99 within 100 ms until one does not: the highest
 * sustained rate. Beside both, the ceiling: pgbench committing the service's respond transaction.
 */
final class OpenLoopFigure {
    /** The targets, at {@link #TARGET_RATE} answers/s. */
    static final int TARGET_RATE = 100;
    static final double RESPOND_P99_MILLIS = 20;
    static final double RESUMED_P99_MILLIS = 50;
    static final double NOTIFIED_P99_MILLIS = 50;
    /** A rate is sustained while respond p99 stays within this and every answer gets 200. */
    static final double SUSTAINED_P99_MILLIS = 100;
    /**
     * 4,500 answers first, 50/s then 100/s (a cold suite would queue at 100/s): with 250, the first rate measured
     * services still compiling their hot paths (api-service spent 10 ms of CPU per answer at 25/s, then 5.5 ms at 26/s
     * a minute later; docs/benchmarks.md). The per-answer CPU lines show what the JIT compiler still takes.
     */
    private static final int[] WARM_UP_RATES = {50, 100};
    private static final int WARM_UP_SECONDS = 30;

    private OpenLoopFigure() {
    }

    /** What one rate measured. */
    record Step(int rate, int answers, double seconds, Latencies respond, Latencies resumed, Latencies notified,
                int refused, int missing, long maxSendLagNanos, String firstError, String cpuPerAnswer) {
        boolean sustained() {
            return refused == 0 && respond.count() > 0 && respond.p99Millis() <= SUSTAINED_P99_MILLIS;
        }

        String describe() {
            return String.format(Locale.ROOT, "respond median %s, p99 %s; → resumed p99 %s; → notified p99 %s%s%s",
                    Format.millis(respond.median()), Format.millis(respond.p99()), Format.millis(resumed.p99()),
                    Format.millis(notified.p99()), refused == 0 ? "" : "; non-200: " + refused,
                    missing == 0 ? "" : "; notifications missing: " + missing);
        }
    }

    static void run(Run run, Optional<Path> pgbench) {
        BenchOptions.OpenLoop options = run.options().openLoop();
        Pool pool = new Pool(run);
        List<Step> rates = new ArrayList<>();
        List<Step> saturation = new ArrayList<>();
        SubscriptionFilters responded = new SubscriptionFilters("inquiry", null, "responded", null, null);
        try (NotificationListener listener = NotificationListener.subscribe(run.api().http(), run.suite().notifierUrl(),
                run.adminToken(), responded)) {
            for (int rate : WARM_UP_RATES) {
                Run.progress("warm-up: %d answers/s for %d s (not counted) …", rate, WARM_UP_SECONDS);
                step(run, pool, listener, rate, WARM_UP_SECONDS);
            }
            CpuMeter.of(run.suite()).awaitJitQuiet();
            for (int rate : options.rates()) {
                rates.add(step(run, pool, listener, rate, options.seconds()));
            }
            int sustained = rates.stream().filter(Step::sustained).mapToInt(Step::rate).max().orElse(0);
            int failed = rates.stream().filter(s -> !s.sustained()).mapToInt(Step::rate).min()
                    .orElse(Integer.MAX_VALUE);
            for (int rate = sustained + options.saturationStep(); sustained > 0 && rate < failed
                    && rate <= options.saturationMax(); rate += options.saturationStep()) {
                Step step = step(run, pool, listener, rate, options.seconds());
                saturation.add(step);
                if (!step.sustained()) {
                    break;
                }
            }
        }
        Ceiling.Result ceiling = null;
        if (pgbench.isPresent()) {
            int perClient = Math.max(250, 2 * options.answers() / options.ceilingClients());
            Run.progress("pgbench, the respond transaction: %d clients × %,d transactions …", options.ceilingClients(),
                    perClient);
            try {
                ceiling = Ceiling.respond(run.endpoints(), pgbench.get(), run.logs(), options.ceilingClients(),
                        perClient);
                Run.progress("%s transactions/s (latency average %.2f ms)", Format.rate(ceiling.tps()),
                        ceiling.latencyMillis());
            } catch (RuntimeException e) {
                // the open loop's figures stand on their own
                run.report().failure("(12c) the respond ceiling: " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
        report(run, rates, saturation, ceiling);
    }

    /**
     * Sends {@code rate × seconds} answers to distinct pending inquiries on the schedule, then waits for every reply,
     * every resumed execution and every notification before it measures.
     */
    static Step step(Run run, Pool pool, NotificationListener listener, int rate, int seconds) {
        int n = rate * seconds;
        List<long[]> inquiries = pool.take(n);
        JsonNode answer = Workload.answer();
        List<HttpRequest> requests = inquiries.stream()
                .map(p -> run.api().respondRequest(run.adminToken(), p[0], answer)).toList();
        long[] scheduled = new long[n];
        long[] replied = new long[n];
        int[] status = new int[n];
        String[] errors = new String[n];
        CountDownLatch replies = new CountDownLatch(n);
        long resumedBefore = run.executorCounter(Run.RESUMED);
        CpuMeter cpu = CpuMeter.of(run.suite());
        CpuMeter.Snapshot cpuBefore = cpu.snapshot();
        Run.progress("%d answers/s for %d s (%,d answers) …", rate, seconds, n);
        long start = System.nanoTime() + 20_000_000L;
        long startMicros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()) + 20_000L;
        long maxLag = 0;
        for (int i = 0; i < n; i++) {
            long at = start + Math.round(i * 1e9 / rate);
            long wait;
            while ((wait = at - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            maxLag = Math.max(maxLag, -wait);
            scheduled[i] = at;
            int index = i;
            run.api().http().sendAsync(requests.get(i), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, error) -> {
                        replied[index] = System.nanoTime();
                        if (error != null) {
                            errors[index] = error.toString();
                        } else {
                            status[index] = response.statusCode();
                        }
                        replies.countDown();
                    });
        }
        try {
            if (!replies.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException(replies.getCount() + " answers had no reply within 120 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        long lastReply = 0;
        List<Long> answeredExecutions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lastReply = Math.max(lastReply, replied[i]);
            if (status[i] == 200) {
                answeredExecutions.add(inquiries.get(i)[1]);
            }
        }
        Run.awaitCount("executions resumed", resumedBefore + answeredExecutions.size(), 50, 60,
                () -> run.executorCounter(Run.RESUMED));
        List<Integer> answered = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (status[i] == 200) {
                answered.add(i);
            }
        }
        try {
            Run.awaitCount("responded notifications", answered.size(), 50, 15,
                    () -> answered.stream().filter(i -> listener.arrival(inquiries.get(i)[0]) != null).count());
        } catch (IllegalStateException e) {
            // reported as missing
        }
        String cpuPerAnswer = CpuMeter.perEvent(cpuBefore, cpu.snapshot(), n, "answer");
        Database db = run.db();
        Map<Long, Long> updated = new HashMap<>();
        for (long[] row : db.queryPairs("SELECT id, (extract(epoch FROM updated) * 1000000)::bigint "
                + "FROM attune.execution WHERE id = ANY(?) AND status = 'completed'", db.bigints(answeredExecutions))) {
            updated.put(row[0], row[1]);
        }
        List<Long> took = new ArrayList<>();
        List<Long> resumed = new ArrayList<>();
        List<Long> notified = new ArrayList<>();
        int refused = 0;
        int missing = 0;
        String firstError = null;
        for (int i = 0; i < n; i++) {
            took.add(replied[i] - scheduled[i]);
            if (status[i] != 200) {
                refused++;
                firstError = firstError != null ? firstError : errors[i] != null ? errors[i] : "HTTP " + status[i];
                continue;
            }
            long scheduledMicros = startMicros + (scheduled[i] - start) / 1_000;
            Long completed = updated.get(inquiries.get(i)[1]);
            if (completed == null) {
                throw new IllegalStateException("execution " + inquiries.get(i)[1] + " was answered but is not "
                        + "completed");
            }
            resumed.add((completed - scheduledMicros) * 1_000);
            Long arrival = listener.arrival(inquiries.get(i)[0]);
            if (arrival == null) {
                missing++;
            } else {
                notified.add(arrival - scheduled[i]);
            }
        }
        Step step = new Step(rate, n, (lastReply - start) / 1e9, Latencies.ofNanos(took), Latencies.ofNanos(resumed),
                Latencies.ofNanos(notified), refused, missing, maxLag, firstError, cpuPerAnswer);
        Run.progress("%d/s: %s%s; %s", rate, step.describe(), step.sustained() ? "" : " (not sustained)",
                cpuPerAnswer);
        Database.sleep(1_000); // the relay and the notifier settle before the next rate
        return step;
    }

    private static void report(Run run, List<Step> rates, List<Step> saturation, Ceiling.Result ceiling) {
        Report report = run.report();
        BenchOptions.OpenLoop options = run.options().openLoop();
        String ofCeiling = "";
        for (Step step : rates) {
            if (ceiling != null) {
                ofCeiling = String.format(Locale.ROOT, " (%.0f %% of the ceiling 12c)", 100 * step.rate() / ceiling.tps());
            }
            boolean target = step.rate() == TARGET_RATE;
            report.row("12", "Open loop: " + step.rate() + " answers/s on a fixed schedule for " + options.seconds()
                            + " s" + ofCeiling + ", latency from the scheduled time", step.describe(),
                    target ? "respond p99 ≤ 20 ms; resumed p99 ≤ 50 ms; notified p99 ≤ 50 ms" : "— (targets at "
                            + TARGET_RATE + "/s)",
                    target ? Report.Verdict.of(step.refused() == 0 && step.missing() == 0
                            && step.respond().p99Millis() <= RESPOND_P99_MILLIS
                            && step.resumed().p99Millis() <= RESUMED_P99_MILLIS
                            && step.notified().p99Millis() <= NOTIFIED_P99_MILLIS) : Report.Verdict.NONE);
        }
        if (rates.stream().noneMatch(s -> s.rate() == TARGET_RATE)) {
            report.note("(12) --rates did not include " + TARGET_RATE + " answers/s: the targets were not judged");
        }
        List<Step> all = new ArrayList<>(rates);
        all.addAll(saturation);
        int highest = all.stream().filter(Step::sustained).mapToInt(Step::rate).max().orElse(0);
        Optional<Step> first = all.stream().filter(s -> !s.sustained()).min(java.util.Comparator.comparingInt(Step::rate));
        String bound = first.map(s -> "; " + s.rate() + "/s was not (respond p99 " + Format.millis(s.respond().p99())
                + (s.refused() == 0 ? "" : ", " + s.refused() + " non-200") + ")")
                .orElse("; no rate tried failed (up to " + options.saturationMax() + "/s)");
        double ratio = ceiling == null ? Double.NaN : highest / ceiling.tps();
        report.row("13", "Saturation: the highest rate of figures 12–13 sustained with respond p99 ≤ 100 ms (stepping "
                        + "by " + options.saturationStep() + "/s above the last rate of 12 that held)",
                highest + " answers/s" + (Double.isNaN(ratio) ? "" : String.format(Locale.ROOT,
                        " = %.2f × the ceiling 12c", ratio)) + bound,
                "≥ 0.5 × (12c)", Double.isNaN(ratio) ? Report.Verdict.NONE : Report.Verdict.of(ratio >= 0.5));
        if (ceiling != null) {
            report.row("12c", "Ceiling: pgbench committing the respond transaction (`respond-transaction.pgbench.sql`: "
                            + "the service's statements of one answer), " + ceiling.clients() + " clients",
                    String.format(Locale.ROOT, "%s transactions/s; latency average %.2f ms", Format.rate(ceiling.tps()),
                            ceiling.latencyMillis()), "—", Report.Verdict.NONE);
            report.note(String.format(Locale.ROOT, "(12c) `pgbench -n -M prepared -f respond-transaction.pgbench.sql "
                            + "-c %d -j %d -t %d` in a database of its own with the same schema and %,d pending "
                            + "inquiries, run after figures 12 and 13 so that nothing else of the benchmark competes",
                    ceiling.clients(), ceiling.clients(), ceiling.transactionsPerClient(),
                    ceiling.clients() * ceiling.transactionsPerClient()));
        } else if (run.options().openLoop() != null && Ceiling.findPgbench().isEmpty()) {
            report.failure("(12c) the respond ceiling: pgbench not found");
        }
        for (Step step : saturation) {
            report.note(String.format(Locale.ROOT, "(13) %d answers/s for %d s: %s%s", step.rate(), options.seconds(),
                    step.describe(), step.sustained() ? "" : " — not sustained"));
        }
        for (Step step : all) {
            report.note(String.format(Locale.ROOT, "(12-13) %d/s: %,d answers, the last reply %s after the first "
                            + "scheduled send; respond max %s; the sender left at most %s after an answer's scheduled "
                            + "time%s", step.rate(), step.answers(), Format.seconds(step.seconds()),
                    Format.millis(step.respond().max()), Format.millis(step.maxSendLagNanos()),
                    step.firstError() == null ? "" : "; first refused: " + step.firstError()));
            report.note(String.format(Locale.ROOT, "(12-13) %d/s: %s", step.rate(), step.cpuPerAnswer()));
        }
        report.note("(12-13) one WebSocket client subscribed to `{\"entity_type\": \"inquiry\", \"activity\": "
                + "\"responded\"}`; resumed is the execution's `updated` (set by the database in the resuming "
                + "transaction) minus the answer's scheduled time on the same machine's clock; a warm-up of "
                + java.util.Arrays.stream(WARM_UP_RATES).mapToObj(r -> r + "/s").collect(
                        java.util.stream.Collectors.joining(" then ")) + " for " + WARM_UP_SECONDS
                + " s each first, not counted (the services' JIT compiles their hot paths), then a wait until no service's "
                + "compiler used more than " + CpuMeter.JIT_QUIET_CORES + " cores over a second");
    }

    /** The pending inquiries nobody has answered yet, oldest first; opens more through the executor when short. */
    static final class Pool {
        private final Run run;
        private final Deque<long[]> free = new ArrayDeque<>();
        private long lastId;

        Pool(Run run) {
            this.run = run;
            refill();
        }

        List<long[]> take(int n) {
            if (free.size() < n) {
                int more = n - free.size();
                Run.progress("opening %,d more inquiries (not measured) …", more);
                CreationFigure.openMore(run, more);
                refill();
                if (free.size() < n) {
                    throw new IllegalStateException("only " + free.size() + " pending inquiries to answer, " + n
                            + " needed");
                }
            }
            List<long[]> taken = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                taken.add(free.removeFirst());
            }
            return taken;
        }

        private void refill() {
            for (long[] row : run.db().queryPairs("SELECT id, execution FROM attune.inquiry WHERE status = 'pending' "
                    + "AND id > ? AND approvals_required = 1 AND assigned_to IS NULL ORDER BY id", lastId)) {
                free.addLast(row);
                lastId = row[0];
            }
        }
    }
}
